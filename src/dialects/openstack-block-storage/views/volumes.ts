/** Volumes between the core and Cinder: the volume document (version- and role-dependent fields) and create/update inputs. */
import type { FastifyRequest } from 'fastify'
import { badRequest } from '../../../core/shared/errors.ts'
import { isAdmin, type Owner } from '../../../core/shared/owner.ts'
import type { VolumeCreateInput, VolumeUpdate } from '../../../core/volumes/volume-service.ts'
import type { Attachment, VolumeDetail as CoreVolume, VolumeStatus } from '../../../core/volumes/volume.ts'
import type { VolumeListQuery as CoreVolumeListQuery } from '../../../core/volumes/volume-service.ts'
import { atLeast, type VolumeApiVersion } from '../microversion.ts'
import type { VolumeCreateBody, VolumeDetail, VolumeListQuery, VolumeUpdateBody } from '../schemas/volumes.ts'
import { cinderTime, pageOf, sortDirectionOf } from './common.ts'
import { resourceLinks } from './links.ts'

/** The simulated backend's service id (Cinder shows the volume service's uuid from 3.48). */
const SERVICE_UUID = '5f6b2a10-7c1e-4f0a-9a55-3c1f4b6d8e21'

function attachmentView(attachment: Attachment) {
  return {
    // Cinder's attachment `id` is the volume's id; the attachment's own id is attachment_id.
    id: attachment.volumeId,
    attachment_id: attachment.id,
    volume_id: attachment.volumeId,
    server_id: attachment.serverId,
    host_name: null,
    device: attachment.device,
    attached_at: cinderTime(attachment.createdAt),
  }
}

export function volumeView(request: FastifyRequest, owner: Owner, volume: CoreVolume): VolumeDetail {
  const version: VolumeApiVersion = request.volumeApiVersion
  const view: VolumeDetail = {
    id: volume.id,
    name: volume.name === '' ? null : volume.name,
    description: volume.description === '' ? null : volume.description,
    status: volume.status,
    size: volume.sizeGb,
    availability_zone: volume.availabilityZone,
    created_at: cinderTime(volume.createdAt),
    updated_at: cinderTime(volume.updatedAt),
    // Cinder lists a volume's attachments once they are made (attaching ones are not shown yet).
    attachments: volume.attachments.filter((attachment) => attachment.status !== 'attaching').map(attachmentView),
    volume_type: volume.volumeTypeName,
    snapshot_id: volume.snapshotId,
    source_volid: volume.sourceVolumeId,
    metadata: { ...volume.metadata },
    links: resourceLinks(request, volume.projectId, 'volumes', volume.id),
    user_id: volume.userId,
    bootable: volume.bootable ? 'true' : 'false',
    encrypted: false,
    replication_status: 'disabled',
    consistencygroup_id: null,
    multiattach: volume.multiattach,
    'os-vol-tenant-attr:tenant_id': volume.projectId,
  }
  if (volume.imageId !== null) view.volume_image_metadata = { image_id: volume.imageId }
  if (atLeast(version, 13)) view.group_id = null
  if (atLeast(version, 48)) {
    view.shared_targets = false
    view.service_uuid = SERVICE_UUID
  }
  if (isAdmin(owner)) {
    view['os-vol-host-attr:host'] = `gureum@simulated#${volume.volumeTypeName}`
    view['os-vol-mig-status-attr:migstat'] = null
    view['os-vol-mig-status-attr:name_id'] = null
    view.migration_status = null
  }
  return view
}

export function volumeSummary(request: FastifyRequest, volume: CoreVolume) {
  return { id: volume.id, name: volume.name === '' ? null : volume.name, links: resourceLinks(request, volume.projectId, 'volumes', volume.id) }
}

export function volumeListInput(query: VolumeListQuery): CoreVolumeListQuery {
  return {
    ...pageOf(query),
    name: query.name,
    status: query.status as VolumeStatus | undefined,
    bootable: query.bootable,
    direction: sortDirectionOf(query),
  }
}

const nonNull = <T>(value: T | null | undefined): T | undefined => value ?? undefined

/** `sizeGb` is the size asked for, or the source's when only a snapshot or source volume was named (Cinder's rule). */
export function volumeCreateInput(body: VolumeCreateBody, sizeGb: number): VolumeCreateInput {
  const volume = body.volume
  return {
    sizeGb,
    name: nonNull(volume.name ?? volume.display_name),
    description: nonNull(volume.description ?? volume.display_description),
    volumeType: nonNull(volume.volume_type),
    availabilityZone: nonNull(volume.availability_zone),
    imageId: nonNull(volume.imageRef ?? volume.image_id),
    snapshotId: nonNull(volume.snapshot_id),
    sourceVolumeId: nonNull(volume.source_volid),
    metadata: nonNull(volume.metadata),
    multiattach: volume.multiattach,
  }
}

/** The size the body asks for, or null when it names none (then a snapshot or source volume decides). */
export function requestedSize(body: VolumeCreateBody): number | null {
  const size = body.volume.size
  if (size === undefined || size === null) return null
  const number = typeof size === 'string' ? Number(size) : size
  if (!Number.isSafeInteger(number) || number < 1) throw badRequest(`Invalid input received: size ${size} must be an integer and greater than 0`, 'size')
  return number
}

export function volumeUpdateInput(body: VolumeUpdateBody): VolumeUpdate {
  const volume = body.volume
  return {
    name: nonNull(volume.name ?? volume.display_name) ?? (volume.name === null ? '' : undefined),
    description: nonNull(volume.description ?? volume.display_description) ?? (volume.description === null ? '' : undefined),
    metadata: nonNull(volume.metadata),
  }
}
