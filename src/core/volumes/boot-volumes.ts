/**
 * Volumes for a server's block_device_mapping_v2 entries (destination_type volume), created or picked
 * inside the server create transaction; the caller then reserves an attachment for each.
 */
import type { Repositories } from '../ports/store.ts'
import { badRequest, invalidState, notFound } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import { createVolumeRecord } from './volume-creation.ts'
import type { Volume } from './volume.ts'

export type BlockDeviceSource = 'image' | 'volume' | 'snapshot' | 'blank'

export interface BlockDeviceVolumeRequest {
  readonly source: BlockDeviceSource
  /** Image, volume or snapshot id; ignored for blank. */
  readonly sourceId: string | null
  /** Required for image and blank; for snapshot the snapshot's size when omitted; ignored for volume. */
  readonly sizeGb?: number | null
  readonly volumeType?: string | null
  readonly availabilityZone: string
  readonly name?: string | null
  /** Whether the volume is the root disk: a root from an existing volume or snapshot must be bootable. */
  readonly boot?: boolean
}

export interface BlockDeviceVolume {
  readonly volume: Volume
  /** True when this call created the volume (and consumed quota for it); false for an existing volume. */
  readonly created: boolean
}

/**
 * The size of the project's existing volume or snapshot a block device names, or null where the project
 * has none by that id: an existing volume is the root disk as it is, and a snapshot's copy has the
 * snapshot's size unless a volume_size is given.
 */
export async function bootSourceSizeGb(repos: Repositories, owner: Owner, source: 'volume' | 'snapshot', id: string): Promise<number | null> {
  const found = source === 'volume' ? await repos.volumes.get(owner.projectId, id) : await repos.snapshots.get(owner.projectId, id)
  return found?.sizeGb ?? null
}

export async function createBootVolume(
  tx: Repositories,
  owner: Owner,
  request: BlockDeviceVolumeRequest,
  now: Date,
): Promise<BlockDeviceVolume> {
  const boot = request.boot ?? true
  const sourceId = request.source === 'blank' ? null : request.sourceId
  if (request.source !== 'blank' && !sourceId) throw badRequest(`A ${request.source} source needs its uuid`, 'uuid')
  if (request.source === 'blank' && boot) throw badRequest('A blank volume cannot be the boot device', 'boot_index')

  if (request.source === 'volume') {
    const volume = await tx.volumes.get(owner.projectId, sourceId!)
    if (!volume) throw notFound('volume', sourceId!)
    if (volume.status !== 'available') throw invalidState('volume', volume.id, 'attach', volume.status)
    if (boot && !volume.bootable) throw badRequest(`Volume ${volume.id} is not bootable`, 'uuid')
    return { volume, created: false }
  }

  let sizeGb = request.sizeGb ?? undefined
  if (request.source === 'snapshot') {
    const snapshot = await tx.snapshots.get(owner.projectId, sourceId!)
    if (!snapshot) throw notFound('snapshot', sourceId!)
    sizeGb ??= snapshot.sizeGb
  }
  if (sizeGb === undefined) throw badRequest(`volume_size is required for a ${request.source} source`, 'volume_size')

  const volume = await createVolumeRecord(tx, owner, {
    sizeGb,
    name: request.name ?? undefined,
    volumeType: request.volumeType ?? undefined,
    availabilityZone: request.availabilityZone,
    imageId: request.source === 'image' ? sourceId! : undefined,
    snapshotId: request.source === 'snapshot' ? sourceId! : undefined,
  }, request.availabilityZone, now)
  if (boot && request.source === 'snapshot' && !volume.bootable) {
    throw badRequest(`Snapshot ${sourceId} is not of a bootable volume`, 'uuid')
  }
  return { volume, created: true }
}
