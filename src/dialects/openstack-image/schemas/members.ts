/** Glance v2 image members. */
import { Type, type Static } from 'typebox'

export const MemberView = Type.Object({
  image_id: Type.String(),
  member_id: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('rejected')]),
  created_at: Type.String(),
  updated_at: Type.String(),
  schema: Type.Literal('/v2/schemas/member'),
}, { additionalProperties: false })
export type MemberView = Static<typeof MemberView>

export const MemberList = Type.Object({
  members: Type.Array(MemberView),
  schema: Type.Literal('/v2/schemas/members'),
}, { additionalProperties: false })

export const MemberParams = Type.Object({
  imageId: Type.String({ minLength: 1 }),
  memberId: Type.String({ minLength: 1 }),
}, { additionalProperties: false })
export type MemberParams = Static<typeof MemberParams>

export const MemberCreateBody = Type.Object({
  member: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type MemberCreateBody = Static<typeof MemberCreateBody>

export const MemberUpdateBody = Type.Object({
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('rejected')]),
}, { additionalProperties: false })
export type MemberUpdateBody = Static<typeof MemberUpdateBody>
