/** Who may see and change an image, as Glance v2 decides it. */
import type { Repositories } from '../ports/store.ts'
import { DomainError, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import type { Image, ImageMember } from './image.ts'

/**
 * Public and community images are visible to everyone; private ones to their owner; shared ones to
 * their owner and to member projects whatever their member status (a pending member can look an image
 * up by id before accepting it, as in Glance; only listing requires acceptance).
 */
export function canSeeImage(image: Image, projectId: string, membership: ImageMember | null): boolean {
  if (image.visibility === 'public' || image.visibility === 'community') return true
  if (image.ownerProjectId === projectId) return true
  return image.visibility === 'shared' && membership !== null
}

/** The image if the owner may see it; otherwise not_found, so that its existence does not leak. */
export async function getVisibleImage(repos: Repositories, owner: Owner, imageId: string): Promise<Image> {
  const image = await repos.images.get(imageId)
  if (!image) throw notFound('image', imageId)
  const membership = image.visibility === 'shared' && image.ownerProjectId !== owner.projectId
    ? await repos.imageMembers.get(imageId, owner.projectId)
    : null
  if (!canSeeImage(image, owner.projectId, membership)) throw notFound('image', imageId)
  return image
}

/**
 * Only the owning project changes an image (admins may change images owned by nobody, the seeded
 * ones). Someone who can see but not change it gets forbidden, as Glance answers 403.
 */
export function assertImageOwner(image: Image, owner: Owner, action: string): void {
  if (image.ownerProjectId === owner.projectId) return
  if (image.ownerProjectId === null && isAdmin(owner)) return
  throw new DomainError('forbidden', `You are not permitted to ${action} image ${image.id}.`, {
    resource: 'image', id: image.id, action,
  })
}
