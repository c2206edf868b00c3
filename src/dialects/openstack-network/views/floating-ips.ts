import type { AllocateFloatingIpInput, NetworkService } from '../../../core/networks/network-service.ts'
import type { FloatingIpFilter } from '../../../core/networks/network-repositories.ts'
import type { FloatingIp as CoreFloatingIp } from '../../../core/networks/network.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import type { FloatingIp, FloatingIpCreate, FloatingIpUpdate } from '../schemas/floating-ips.ts'
import { singleFilter } from './collection.ts'
import { checkProjectAttributes, ownerAttributes, standardAttributes, unsupportedValue } from './common.ts'

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

export function floatingIpView(floatingIp: CoreFloatingIp): FloatingIp {
  return {
    id: floatingIp.id,
    floating_ip_address: floatingIp.address,
    floating_network_id: floatingIp.floatingNetworkId,
    router_id: null,
    port_id: floatingIp.portId,
    fixed_ip_address: floatingIp.fixedIp,
    status: floatingIp.status,
    description: floatingIp.description,
    ...ownerAttributes(floatingIp.projectId),
    ...standardAttributes(floatingIp),
    tags: [],
  }
}

export function floatingIpCreateInput(body: FloatingIpCreate, owner: Owner): AllocateFloatingIpInput {
  checkProjectAttributes(body, owner)
  if (!UUID.test(body.floating_network_id)) {
    throw unsupportedValue('floating_network_id', `'${body.floating_network_id}' is not a valid UUID`)
  }
  if (body.port_id == null && body.fixed_ip_address != null) {
    throw unsupportedValue('fixed_ip_address', 'a fixed IP address needs a port_id')
  }
  return {
    floatingNetwork: body.floating_network_id, subnetId: body.subnet_id ?? undefined,
    address: body.floating_ip_address ?? undefined, description: body.description,
    portId: body.port_id ?? undefined, fixedIp: body.fixed_ip_address ?? undefined,
  }
}

/**
 * Neutron's `PUT /floatingips/{id}`: a port id associates (moving the address if it was mapped
 * elsewhere), null disassociates, absent keeps the association. The description is fixed at creation.
 */
export async function updateFloatingIp(
  networks: NetworkService, owner: Owner, id: string, body: FloatingIpUpdate,
): Promise<CoreFloatingIp> {
  const current = await networks.getFloatingIp(owner, id)
  if (body.description !== undefined && body.description !== current.description) {
    throw unsupportedValue('description', 'the description of a floating IP is set when it is created')
  }
  if (body.port_id === null) return networks.disassociateFloatingIp(owner, id)
  if (body.port_id !== undefined) {
    return networks.associateFloatingIp(owner, id, { portId: body.port_id, fixedIp: body.fixed_ip_address ?? undefined })
  }
  if (body.fixed_ip_address != null && body.fixed_ip_address !== current.fixedIp) {
    throw unsupportedValue('fixed_ip_address', 'give the port_id together with a new fixed IP address')
  }
  return current
}

export function floatingIpFilter(filters: ReadonlyMap<string, readonly string[]>): FloatingIpFilter {
  const status = singleFilter(filters, 'status')
  return {
    id: singleFilter(filters, 'id'),
    floatingNetworkId: singleFilter(filters, 'floating_network_id'),
    portId: singleFilter(filters, 'port_id'),
    floatingIpAddress: singleFilter(filters, 'floating_ip_address'),
    fixedIpAddress: singleFilter(filters, 'fixed_ip_address'),
    status: status === 'ACTIVE' || status === 'DOWN' ? status : undefined,
  }
}
