import { Type, type Static } from 'typebox'
import { listQuery, NullableString, Tags, Timestamp } from './common.ts'

const Name = Type.String({ maxLength: 255 })

export const AllocationPool = Type.Object({ start: Type.String(), end: Type.String() }, { additionalProperties: false })

export const HostRoute = Type.Object({ destination: Type.String(), nexthop: Type.String() }, { additionalProperties: false })

export const Subnet = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  network_id: Type.String(),
  tenant_id: Type.String(),
  project_id: Type.String(),
  ip_version: Type.Integer(),
  cidr: Type.String(),
  gateway_ip: NullableString,
  allocation_pools: Type.Array(AllocationPool),
  enable_dhcp: Type.Boolean(),
  dns_nameservers: Type.Array(Type.String()),
  host_routes: Type.Array(HostRoute),
  ipv6_address_mode: Type.Null(),
  ipv6_ra_mode: Type.Null(),
  subnetpool_id: Type.Null(),
  service_types: Type.Array(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
  revision_number: Type.Integer(),
  tags: Tags,
}, { additionalProperties: false })
export type Subnet = Static<typeof Subnet>


export const SubnetCreate = Type.Object({
  network_id: Type.String({ minLength: 1 }),
  ip_version: Type.Integer(),
  cidr: Type.Optional(Type.String()),
  name: Type.Optional(Name),
  description: Type.Optional(Name),
  gateway_ip: Type.Optional(NullableString),
  allocation_pools: Type.Optional(Type.Array(AllocationPool)),
  dns_nameservers: Type.Optional(Type.Array(Type.String())),
  host_routes: Type.Optional(Type.Array(HostRoute)),
  enable_dhcp: Type.Optional(Type.Boolean()),
  ipv6_address_mode: Type.Optional(NullableString),
  ipv6_ra_mode: Type.Optional(NullableString),
  subnetpool_id: Type.Optional(NullableString),
  use_default_subnet_pool: Type.Optional(Type.Boolean()),
  prefixlen: Type.Optional(Type.Integer()),
  service_types: Type.Optional(Type.Array(Type.String())),
  tenant_id: Type.Optional(Type.String()),
  project_id: Type.Optional(Type.String()),
}, { additionalProperties: false })
export type SubnetCreate = Static<typeof SubnetCreate>

export const SubnetCreateBody = Type.Object({ subnet: SubnetCreate }, { additionalProperties: true })
export type SubnetCreateBody = Static<typeof SubnetCreateBody>

export const SubnetUpdate = Type.Object({
  name: Type.Optional(Name),
  description: Type.Optional(Name),
  enable_dhcp: Type.Optional(Type.Boolean()),
  dns_nameservers: Type.Optional(Type.Array(Type.String())),
  gateway_ip: Type.Optional(NullableString),
  allocation_pools: Type.Optional(Type.Array(AllocationPool)),
  host_routes: Type.Optional(Type.Array(HostRoute)),
  service_types: Type.Optional(Type.Array(Type.String())),
}, { additionalProperties: false })
export type SubnetUpdate = Static<typeof SubnetUpdate>

export const SubnetUpdateBody = Type.Object({ subnet: SubnetUpdate }, { additionalProperties: true })
export type SubnetUpdateBody = Static<typeof SubnetUpdateBody>

export const SUBNET_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(Subnet.properties))

export const SubnetListQuery = listQuery([...SUBNET_ATTRIBUTES, 'tags', 'tags-any', 'not-tags', 'not-tags-any'])
