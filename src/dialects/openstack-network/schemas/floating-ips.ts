import { Type, type Static } from 'typebox'
import { listQuery, NullableString, Tags, Timestamp } from './common.ts'


export const FloatingIp = Type.Object({
  id: Type.String(),
  floating_ip_address: Type.String(),
  floating_network_id: Type.String(),
  router_id: Type.Null(),
  port_id: NullableString,
  fixed_ip_address: NullableString,
  status: Type.String(),
  description: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
  revision_number: Type.Integer(),
  tags: Tags,
}, { additionalProperties: false })
export type FloatingIp = Static<typeof FloatingIp>

export const FloatingIpCreate = Type.Object({
  floating_network_id: Type.String({ minLength: 1 }),
  subnet_id: Type.Optional(NullableString),
  floating_ip_address: Type.Optional(NullableString),
  port_id: Type.Optional(NullableString),
  fixed_ip_address: Type.Optional(NullableString),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  tenant_id: Type.Optional(Type.String()),
  project_id: Type.Optional(Type.String()),
}, { additionalProperties: false })
export type FloatingIpCreate = Static<typeof FloatingIpCreate>

export const FloatingIpCreateBody = Type.Object({ floatingip: FloatingIpCreate }, { additionalProperties: true })

/** `port_id` null disassociates; absent leaves the association as it is. */
export const FloatingIpUpdate = Type.Object({
  port_id: Type.Optional(NullableString),
  fixed_ip_address: Type.Optional(NullableString),
  description: Type.Optional(Type.String({ maxLength: 255 })),
}, { additionalProperties: false })
export type FloatingIpUpdate = Static<typeof FloatingIpUpdate>

export const FloatingIpUpdateBody = Type.Object({ floatingip: FloatingIpUpdate }, { additionalProperties: true })

export const FLOATING_IP_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(FloatingIp.properties))

export const FloatingIpListQuery = listQuery([...FLOATING_IP_ATTRIBUTES, 'tags', 'tags-any', 'not-tags', 'not-tags-any'])
