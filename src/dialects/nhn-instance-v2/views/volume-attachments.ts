/** Volume attachments: the core's attachment → Nova's `volumeAttachment`, and the attach body → the core's request. */
import type { VolumeAttachmentRef } from '../../../core/servers/server-ports.ts'
import { badRequest, DomainError } from '../../../core/shared/errors.ts'
import type { VolumeAttachment, VolumeAttachmentCreateBody, VolumeAttachmentListQuery } from '../schemas/volume-attachments.ts'
import { MAX_PAGE_SIZE } from '../schemas/common.ts'
import { flag } from './servers.ts'

export function volumeAttachment(attachment: Pick<VolumeAttachmentRef, 'device' | 'serverId' | 'volumeId'>): VolumeAttachment {
  return { id: attachment.volumeId, device: attachment.device, serverId: attachment.serverId, volumeId: attachment.volumeId }
}

/** Nova's `limited`: `offset` first, then at most `limit` (1000 at most; 0 or absent = 1000). */
export function volumeAttachmentPage(attachments: readonly VolumeAttachmentRef[], query: VolumeAttachmentListQuery): VolumeAttachment[] {
  const offset = query.offset ?? 0
  const limit = Math.min(query.limit || MAX_PAGE_SIZE, MAX_PAGE_SIZE)
  return attachments.slice(offset, offset + limit).map(volumeAttachment)
}

/**
 * The attach request; seed 003 puts the volume id in the path as well (N-16), which must then agree
 * with the body (CATALOG §6.3 C2).
 */
export function attachVolumeRequest(body: VolumeAttachmentCreateBody, pathVolumeId?: string) {
  const request = body.volumeAttachment
  if (pathVolumeId !== undefined && pathVolumeId !== request.volumeId) {
    throw badRequest(`The volume id in the URL (${pathVolumeId}) differs from volumeAttachment.volumeId (${request.volumeId}).`, 'volumeId')
  }
  return {
    volumeId: request.volumeId,
    device: request.device ?? null,
    deleteOnTermination: flag(request.delete_on_termination, false),
  }
}

export function attachmentOfVolume(attachments: readonly VolumeAttachmentRef[], volumeId: string): VolumeAttachment {
  const found = attachments.find((attachment) => attachment.volumeId === volumeId)
  if (!found) throw new DomainError('not_found', `volume_id not found: ${volumeId}`, { resource: 'volume_attachment', id: volumeId })
  return volumeAttachment(found)
}
