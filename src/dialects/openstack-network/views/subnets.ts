import type { CreateSubnetInput, UpdateSubnetInput } from '../../../core/networks/network-service.ts'
import type { SubnetFilter } from '../../../core/networks/network-repositories.ts'
import type { Subnet as CoreSubnet } from '../../../core/networks/network.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import { badResourceRequest } from '../errors.ts'
import type { Subnet, SubnetCreate, SubnetUpdate } from '../schemas/subnets.ts'
import { singleFilter } from './collection.ts'
import { checkProjectAttributes, ownerAttributes, standardAttributes, unsupportedValue } from './common.ts'

export function subnetView(subnet: CoreSubnet): Subnet {
  return {
    id: subnet.id,
    name: subnet.name,
    description: subnet.description,
    network_id: subnet.networkId,
    ...ownerAttributes(subnet.projectId),
    ip_version: subnet.ipVersion,
    cidr: subnet.cidr,
    gateway_ip: subnet.gatewayIp,
    allocation_pools: [{ start: subnet.allocationPool.start, end: subnet.allocationPool.end }],
    enable_dhcp: subnet.enableDhcp,
    dns_nameservers: [...subnet.dnsNameservers],
    host_routes: [],
    ipv6_address_mode: null,
    ipv6_ra_mode: null,
    subnetpool_id: null,
    service_types: [],
    ...standardAttributes(subnet),
    tags: [],
  }
}

/** What Gureum's IPv4-only subnets with one allocation pool and no routes cannot take. */
function checkSubnetShape(body: Pick<SubnetCreate, 'host_routes' | 'service_types' | 'allocation_pools'>): void {
  if (body.host_routes !== undefined && body.host_routes.length > 0) {
    throw unsupportedValue('host_routes', 'host routes are not supported')
  }
  if (body.service_types !== undefined && body.service_types.length > 0) {
    throw unsupportedValue('service_types', 'subnet service types are not supported')
  }
  if (body.allocation_pools !== undefined && body.allocation_pools.length !== 1) {
    throw unsupportedValue('allocation_pools', 'exactly one allocation pool is supported')
  }
}

export function subnetCreateInput(body: SubnetCreate, owner: Owner): CreateSubnetInput {
  checkProjectAttributes(body, owner)
  if (body.ip_version !== 4 && body.ip_version !== 6) {
    throw unsupportedValue('ip_version', `${body.ip_version} is not in [4, 6]`)
  }
  if (body.ip_version === 6 || body.ipv6_address_mode != null || body.ipv6_ra_mode != null) {
    throw unsupportedValue('ip_version', 'only IPv4 subnets are supported')
  }
  if (body.subnetpool_id != null || body.use_default_subnet_pool === true || body.prefixlen !== undefined) {
    throw unsupportedValue('subnetpool_id', 'subnet pools are not supported; give a cidr')
  }
  if (body.cidr === undefined) throw badResourceRequest('subnet', 'a subnetpool must be specified in the absence of a cidr')
  checkSubnetShape(body)
  return {
    networkId: body.network_id, cidr: body.cidr, name: body.name, description: body.description,
    gatewayIp: body.gateway_ip, enableDhcp: body.enable_dhcp, dnsNameservers: body.dns_nameservers,
    allocationPool: body.allocation_pools?.[0],
  }
}

export function subnetUpdateInput(body: SubnetUpdate): UpdateSubnetInput {
  checkSubnetShape({ host_routes: body.host_routes, service_types: body.service_types })
  if (body.gateway_ip !== undefined) throw unsupportedValue('gateway_ip', 'it is fixed when the subnet is created')
  if (body.allocation_pools !== undefined) throw unsupportedValue('allocation_pools', 'they are fixed when the subnet is created')
  return { name: body.name, description: body.description, enableDhcp: body.enable_dhcp, dnsNameservers: body.dns_nameservers }
}

export function subnetFilter(filters: ReadonlyMap<string, readonly string[]>): SubnetFilter {
  return {
    id: singleFilter(filters, 'id'),
    networkId: singleFilter(filters, 'network_id'),
    name: singleFilter(filters, 'name'),
    cidr: singleFilter(filters, 'cidr'),
  }
}
