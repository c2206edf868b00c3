/**
 * Creating a volume inside a transaction: the one path shared by the volume API and by servers that
 * boot from a volume (block_device_mapping_v2).
 */
import { getVisibleImage } from '../images/image-access.ts'
import type { Repositories } from '../ports/store.ts'
import { consumeQuotas } from '../quotas/quotas.ts'
import { badRequest, notFound } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import { checkMetadata, checkSizeGb, checkText } from './volume-fields.ts'
import { findVolumeType, typeAllowsMultiattach } from './volume-types.ts'
import type { Volume, VolumeType } from './volume.ts'

const GIB = 1024 ** 3

export interface VolumeCreateInput {
  readonly sizeGb: number
  readonly name?: string
  readonly description?: string
  /** Name or id; the source volume's type, or the default type, when omitted. */
  readonly volumeType?: string
  readonly availabilityZone?: string
  readonly imageId?: string
  readonly snapshotId?: string
  readonly sourceVolumeId?: string
  readonly metadata?: Readonly<Record<string, string>>
  readonly multiattach?: boolean
}

interface Origin {
  readonly bootable: boolean
  /** The source volume's type and zone, which a copy inherits unless told otherwise. */
  readonly volumeTypeId: string | null
  readonly availabilityZone: string | null
}

/** Validates, checks the source, consumes volumes + gigabytes quota and inserts an available volume. */
export async function createVolumeRecord(
  tx: Repositories,
  owner: Owner,
  input: VolumeCreateInput,
  defaultAvailabilityZone: string,
  now: Date,
): Promise<Volume> {
  const sizeGb = checkSizeGb(input.sizeGb)
  const name = checkText(input.name, 'name') ?? ''
  const description = checkText(input.description, 'description') ?? ''
  const metadata = checkMetadata(input.metadata) ?? {}
  const sources = [input.imageId, input.snapshotId, input.sourceVolumeId].filter((source) => source !== undefined)
  if (sources.length > 1) {
    throw badRequest('Only one of imageRef, snapshot_id and source_volid may be given', 'source')
  }

  const origin = await checkOrigin(tx, owner, input, sizeGb)
  const type = await chooseType(tx, owner, input.volumeType, origin.volumeTypeId)
  const availabilityZone = input.availabilityZone ?? origin.availabilityZone ?? defaultAvailabilityZone
  if (origin.availabilityZone !== null && availabilityZone !== origin.availabilityZone) {
    throw badRequest(
      `Volume must be in the same availability zone as its source (${origin.availabilityZone})`, 'availability_zone')
  }

  await consumeQuotas(tx.quotas, owner.projectId, { volumes: 1, gigabytes: sizeGb })
  const volume: Volume = {
    id: crypto.randomUUID(),
    projectId: owner.projectId,
    userId: owner.userId,
    name,
    description,
    sizeGb,
    volumeTypeId: type.id,
    volumeTypeName: type.name,
    status: 'available',
    bootable: origin.bootable,
    multiattach: input.multiattach === true || typeAllowsMultiattach(type),
    imageId: input.imageId ?? null,
    snapshotId: input.snapshotId ?? null,
    sourceVolumeId: input.sourceVolumeId ?? null,
    availabilityZone,
    metadata,
    createdAt: now,
    updatedAt: now,
  }
  const { volumeTypeName: _shownName, ...row } = volume
  await tx.volumes.insert(row)
  return volume
}

async function checkOrigin(tx: Repositories, owner: Owner, input: VolumeCreateInput, sizeGb: number): Promise<Origin> {
  if (input.imageId !== undefined) {
    const image = await getVisibleImage(tx, owner, input.imageId)
    if (image.status !== 'active') throw badRequest(`Image ${image.id} is not active (status ${image.status})`, 'imageRef')
    const imageGb = Math.ceil((image.sizeBytes ?? 0) / GIB)
    const neededGb = Math.max(image.minDiskGb, imageGb)
    if (sizeGb < neededGb) {
      throw badRequest(`Volume size ${sizeGb}GB is smaller than the ${neededGb}GB image ${image.id} needs`, 'size')
    }
    return { bootable: true, volumeTypeId: null, availabilityZone: null }
  }
  if (input.snapshotId !== undefined) {
    const snapshot = await tx.snapshots.get(owner.projectId, input.snapshotId)
    if (!snapshot) throw notFound('snapshot', input.snapshotId)
    if (snapshot.status !== 'available') {
      throw badRequest(`Snapshot ${snapshot.id} must be available, not ${snapshot.status}`, 'snapshot_id')
    }
    if (sizeGb < snapshot.sizeGb) {
      throw badRequest(`Volume size ${sizeGb}GB is smaller than snapshot ${snapshot.id} (${snapshot.sizeGb}GB)`, 'size')
    }
    const parent = await tx.volumes.getById(snapshot.volumeId)
    return {
      bootable: parent?.bootable ?? false,
      volumeTypeId: parent?.volumeTypeId ?? null,
      availabilityZone: parent?.availabilityZone ?? null,
    }
  }
  if (input.sourceVolumeId !== undefined) {
    const source = await tx.volumes.get(owner.projectId, input.sourceVolumeId)
    if (!source) throw notFound('volume', input.sourceVolumeId)
    if (source.status !== 'available' && source.status !== 'in-use') {
      throw badRequest(`Source volume ${source.id} must be available or in-use, not ${source.status}`, 'source_volid')
    }
    if (sizeGb < source.sizeGb) {
      throw badRequest(`Volume size ${sizeGb}GB is smaller than source volume ${source.id} (${source.sizeGb}GB)`, 'size')
    }
    return { bootable: source.bootable, volumeTypeId: source.volumeTypeId, availabilityZone: source.availabilityZone }
  }
  return { bootable: false, volumeTypeId: null, availabilityZone: null }
}

async function chooseType(tx: Repositories, owner: Owner, ref: string | undefined, inherited: string | null): Promise<VolumeType> {
  if (ref !== undefined) return findVolumeType(tx, owner, ref)
  if (inherited !== null) {
    const type = await tx.volumeTypes.get(inherited)
    if (type) return type
  }
  const type = await tx.volumeTypes.getDefault()
  if (!type) throw badRequest('No volume type was given and no default volume type is configured', 'volume_type')
  return type
}
