import { Type, type Static } from 'typebox'
import { successBody } from './common.ts'

export const AttachmentParams = Type.Object({
  appkey: Type.String({ minLength: 1, maxLength: 255 }),
  serverId: Type.String({ minLength: 1, maxLength: 255 }),
  volumeId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type AttachmentParams = Static<typeof AttachmentParams>

export const AttachBody = Type.Object({
  attachment: Type.Object({ volumeId: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: true }),
}, { additionalProperties: true })
export type AttachBody = Static<typeof AttachBody>

export const AttachmentBody = successBody({
  attachment: Type.Object({
    device: Type.String(),
    /** The volume id (CATALOG §6 A15, X5): what the detach URL takes. */
    id: Type.String(),
    volumeId: Type.String(),
  }, { additionalProperties: false }),
})
