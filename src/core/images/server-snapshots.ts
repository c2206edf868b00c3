/**
 * Images taken from a server (Nova's createImage / image_snapshot flow), run inside the server
 * lifecycle's transactions: the API half creates the queued image, the task marks it saving while the
 * driver copies the disk, then finishes or fails it.
 */
import type { Repositories } from '../ports/store.ts'
import { invalidState, notFound } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import { checkImageName, checkMinimum, isReservedAttribute } from './image-fields.ts'
import { deleteImageRecord, imageRecord, insertOwnedImage } from './image-records.ts'
import type { ContainerFormat, DiskFormat, Image } from './image.ts'

export interface ServerSnapshotRequest {
  readonly serverId: string
  readonly name: string
  /** The createImage call's metadata; it wins over inherited properties. */
  readonly metadata?: Readonly<Record<string, string>>
  readonly minDiskGb?: number
  readonly minRamMb?: number
  /**
   * The image the server was built from: Nova copies its properties and formats onto the snapshot and
   * records it as base_image_ref. Null for a server booted from a volume.
   */
  readonly baseImageId?: string | null
  /** Properties to copy instead of (or over) the base image's. */
  readonly baseImageProperties?: Readonly<Record<string, string>>
  readonly diskFormat?: DiskFormat
  readonly containerFormat?: ContainerFormat
}

/** Creates the snapshot image: private, queued, owned by the server's project (one `images` quota). */
export async function beginServerSnapshot(
  tx: Repositories,
  owner: Owner,
  request: ServerSnapshotRequest,
  now: Date,
): Promise<Image> {
  const base = request.baseImageId ? await tx.images.get(request.baseImageId) : null
  const properties: Record<string, string> = {}
  const inherited = { ...base?.properties, ...request.baseImageProperties, ...request.metadata }
  for (const [key, value] of Object.entries(inherited)) {
    // Base attributes of the source image (its size, checksum, owner…) describe that image, not this one.
    if (!isReservedAttribute(key)) properties[key] = value
  }
  properties.image_type = 'snapshot'
  properties.instance_uuid = request.serverId
  properties.user_id = owner.userId
  if (request.baseImageId) properties.base_image_ref = request.baseImageId
  const image = imageRecord({
    ownerProjectId: owner.projectId,
    name: checkImageName(request.name) ?? '',
    status: 'queued',
    visibility: 'private',
    diskFormat: request.diskFormat ?? base?.diskFormat ?? 'qcow2',
    containerFormat: request.containerFormat ?? base?.containerFormat ?? 'bare',
    minDiskGb: checkMinimum(request.minDiskGb, 'min_disk'),
    minRamMb: checkMinimum(request.minRamMb, 'min_ram'),
    properties,
    sourceServerId: request.serverId,
  }, now)
  return insertOwnedImage(tx, image)
}

/** The driver started copying the disk: queued → saving (again saving is harmless). */
export async function saveServerSnapshot(tx: Repositories, imageId: string, now: Date): Promise<Image> {
  const image = await tx.images.update(imageId, { status: 'saving', updatedAt: now }, ['queued', 'saving'])
  if (image) return image
  throw await snapshotStateError(tx, imageId, 'save')
}

export interface ServerSnapshotResult {
  readonly sizeBytes: number
  /** Hex MD5 of the data. */
  readonly checksum: string
  readonly sha512?: string | null
  /** Where the data was stored in the image file store; null or absent when there is none (simulation). */
  readonly filePath?: string | null
}

/** The snapshot is complete: the image turns active with its size and checksum. */
export async function finishServerSnapshot(
  tx: Repositories,
  imageId: string,
  result: ServerSnapshotResult,
  now: Date,
): Promise<Image> {
  const image = await tx.images.update(imageId, {
    status: 'active',
    sizeBytes: result.sizeBytes,
    checksumMd5: result.checksum,
    sha512: result.sha512 ?? null,
    filePath: result.filePath ?? null,
    updatedAt: now,
  }, ['queued', 'saving'])
  if (image) return image
  throw await snapshotStateError(tx, imageId, 'finish')
}

/**
 * The snapshot failed: as Nova does, the unfinished image is deleted (its quota released). Returns
 * the deleted image so the caller can remove a file it wrote, or null when there was nothing to undo.
 */
export async function failServerSnapshot(tx: Repositories, imageId: string): Promise<Image | null> {
  const image = await tx.images.lockById(imageId)
  if (!image || image.status === 'active') return null
  return (await deleteImageRecord(tx, image)) ? image : null
}

async function snapshotStateError(tx: Repositories, imageId: string, action: string) {
  const image = await tx.images.get(imageId)
  return image ? invalidState('image', imageId, action, image.status) : notFound('image', imageId)
}
