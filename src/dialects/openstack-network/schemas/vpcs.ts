/**
 * NHN Cloud's VPC views of networks and subnets (Network > VPC > API v2 guide: `GET /v2.0/vpcs`,
 * `/v2.0/vpcs/{vpcId}`, `/v2.0/vpcsubnets`, `/v2.0/vpcsubnets/{subnetId}`), read-only here.
 */
import { Type, type Static } from 'typebox'
import { Links, listQuery, NullableString } from './common.ts'

export const VpcSummary = Type.Object({
  shared: Type.Boolean(),
  state: Type.String(),
  id: Type.String(),
  cidrv4: NullableString,
  name: Type.String(),
}, { additionalProperties: false })

export const VpcSubnet = Type.Object({
  'router:external': Type.Boolean(),
  name: Type.String(),
  tenant_id: Type.String(),
  id: Type.String(),
  state: Type.String(),
  create_time: Type.String(),
  available_ip_count: Type.Integer(),
  vpc: VpcSummary,
  vpc_id: Type.String(),
  routes: Type.Array(Type.Object({}, { additionalProperties: true })),
  shared: Type.Boolean(),
  cidr: Type.String(),
  gateway: NullableString,
}, { additionalProperties: false })
export type VpcSubnet = Static<typeof VpcSubnet>

/** The guide's VPC view shows each subnet's DHCP switch too. */
export const VpcDetailSubnet = Type.Object({ ...VpcSubnet.properties, enable_dhcp: Type.Boolean() }, { additionalProperties: false })

export const Vpc = Type.Object({
  'router:external': Type.Boolean(),
  name: Type.String(),
  tenant_id: Type.String(),
  state: Type.String(),
  create_time: Type.String(),
  cidrv4: NullableString,
  shared: Type.Boolean(),
  id: Type.String(),
}, { additionalProperties: false })
export type Vpc = Static<typeof Vpc>

export const VpcDetail = Type.Object({
  ...Vpc.properties,
  routingtables: Type.Array(Type.Object({}, { additionalProperties: true })),
  subnets: Type.Array(VpcDetailSubnet),
}, { additionalProperties: false })
export type VpcDetail = Static<typeof VpcDetail>

/**
 * The next-page link keys are the ones NHN's own SDK (nhncloud.gophercloud vpcs / vpcsubnets) reads;
 * the guide documents no paging for these lists.
 */
export const VpcListResponse = Type.Object({
  vpcs: Type.Array(Vpc),
  networks_links: Type.Optional(Links),
}, { additionalProperties: false })
export const VpcResponse = Type.Object({ vpc: VpcDetail }, { additionalProperties: false })

export const VpcSubnetListResponse = Type.Object({
  vpcsubnets: Type.Array(VpcSubnet),
  subnets_links: Type.Optional(Links),
}, { additionalProperties: false })
export const VpcSubnetResponse = Type.Object({ vpcsubnet: VpcSubnet }, { additionalProperties: false })

export const VPC_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(Vpc.properties))
export const VPC_SUBNET_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(VpcSubnet.properties))

export const VpcListQuery = listQuery(['tenant_id', 'id', 'name', 'router:external', 'shared'])
export const VpcSubnetListQuery = listQuery(['id', 'name', 'vpc_id', 'cidr', 'shared'])
