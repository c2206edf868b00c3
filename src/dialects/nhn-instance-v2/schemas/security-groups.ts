/**
 * Nova's os-security-groups proxy (read side) and a server's groups: not in the seeds, but what
 * openstackclient's `server add/remove security group` and novaclient's `list-secgroup` read. Nova
 * removed the proxies at 2.36, so they answer 404 from 2.36 on.
 */
import { Type, type Static } from 'typebox'
import { PageQuery, TenantParams } from './common.ts'

export const SecurityGroupParams = Type.Object({
  ...TenantParams.properties,
  securityGroupId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type SecurityGroupParams = Static<typeof SecurityGroupParams>

const nullableString = Type.Union([Type.String(), Type.Null()])

export const NovaSecurityGroupRule = Type.Object({
  id: Type.String(),
  parent_group_id: Type.String(),
  ip_protocol: nullableString,
  from_port: Type.Union([Type.Integer(), Type.Null()]),
  to_port: Type.Union([Type.Integer(), Type.Null()]),
  ip_range: Type.Object({ cidr: Type.Optional(Type.String()) }, { additionalProperties: false }),
  group: Type.Object({ name: Type.Optional(Type.String()), tenant_id: Type.Optional(Type.String()) }, { additionalProperties: false }),
}, { additionalProperties: false })
export type NovaSecurityGroupRule = Static<typeof NovaSecurityGroupRule>

export const NovaSecurityGroup = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  tenant_id: Type.String(),
  rules: Type.Array(NovaSecurityGroupRule),
}, { additionalProperties: false })
export type NovaSecurityGroup = Static<typeof NovaSecurityGroup>

export const NovaSecurityGroupList = Type.Object({ security_groups: Type.Array(NovaSecurityGroup) }, { additionalProperties: false })
export type NovaSecurityGroupList = Static<typeof NovaSecurityGroupList>

export const NovaSecurityGroupShow = Type.Object({ security_group: NovaSecurityGroup }, { additionalProperties: false })
export type NovaSecurityGroupShow = Static<typeof NovaSecurityGroupShow>

export const SecurityGroupListQuery = Type.Object({ ...PageQuery }, { additionalProperties: true })
export type SecurityGroupListQuery = Static<typeof SecurityGroupListQuery>
