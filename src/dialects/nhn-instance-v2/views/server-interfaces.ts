/** os-interface: a server's NIC → Nova's `interfaceAttachment`, and the attach body → a NIC choice. */
import type { ServerNetworkView } from '../../../core/networks/network.ts'
import type { NetworkChoice } from '../../../core/servers/server-commands.ts'
import type { ServerDescription } from '../../../core/servers/server-service.ts'
import { badRequest, DomainError } from '../../../core/shared/errors.ts'
import type { InterfaceAttachment, InterfaceAttachmentCreateBody } from '../schemas/server-interfaces.ts'

export function interfaceAttachment(nic: ServerNetworkView): InterfaceAttachment {
  return {
    fixed_ips: [{ ip_address: nic.ipAddress, subnet_id: nic.subnetId }],
    mac_addr: nic.macAddress,
    net_id: nic.networkId,
    port_id: nic.portId,
    port_state: 'ACTIVE',
  }
}

export function interfaceAttachments(description: ServerDescription | undefined): InterfaceAttachment[] {
  return (description?.nics ?? []).map(interfaceAttachment)
}

export function interfaceOfPort(description: ServerDescription | undefined, serverId: string, portId: string): InterfaceAttachment {
  const nic = description?.nics.find((candidate) => candidate.portId === portId)
  if (!nic) throw new DomainError('not_found', `Instance ${serverId} is not attached to port ${portId}.`, { resource: 'port', id: portId })
  return interfaceAttachment(nic)
}

/** Nova: a port, or a network with an optional fixed IP; never both a port and a network. */
export function interfaceChoice(body: InterfaceAttachmentCreateBody): NetworkChoice {
  const request = body.interfaceAttachment
  if (request.net_id !== undefined && request.port_id !== undefined) {
    throw badRequest('Must not input both network_id and port_id', 'interfaceAttachment')
  }
  const fixedIp = request.fixed_ips?.[0]?.ip_address
  if (fixedIp !== undefined && request.net_id === undefined) throw badRequest('Must input network_id when request IP address', 'fixed_ips')
  return {
    ...(request.net_id !== undefined ? { networkId: request.net_id } : {}),
    ...(request.port_id !== undefined ? { portId: request.port_id } : {}),
    ...(fixedIp !== undefined ? { fixedIp } : {}),
  }
}
