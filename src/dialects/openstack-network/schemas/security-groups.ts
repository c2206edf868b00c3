import { Type, type Static } from 'typebox'
import { listQuery, Nullable, NullableString, Tags, Timestamp } from './common.ts'

const NullableInteger = Nullable(Type.Integer())

export const SecurityGroupRule = Type.Object({
  id: Type.String(),
  security_group_id: Type.String(),
  direction: Type.String(),
  ethertype: Type.String(),
  protocol: NullableString,
  port_range_min: NullableInteger,
  port_range_max: NullableInteger,
  remote_ip_prefix: NullableString,
  remote_group_id: NullableString,
  remote_address_group_id: Type.Null(),
  description: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
  revision_number: Type.Integer(),
}, { additionalProperties: false })
export type SecurityGroupRule = Static<typeof SecurityGroupRule>

export const SecurityGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  security_group_rules: Type.Array(SecurityGroupRule),
  stateful: Type.Boolean(),
  shared: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
  revision_number: Type.Integer(),
  tags: Tags,
}, { additionalProperties: false })
export type SecurityGroup = Static<typeof SecurityGroup>

export const SecurityGroupCreate = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 255 })),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  stateful: Type.Optional(Type.Boolean()),
  tenant_id: Type.Optional(Type.String()),
  project_id: Type.Optional(Type.String()),
}, { additionalProperties: false })
export type SecurityGroupCreate = Static<typeof SecurityGroupCreate>

export const SecurityGroupCreateBody = Type.Object({ security_group: SecurityGroupCreate }, { additionalProperties: true })

export const SecurityGroupUpdate = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 255 })),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  stateful: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })
export type SecurityGroupUpdate = Static<typeof SecurityGroupUpdate>

export const SecurityGroupUpdateBody = Type.Object({ security_group: SecurityGroupUpdate }, { additionalProperties: true })

/** Neutron takes port numbers as integers or numeric strings (its own sample sends "80"). */
const PortNumber = Type.Union([Type.Null(), Type.Integer(), Type.String()])

export const SecurityGroupRuleCreate = Type.Object({
  security_group_id: Type.String({ minLength: 1 }),
  direction: Type.String(),
  ethertype: Type.Optional(Type.String()),
  protocol: Type.Optional(Type.Union([Type.Null(), Type.Integer(), Type.String()])),
  port_range_min: Type.Optional(PortNumber),
  port_range_max: Type.Optional(PortNumber),
  remote_ip_prefix: Type.Optional(NullableString),
  remote_group_id: Type.Optional(NullableString),
  remote_address_group_id: Type.Optional(NullableString),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  tenant_id: Type.Optional(Type.String()),
  project_id: Type.Optional(Type.String()),
}, { additionalProperties: false })
export type SecurityGroupRuleCreate = Static<typeof SecurityGroupRuleCreate>

export const SecurityGroupRuleCreateBody = Type.Object({ security_group_rule: SecurityGroupRuleCreate }, { additionalProperties: true })

export const SECURITY_GROUP_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(SecurityGroup.properties))
export const SECURITY_GROUP_RULE_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(SecurityGroupRule.properties))

export const SecurityGroupListQuery = listQuery([...SECURITY_GROUP_ATTRIBUTES, 'tags', 'tags-any', 'not-tags', 'not-tags-any'])
export const SecurityGroupRuleListQuery = listQuery([...SECURITY_GROUP_RULE_ATTRIBUTES])
