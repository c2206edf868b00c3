import { Type, type Static } from 'typebox'
import { PageQuery, TenantParams } from './common.ts'

export const ServerGroupParams = Type.Object({
  ...TenantParams.properties,
  serverGroupId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type ServerGroupParams = Static<typeof ServerGroupParams>

/**
 * Nova pages server groups with limit and offset; `marker` (the last group id seen) is accepted too.
 * `all_projects` (admins) is ignored: the list is always the caller's project.
 */
export const ServerGroupListQuery = Type.Object({
  ...PageQuery,
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
}, { additionalProperties: true })
export type ServerGroupListQuery = Static<typeof ServerGroupListQuery>

/** Nova's view before 2.64: a `policies` list and an always-empty `metadata`; project and user from 2.13. */
export const ServerGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  policies: Type.Array(Type.String()),
  members: Type.Array(Type.String()),
  metadata: Type.Object({}, { additionalProperties: false }),
  project_id: Type.Optional(Type.String()),
  user_id: Type.Optional(Type.String()),
}, { additionalProperties: false })
export type ServerGroup = Static<typeof ServerGroup>

export const ServerGroupShow = Type.Object({ server_group: ServerGroup }, { additionalProperties: false })
export type ServerGroupShow = Static<typeof ServerGroupShow>

export const ServerGroupList = Type.Object({ server_groups: Type.Array(ServerGroup) }, { additionalProperties: false })
export type ServerGroupList = Static<typeof ServerGroupList>

/**
 * Nova's hard policies, exactly one. Its 2.15 soft policies are not offered, and SCP's `partition` is
 * not a Nova policy: both are refused as invalid input.
 */
export const ServerGroupCreateBody = Type.Object({
  server_group: Type.Object({
    name: Type.String(),
    policies: Type.Array(Type.Enum(['affinity', 'anti-affinity']), { minItems: 1, maxItems: 1, uniqueItems: true }),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type ServerGroupCreateBody = Static<typeof ServerGroupCreateBody>
