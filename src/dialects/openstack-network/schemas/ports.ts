import { Type, type Static } from 'typebox'
import { listQuery, Tags, Timestamp } from './common.ts'

const Name = Type.String({ maxLength: 255 })

export const FixedIp = Type.Object({ subnet_id: Type.String(), ip_address: Type.String() }, { additionalProperties: false })

export const AddressPair = Type.Object({
  ip_address: Type.String(),
  mac_address: Type.Optional(Type.String()),
}, { additionalProperties: false })

export const Port = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  network_id: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  mac_address: Type.String(),
  admin_state_up: Type.Boolean(),
  status: Type.String(),
  device_id: Type.String(),
  device_owner: Type.String(),
  fixed_ips: Type.Array(FixedIp),
  security_groups: Type.Array(Type.String()),
  allowed_address_pairs: Type.Array(AddressPair),
  extra_dhcp_opts: Type.Array(Type.Object({}, { additionalProperties: true })),
  port_security_enabled: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
  revision_number: Type.Integer(),
  tags: Tags,
}, { additionalProperties: false })
export type Port = Static<typeof Port>

/** A requested fixed IP: a subnet, an address, or both. */
export const FixedIpRequest = Type.Object({
  subnet_id: Type.Optional(Type.String()),
  ip_address: Type.Optional(Type.String()),
}, { additionalProperties: false })

const PortWritable = {
  name: Type.Optional(Name),
  description: Type.Optional(Name),
  admin_state_up: Type.Optional(Type.Boolean()),
  fixed_ips: Type.Optional(Type.Array(FixedIpRequest)),
  security_groups: Type.Optional(Type.Array(Type.String())),
  allowed_address_pairs: Type.Optional(Type.Array(AddressPair)),
  extra_dhcp_opts: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
  port_security_enabled: Type.Optional(Type.Boolean()),
  device_id: Type.Optional(Type.String()),
  device_owner: Type.Optional(Type.String()),
}

export const PortCreate = Type.Object({
  network_id: Type.String({ minLength: 1 }),
  ...PortWritable,
  mac_address: Type.Optional(Type.String()),
  tenant_id: Type.Optional(Type.String()),
  project_id: Type.Optional(Type.String()),
}, { additionalProperties: false })
export type PortCreate = Static<typeof PortCreate>

export const PortCreateBody = Type.Object({ port: PortCreate }, { additionalProperties: true })

export const PortUpdate = Type.Object(PortWritable, { additionalProperties: false })
export type PortUpdate = Static<typeof PortUpdate>

export const PortUpdateBody = Type.Object({ port: PortUpdate }, { additionalProperties: true })

export const PORT_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(Port.properties))

export const PortListQuery = listQuery([...PORT_ATTRIBUTES, 'tags', 'tags-any', 'not-tags', 'not-tags-any'])
