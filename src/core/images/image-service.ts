/**
 * The image API with Glance v2 semantics: records, data upload and download through the image file
 * store, visibility and sharing (members), tags and properties, protection, deactivation.
 */
import type { Clock } from '../ports/clock.ts'
import type { Repositories, Store } from '../ports/store.ts'
import { DomainError, badRequest, conflict, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import type { Page, PageRequest } from '../shared/page.ts'
import { directedKeysetRequest, toPage, type SortDirection } from '../shared/keyset.ts'
import { assertImageOwner, canSeeImage, getVisibleImage } from './image-access.ts'
import {
  MAX_IMAGE_MEMBERS, checkContainerFormat, checkDiskFormat, checkFormatPair, checkImageId, checkImageName,
  checkMinimum, checkProperties, checkPropertyCount, checkPropertyName, checkPropertyValue, checkTag, checkTagCount,
  checkTags, checkVisibility, osTypeOf, overLimit,
} from './image-fields.ts'
import { IMAGE_FILE_TOO_LARGE, type ImageFileStore, type StoredImageFile } from './image-file-store.ts'
import { deleteImageRecord, imageRecord, insertOwnedImage } from './image-records.ts'
import type { ImageChanges, ImageQuery, ImageScope } from './image-repositories.ts'
import {
  IMAGE_MEMBER_STATUSES, type ContainerFormat, type DiskFormat, type Image, type ImageMember, type ImageMemberStatus,
  type ImageStatus, type ImageVisibility,
} from './image.ts'

/** Glance's image_size_cap default: 1 TiB. */
export const DEFAULT_MAX_IMAGE_SIZE_BYTES = 1024 ** 4

export interface ImageCreateInput {
  readonly id?: string
  readonly name?: string
  /** Glance's default is shared (visible to its owner and to members it adds). */
  readonly visibility?: ImageVisibility
  readonly protected?: boolean
  readonly minDiskGb?: number
  readonly minRamMb?: number
  readonly diskFormat?: string | null
  readonly containerFormat?: string | null
  readonly tags?: readonly string[]
  /** Additional (non-base) properties, e.g. os_distro, os_type, hw_disk_bus. */
  readonly properties?: Readonly<Record<string, string>>
}

/** Glance's JSON-patch operations on additional properties. */
export type ImagePropertyChange =
  | { readonly op: 'add'; readonly name: string; readonly value: string }
  | { readonly op: 'replace'; readonly name: string; readonly value: string }
  | { readonly op: 'remove'; readonly name: string }

export interface ImageUpdate {
  readonly name?: string
  readonly visibility?: ImageVisibility
  readonly protected?: boolean
  readonly minDiskGb?: number
  readonly minRamMb?: number
  /** Only while the image is queued (Glance answers 403 otherwise). */
  readonly diskFormat?: string | null
  readonly containerFormat?: string | null
  /** Replaces the tags. */
  readonly tags?: readonly string[]
  /** Applied in order. */
  readonly properties?: readonly ImagePropertyChange[]
}

export interface ImageListQuery extends PageRequest {
  /** Which images to list (see ImageScope); Glance's default when omitted. */
  readonly visibility?: ImageScope
  /** For shared images the project is a member of: accepted unless asked otherwise. */
  readonly memberStatus?: ImageMemberStatus | 'all'
  readonly name?: string
  readonly status?: ImageStatus
  readonly tags?: readonly string[]
  readonly ownerProjectId?: string
  readonly properties?: Readonly<Record<string, string>>
  /** Newest first by default, as Glance lists. */
  readonly direction?: SortDirection
}

export interface ImageData {
  readonly image: Image
  /** The bytes, or null when the image has none to give (Glance then answers 204). */
  readonly data: AsyncIterable<Uint8Array> | null
}

export interface ImageServiceDeps {
  readonly store: Store
  readonly clock: Clock
  readonly files: ImageFileStore
  readonly options?: { readonly maxImageSizeBytes?: number }
}

export class ImageService {
  readonly #store: Store
  readonly #clock: Clock
  readonly #files: ImageFileStore
  readonly #maxImageSizeBytes: number

  constructor(deps: ImageServiceDeps) {
    this.#store = deps.store
    this.#clock = deps.clock
    this.#files = deps.files
    this.#maxImageSizeBytes = deps.options?.maxImageSizeBytes ?? DEFAULT_MAX_IMAGE_SIZE_BYTES
  }

  /** Creates the record (queued, no data yet), consuming one `images` quota. */
  async create(owner: Owner, input: ImageCreateInput): Promise<Image> {
    const visibility = checkVisibility(input.visibility) ?? 'shared'
    this.#checkPublicize(owner, visibility)
    const diskFormat = checkDiskFormat(input.diskFormat) ?? null
    const containerFormat = checkContainerFormat(input.containerFormat) ?? null
    checkFormatPair(diskFormat, containerFormat)
    if (input.protected !== undefined && typeof input.protected !== 'boolean') throw badRequest('protected must be a boolean', 'protected')
    const image = imageRecord({
      id: checkImageId(input.id),
      ownerProjectId: owner.projectId,
      name: checkImageName(input.name) ?? '',
      status: 'queued',
      visibility,
      diskFormat,
      containerFormat,
      minDiskGb: checkMinimum(input.minDiskGb, 'min_disk'),
      minRamMb: checkMinimum(input.minRamMb, 'min_ram'),
      protected: input.protected,
      tags: checkTags(input.tags),
      properties: checkProperties(input.properties),
    }, this.#clock.now())
    return this.#store.transaction((tx) => insertOwnedImage(tx, image))
  }

  get(owner: Owner, imageId: string): Promise<Image> {
    return getVisibleImage(this.#store, owner, imageId)
  }

  async list(owner: Owner, query: ImageListQuery): Promise<Page<Image>> {
    const memberStatus = query.memberStatus ?? 'accepted'
    if (memberStatus !== 'all' && !IMAGE_MEMBER_STATUSES.includes(memberStatus)) {
      throw badRequest(`Invalid member_status ${memberStatus}`, 'member_status')
    }
    const scope = query.visibility ?? 'default'
    if (scope !== 'default' && scope !== 'all') checkVisibility(scope)
    const keyset = await directedKeysetRequest(query, query.direction ?? 'desc', async (id) => {
      const marker = await this.#store.images.get(id)
      if (!marker) return null
      const membership = await this.#store.imageMembers.get(id, owner.projectId)
      return canSeeImage(marker, owner.projectId, membership) ? marker : null
    })
    const imageQuery: ImageQuery = {
      projectId: owner.projectId,
      scope,
      memberStatus,
      name: query.name,
      status: query.status,
      tags: query.tags,
      ownerProjectId: query.ownerProjectId,
      properties: query.properties,
    }
    return toPage(await this.#store.images.list(imageQuery, keyset), query.limit)
  }

  async update(owner: Owner, imageId: string, update: ImageUpdate): Promise<Image> {
    const visibility = checkVisibility(update.visibility)
    if (visibility !== undefined) this.#checkPublicize(owner, visibility)
    const diskFormat = checkDiskFormat(update.diskFormat)
    const containerFormat = checkContainerFormat(update.containerFormat)
    if (update.protected !== undefined && typeof update.protected !== 'boolean') throw badRequest('protected must be a boolean', 'protected')
    const changes = {
      name: checkImageName(update.name),
      visibility,
      protected: update.protected,
      minDiskGb: checkMinimum(update.minDiskGb, 'min_disk'),
      minRamMb: checkMinimum(update.minRamMb, 'min_ram'),
      tags: checkTags(update.tags),
    }
    return this.#changeOwned(owner, imageId, 'modify', (image) => {
      const formats: { diskFormat?: DiskFormat | null; containerFormat?: ContainerFormat | null } = {}
      if (diskFormat !== undefined || containerFormat !== undefined) {
        if (image.status !== 'queued') {
          const attribute = diskFormat !== undefined ? 'disk_format' : 'container_format'
          throw forbidden(image.id, `Attribute ${attribute} can be only replaced for a queued image.`, 'modify')
        }
        if (diskFormat !== undefined) formats.diskFormat = diskFormat
        if (containerFormat !== undefined) formats.containerFormat = containerFormat
        checkFormatPair(formats.diskFormat ?? image.diskFormat, formats.containerFormat ?? image.containerFormat)
      }
      const properties = update.properties ? applyPropertyChanges(image, update.properties) : undefined
      return { ...changes, ...formats, properties, osType: properties ? osTypeOf(properties) : undefined }
    })
  }

  /** Deletes the image and its data; a protected image cannot be deleted (Glance answers 403). */
  async delete(owner: Owner, imageId: string): Promise<void> {
    const image = await this.#store.transaction(async (tx) => {
      const found = await this.#lockVisible(tx, owner, imageId)
      assertImageOwner(found, owner, 'delete')
      if (found.protected) throw forbidden(imageId, `Image ${imageId} is protected and cannot be deleted.`, 'delete')
      if (!(await deleteImageRecord(tx, found))) throw notFound('image', imageId)
      return found
    })
    // After the commit; an upload still running finds the row gone when it finishes and removes its own file.
    await this.#files.remove(image.id)
  }

  /**
   * Stores the image's data: only a queued image, which turns saving, then active with its size and
   * checksums. If the data cannot be stored the image returns to queued and keeps no file.
   */
  async upload(owner: Owner, imageId: string, source: AsyncIterable<Uint8Array>): Promise<Image> {
    await this.#changeOwned(owner, imageId, 'upload', (image) => {
      if (image.diskFormat === null || image.containerFormat === null) {
        throw badRequest('Properties disk_format, container_format must be set prior to saving data.', 'disk_format')
      }
      if (image.status !== 'queued') {
        throw conflict('image', `Image status transition from ${image.status} to saving is not allowed`, imageId)
      }
      return { status: 'saving' }
    })
    let stored: StoredImageFile
    try {
      stored = await this.#files.write(imageId, source, { maxBytes: this.#maxImageSizeBytes })
    } catch (error) {
      await this.#store.transaction((tx) =>
        tx.images.update(imageId, { status: 'queued', updatedAt: this.#clock.now() }, ['saving']))
      throw this.#uploadError(error)
    }
    const active = await this.#store.transaction((tx) => tx.images.update(imageId, {
      status: 'active',
      sizeBytes: stored.sizeBytes,
      checksumMd5: stored.checksumMd5,
      sha512: stored.sha512,
      filePath: stored.path,
      updatedAt: this.#clock.now(),
    }, ['saving']))
    if (!active) {
      await this.#files.remove(imageId)
      throw conflict('image', `Image ${imageId} was deleted or changed while its data was uploaded`, imageId)
    }
    return active
  }

  /** The image's data: bytes only for an active image that has them; a deactivated one is forbidden. */
  async download(owner: Owner, imageId: string): Promise<ImageData> {
    const image = await getVisibleImage(this.#store, owner, imageId)
    if (image.status === 'deactivated' && !isAdmin(owner)) {
      throw forbidden(imageId, 'The requested image has been deactivated. Image data download is prohibited.', 'download')
    }
    const data = image.status === 'active' && image.filePath !== null ? this.#files.read(imageId) : null
    return { image, data }
  }

  /** active → deactivated (its data can no longer be downloaded); deactivating twice is allowed. */
  deactivate(owner: Owner, imageId: string): Promise<Image> {
    return this.#toggle(owner, imageId, 'deactivate', 'active', 'deactivated')
  }

  /** deactivated → active; reactivating an active image is allowed. */
  reactivate(owner: Owner, imageId: string): Promise<Image> {
    return this.#toggle(owner, imageId, 'reactivate', 'deactivated', 'active')
  }

  async addTag(owner: Owner, imageId: string, tag: string): Promise<Image> {
    checkTag(tag)
    return this.#changeOwned(owner, imageId, 'modify', (image) => {
      if (image.tags.includes(tag)) return {}
      checkTagCount(image.tags.length + 1)
      return { tags: [...image.tags, tag] }
    })
  }

  async removeTag(owner: Owner, imageId: string, tag: string): Promise<Image> {
    return this.#changeOwned(owner, imageId, 'modify', (image) => {
      if (!image.tags.includes(tag)) {
        throw new DomainError('not_found', `Tag ${tag} not found on image ${imageId}`, { resource: 'image', id: imageId })
      }
      return { tags: image.tags.filter((existing) => existing !== tag) }
    })
  }

  /** The owner sees every member; a member sees only itself. */
  async listMembers(owner: Owner, imageId: string): Promise<ImageMember[]> {
    const image = await this.#sharedImage(this.#store, owner, imageId)
    const members = await this.#store.imageMembers.list(imageId)
    return image.ownerProjectId === owner.projectId
      ? members
      : members.filter((member) => member.memberProjectId === owner.projectId)
  }

  async getMember(owner: Owner, imageId: string, memberProjectId: string): Promise<ImageMember> {
    const image = await this.#sharedImage(this.#store, owner, imageId)
    const member = await this.#store.imageMembers.get(imageId, memberProjectId)
    const mayRead = image.ownerProjectId === owner.projectId || memberProjectId === owner.projectId
    if (!member || !mayRead) throw memberNotFound(imageId, memberProjectId)
    return member
  }

  /** The owner shares a shared image with another project; the member starts pending. */
  async addMember(owner: Owner, imageId: string, memberProjectId: string): Promise<ImageMember> {
    if (typeof memberProjectId !== 'string' || memberProjectId.length === 0 || memberProjectId.length > 255) {
      throw badRequest('member must be a project id', 'member')
    }
    return this.#store.transaction(async (tx) => {
      const image = await this.#sharedImage(tx, owner, imageId, true)
      assertImageOwner(image, owner, 'add members to')
      if ((await tx.imageMembers.count(imageId)) >= MAX_IMAGE_MEMBERS) throw overLimit('image_members', MAX_IMAGE_MEMBERS)
      const now = this.#clock.now()
      const member: ImageMember = { imageId, memberProjectId, status: 'pending', createdAt: now, updatedAt: now }
      if (!(await tx.imageMembers.insert(member))) {
        throw conflict('image_member', `Member ${memberProjectId} already exists on image ${imageId}`, memberProjectId)
      }
      return member
    })
  }

  /** Only the member project itself accepts or rejects (or returns to pending). */
  async updateMember(owner: Owner, imageId: string, memberProjectId: string, status: ImageMemberStatus): Promise<ImageMember> {
    if (!IMAGE_MEMBER_STATUSES.includes(status)) throw badRequest(`Invalid member status ${status}`, 'status')
    return this.#store.transaction(async (tx) => {
      await this.#sharedImage(tx, owner, imageId)
      if (memberProjectId !== owner.projectId) {
        throw forbidden(imageId, 'Only the member itself can change its membership status.', 'update member of')
      }
      const member = await tx.imageMembers.setStatus(imageId, memberProjectId, status, this.#clock.now())
      if (!member) throw memberNotFound(imageId, memberProjectId)
      return member
    })
  }

  async removeMember(owner: Owner, imageId: string, memberProjectId: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const image = await this.#sharedImage(tx, owner, imageId)
      assertImageOwner(image, owner, 'remove members from')
      if (!(await tx.imageMembers.delete(imageId, memberProjectId))) throw memberNotFound(imageId, memberProjectId)
    })
  }

  #checkPublicize(owner: Owner, visibility: ImageVisibility): void {
    if (visibility === 'public' && !isAdmin(owner)) {
      throw new DomainError('forbidden', 'You are not authorized to complete publicize_image action.', {
        resource: 'image', action: 'publicize_image',
      })
    }
  }

  async #toggle(owner: Owner, imageId: string, action: string, from: ImageStatus, to: ImageStatus): Promise<Image> {
    return this.#changeOwned(owner, imageId, action, (image) => {
      if (image.status === to) return {}
      if (image.status !== from) throw forbidden(imageId, `Not allowed to ${action} image in status '${image.status}'`, action)
      return { status: to }
    })
  }

  /** Locks a visible image, checks that the owner may change it, and applies what `decide` returns. */
  async #changeOwned(
    owner: Owner,
    imageId: string,
    action: string,
    decide: (image: Image) => Omit<ImageChanges, 'updatedAt'>,
  ): Promise<Image> {
    return this.#store.transaction(async (tx) => {
      const image = await this.#lockVisible(tx, owner, imageId)
      assertImageOwner(image, owner, action)
      const changes = decide(image)
      if (Object.values(changes).every((value) => value === undefined)) return image
      const updated = await tx.images.update(imageId, { ...changes, updatedAt: this.#clock.now() })
      if (!updated) throw notFound('image', imageId)
      return updated
    })
  }

  async #lockVisible(tx: Repositories, owner: Owner, imageId: string): Promise<Image> {
    const locked = await tx.images.lockById(imageId)
    if (!locked) throw notFound('image', imageId)
    return getVisibleImage(tx, owner, imageId)
  }

  /** Member calls are only for shared images (Glance answers 403 "Only shared images have members"). */
  async #sharedImage(repos: Repositories, owner: Owner, imageId: string, lock = false): Promise<Image> {
    if (lock) await repos.images.lockById(imageId)
    const image = await getVisibleImage(repos, owner, imageId)
    if (image.visibility !== 'shared') throw forbidden(imageId, 'Only shared images have members.', 'share')
    return image
  }

  #uploadError(error: unknown): unknown {
    if (error instanceof Error && error.name === IMAGE_FILE_TOO_LARGE) {
      return new DomainError('quota_exceeded',
        `Image exceeds the storage limit of ${this.#maxImageSizeBytes} bytes`, { resource: 'image', quota: 'image_size' })
    }
    return error
  }
}

/** Applies Glance's add/replace/remove property operations; replace or remove of a missing one is a conflict. */
function applyPropertyChanges(image: Image, changes: readonly ImagePropertyChange[]): Record<string, string> {
  const properties: Record<string, string> = { ...image.properties }
  for (const change of changes) {
    const name = checkPropertyName(change.name)
    if (change.op === 'remove' || change.op === 'replace') {
      if (!(name in properties)) throw conflict('image', `Property ${name} does not exist.`, image.id)
    }
    if (change.op === 'remove') delete properties[name]
    else properties[name] = checkPropertyValue(name, change.value)
  }
  checkPropertyCount(Object.keys(properties).length)
  return properties
}

function forbidden(imageId: string, message: string, action: string): DomainError {
  return new DomainError('forbidden', message, { resource: 'image', id: imageId, action })
}

function memberNotFound(imageId: string, memberProjectId: string): DomainError {
  return new DomainError('not_found', `Member ${memberProjectId} not found on image ${imageId}`, {
    resource: 'image_member', id: memberProjectId,
  })
}
