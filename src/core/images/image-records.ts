/** Building and removing image rows: shared by the image API, server snapshots and seeding. */
import type { Repositories } from '../ports/store.ts'
import { consumeQuotas, releaseQuotas } from '../quotas/quotas.ts'
import { conflict } from '../shared/errors.ts'
import { osTypeOf } from './image-fields.ts'
import type { Image } from './image.ts'

export type ImageFields = Partial<Omit<Image, 'createdAt' | 'updatedAt' | 'osType'>> & Pick<Image, 'name' | 'status' | 'visibility'>

/** A full image row with Glance's defaults; the OS type follows the `os_type` property. */
export function imageRecord(fields: ImageFields, now: Date): Image {
  const properties = fields.properties ?? {}
  return {
    id: fields.id ?? crypto.randomUUID(),
    ownerProjectId: fields.ownerProjectId ?? null,
    name: fields.name,
    status: fields.status,
    visibility: fields.visibility,
    diskFormat: fields.diskFormat ?? null,
    containerFormat: fields.containerFormat ?? null,
    minDiskGb: fields.minDiskGb ?? 0,
    minRamMb: fields.minRamMb ?? 0,
    sizeBytes: fields.sizeBytes ?? null,
    virtualSizeBytes: fields.virtualSizeBytes ?? null,
    checksumMd5: fields.checksumMd5 ?? null,
    sha512: fields.sha512 ?? null,
    protected: fields.protected ?? false,
    osType: osTypeOf(properties),
    properties,
    tags: fields.tags ?? [],
    filePath: fields.filePath ?? null,
    sourceServerId: fields.sourceServerId ?? null,
    createdAt: now,
    updatedAt: now,
  }
}

/** Inserts a project's image, consuming one `images` quota; a taken id is a conflict. */
export async function insertOwnedImage(tx: Repositories, image: Image): Promise<Image> {
  if (image.ownerProjectId !== null) await consumeQuotas(tx.quotas, image.ownerProjectId, { images: 1 })
  if (!(await tx.images.insert(image))) throw conflict('image', `Image with identifier ${image.id} already exists!`, image.id)
  return image
}

/** Deletes the image row (members go with it) and gives the owner its quota back; false if already gone. */
export async function deleteImageRecord(tx: Repositories, image: Image): Promise<boolean> {
  if (!(await tx.images.delete(image.id))) return false
  if (image.ownerProjectId !== null) await releaseQuotas(tx.quotas, image.ownerProjectId, { images: 1 })
  return true
}
