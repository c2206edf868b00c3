import { Type, type Static } from 'typebox'
import { listQuery, Tags, Timestamp } from './common.ts'

const Name = Type.String({ maxLength: 255 })

export const Network = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Type.String(),
  admin_state_up: Type.Boolean(),
  shared: Type.Boolean(),
  'router:external': Type.Boolean(),
  subnets: Type.Array(Type.String()),
  mtu: Type.Integer(),
  port_security_enabled: Type.Boolean(),
  availability_zones: Type.Array(Type.String()),
  availability_zone_hints: Type.Array(Type.String()),
  tenant_id: Type.String(),
  project_id: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
  revision_number: Type.Integer(),
  tags: Tags,
}, { additionalProperties: false })
export type Network = Static<typeof Network>

const ProjectAttributes = {
  tenant_id: Type.Optional(Type.String()),
  project_id: Type.Optional(Type.String()),
}

export const NetworkCreate = Type.Object({
  name: Type.Optional(Name),
  description: Type.Optional(Name),
  admin_state_up: Type.Optional(Type.Boolean()),
  shared: Type.Optional(Type.Boolean()),
  'router:external': Type.Optional(Type.Boolean()),
  mtu: Type.Optional(Type.Integer()),
  port_security_enabled: Type.Optional(Type.Boolean()),
  availability_zone_hints: Type.Optional(Type.Array(Type.String())),
  ...ProjectAttributes,
}, { additionalProperties: false })
export type NetworkCreate = Static<typeof NetworkCreate>

export const NetworkCreateBody = Type.Object({ network: NetworkCreate }, { additionalProperties: true })
export type NetworkCreateBody = Static<typeof NetworkCreateBody>

export const NetworkUpdate = Type.Object({
  name: Type.Optional(Name),
  description: Type.Optional(Name),
  admin_state_up: Type.Optional(Type.Boolean()),
  shared: Type.Optional(Type.Boolean()),
  'router:external': Type.Optional(Type.Boolean()),
  mtu: Type.Optional(Type.Integer()),
  port_security_enabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })
export type NetworkUpdate = Static<typeof NetworkUpdate>

export const NetworkUpdateBody = Type.Object({ network: NetworkUpdate }, { additionalProperties: true })
export type NetworkUpdateBody = Static<typeof NetworkUpdateBody>

export const NETWORK_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(Network.properties))

export const NetworkListQuery = listQuery([...NETWORK_ATTRIBUTES, 'tags', 'tags-any', 'not-tags', 'not-tags-any'])
