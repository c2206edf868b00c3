import type { CreateNetworkInput, UpdateNetworkInput } from '../../../core/networks/network-service.ts'
import type { NetworkFilter } from '../../../core/networks/network-repositories.ts'
import type { Network as CoreNetwork } from '../../../core/networks/network.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import type { Network, NetworkCreate, NetworkUpdate } from '../schemas/networks.ts'
import { singleBooleanFilter, singleFilter } from './collection.ts'
import { checkProjectAttributes, ownerAttributes, standardAttributes, unsupportedValue } from './common.ts'

/** Neutron's default availability zone: Gureum's networks span every compute zone. */
export const NETWORK_AVAILABILITY_ZONE = 'nova'

export function networkView(network: CoreNetwork): Network {
  return {
    id: network.id,
    name: network.name,
    description: network.description,
    status: network.status,
    admin_state_up: network.adminStateUp,
    shared: network.shared,
    'router:external': network.external,
    subnets: [...network.subnetIds],
    mtu: network.mtu,
    port_security_enabled: true,
    availability_zones: [NETWORK_AVAILABILITY_ZONE],
    availability_zone_hints: [],
    ...ownerAttributes(network.projectId),
    ...standardAttributes(network),
    tags: [],
  }
}

/** Port security cannot be turned off: every port is filtered by its security groups. */
function checkPortSecurity(value: boolean | undefined): void {
  if (value === false) throw unsupportedValue('port_security_enabled', 'port security cannot be disabled in Gureum')
}

export function networkCreateInput(body: NetworkCreate, owner: Owner): CreateNetworkInput {
  checkProjectAttributes(body, owner)
  checkPortSecurity(body.port_security_enabled)
  if (body.availability_zone_hints !== undefined && body.availability_zone_hints.length > 0) {
    throw unsupportedValue('availability_zone_hints', `networks span every zone (shown as '${NETWORK_AVAILABILITY_ZONE}'); hints are not kept`)
  }
  return {
    name: body.name, description: body.description, shared: body.shared, external: body['router:external'],
    adminStateUp: body.admin_state_up, mtu: body.mtu,
  }
}

export function networkUpdateInput(body: NetworkUpdate): UpdateNetworkInput {
  checkPortSecurity(body.port_security_enabled)
  if (body['router:external'] !== undefined) throw unsupportedValue('router:external', 'it is fixed when the network is created')
  if (body.mtu !== undefined) throw unsupportedValue('mtu', 'it is fixed when the network is created')
  return { name: body.name, description: body.description, shared: body.shared, adminStateUp: body.admin_state_up }
}

export function networkFilter(filters: ReadonlyMap<string, readonly string[]>): NetworkFilter {
  return {
    id: singleFilter(filters, 'id'),
    name: singleFilter(filters, 'name'),
    shared: singleBooleanFilter(filters, 'shared'),
    external: singleBooleanFilter(filters, 'router:external'),
  }
}
