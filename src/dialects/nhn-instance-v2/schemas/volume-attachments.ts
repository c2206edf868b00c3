/**
 * Volume attachments of a server (N-14…N-17): `{device, id, serverId, volumeId}` with `id` = the volume
 * id (Nova below 2.89, CATALOG §6.5 X5), offset/limit on the list, and the attach body.
 */
import { Type, type Static } from 'typebox'
import { Flag, ServerParams } from './servers.ts'

export const VolumeAttachmentParams = Type.Object({
  ...ServerParams.properties,
  volumeId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type VolumeAttachmentParams = Static<typeof VolumeAttachmentParams>

export const VolumeAttachment = Type.Object({
  id: Type.String(),
  device: Type.Union([Type.String(), Type.Null()]),
  serverId: Type.String(),
  volumeId: Type.String(),
}, { additionalProperties: false })
export type VolumeAttachment = Static<typeof VolumeAttachment>

export const VolumeAttachmentList = Type.Object({ volumeAttachments: Type.Array(VolumeAttachment) }, { additionalProperties: false })
export type VolumeAttachmentList = Static<typeof VolumeAttachmentList>

export const VolumeAttachmentShow = Type.Object({ volumeAttachment: VolumeAttachment }, { additionalProperties: false })
export type VolumeAttachmentShow = Static<typeof VolumeAttachmentShow>

/** Seeds 001–003 document `limit` and `offset` (index of the first attachment returned). */
export const VolumeAttachmentListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 0 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
}, { additionalProperties: true })
export type VolumeAttachmentListQuery = Static<typeof VolumeAttachmentListQuery>

/**
 * `volumeId` is required by the seeds; `device` is Nova's (a wish: another free device may be chosen);
 * `delete_on_termination` is Nova's 2.79 field, accepted at every version (docs/compat).
 */
export const VolumeAttachmentCreateBody = Type.Object({
  volumeAttachment: Type.Object({
    volumeId: Type.String({ minLength: 1, maxLength: 255 }),
    device: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    delete_on_termination: Type.Optional(Flag),
    tag: Type.Optional(Type.String({ maxLength: 60 })),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type VolumeAttachmentCreateBody = Static<typeof VolumeAttachmentCreateBody>
