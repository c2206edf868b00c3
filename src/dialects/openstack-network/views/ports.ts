import type { CreatePortInput, UpdatePortInput } from '../../../core/networks/network-service.ts'
import type { PortFilter } from '../../../core/networks/network-repositories.ts'
import type { Port as CorePort } from '../../../core/networks/network.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import type { Port, PortCreate, PortUpdate } from '../schemas/ports.ts'
import { singleFilter, type SpecialFilter, type WireObject } from './collection.ts'
import { checkProjectAttributes, ownerAttributes, standardAttributes, unsupportedValue } from './common.ts'

export function portView(port: CorePort): Port {
  return {
    id: port.id,
    name: port.name,
    description: '',
    network_id: port.networkId,
    ...ownerAttributes(port.projectId),
    mac_address: port.macAddress,
    admin_state_up: port.adminStateUp,
    status: port.status,
    device_id: port.deviceId ?? '',
    device_owner: port.deviceOwner ?? '',
    fixed_ips: [{ subnet_id: port.subnetId, ip_address: port.ipAddress }],
    security_groups: [...port.securityGroupIds],
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    port_security_enabled: true,
    ...standardAttributes(port),
    tags: [],
  }
}

/**
 * What Gureum's ports cannot hold: one fixed IP each, always filtered by security groups, no
 * descriptions, address pairs or DHCP options, and bound to servers only through the compute API.
 */
function checkPortShape(body: PortUpdate): void {
  if (body.description !== undefined && body.description !== '') {
    throw unsupportedValue('description', 'ports carry no description')
  }
  if (body.allowed_address_pairs !== undefined && body.allowed_address_pairs.length > 0) {
    throw unsupportedValue('allowed_address_pairs', 'allowed address pairs are not supported')
  }
  if (body.extra_dhcp_opts !== undefined && body.extra_dhcp_opts.length > 0) {
    throw unsupportedValue('extra_dhcp_opts', 'extra DHCP options are not supported')
  }
  if (body.port_security_enabled === false) throw unsupportedValue('port_security_enabled', 'port security cannot be disabled')
  for (const attribute of ['device_id', 'device_owner'] as const) {
    if (body[attribute] !== undefined && body[attribute] !== '') {
      throw unsupportedValue(attribute, 'ports are bound to servers through the compute API (server create or interface attach)')
    }
  }
}

export function portCreateInput(body: PortCreate, owner: Owner): CreatePortInput {
  checkProjectAttributes(body, owner)
  checkPortShape(body)
  if (body.mac_address !== undefined) throw unsupportedValue('mac_address', 'MAC addresses are always generated')
  const fixedIps = body.fixed_ips
  if (fixedIps !== undefined && fixedIps.length !== 1) {
    throw unsupportedValue('fixed_ips', 'a port has exactly one fixed IP')
  }
  const [fixedIp] = fixedIps ?? []
  if (fixedIp && fixedIp.subnet_id === undefined && fixedIp.ip_address === undefined) {
    throw unsupportedValue('fixed_ips', 'each fixed IP needs a subnet_id or an ip_address')
  }
  return {
    networkId: body.network_id, subnetId: fixedIp?.subnet_id, fixedIp: fixedIp?.ip_address, name: body.name,
    adminStateUp: body.admin_state_up, securityGroupIds: body.security_groups,
  }
}

export function portUpdateInput(body: PortUpdate): UpdatePortInput {
  checkPortShape(body)
  if (body.fixed_ips !== undefined) throw unsupportedValue('fixed_ips', 'a port keeps the fixed IP it was created with')
  return { name: body.name, adminStateUp: body.admin_state_up, securityGroupIds: body.security_groups }
}

/** `fixed_ips=ip_address=10.0.0.3&fixed_ips=subnet_id=…`: keys ANDed, repeats of one key ORed. */
function fixedIpCriteria(values: readonly string[]): Map<string, string[]> {
  const criteria = new Map<string, string[]>()
  for (const value of values) {
    const separator = value.indexOf('=')
    const key = separator < 0 ? value : value.slice(0, separator)
    criteria.set(key, [...(criteria.get(key) ?? []), separator < 0 ? '' : value.slice(separator + 1)])
  }
  return criteria
}

const matchesFixedIps: SpecialFilter = (wire: WireObject, values) => {
  const fixedIps = wire.fixed_ips as Port['fixed_ips']
  for (const [key, wanted] of fixedIpCriteria(values)) {
    const ok = fixedIps.some((fixedIp) => {
      if (key === 'ip_address') return wanted.includes(fixedIp.ip_address)
      if (key === 'subnet_id') return wanted.includes(fixedIp.subnet_id)
      if (key === 'ip_address_substr') return wanted.some((part) => fixedIp.ip_address.includes(part))
      return false
    })
    if (!ok) return false
  }
  return true
}

export const portSpecialFilters: Readonly<Record<string, SpecialFilter>> = {
  fixed_ips: matchesFixedIps,
}

export function portFilter(filters: ReadonlyMap<string, readonly string[]>): PortFilter {
  const fixed = fixedIpCriteria(filters.get('fixed_ips') ?? [])
  const one = (values: string[] | undefined) => (values && values.length === 1 && values[0] !== '' ? values[0] : undefined)
  const status = singleFilter(filters, 'status')
  return {
    id: singleFilter(filters, 'id'),
    networkId: singleFilter(filters, 'network_id'),
    subnetId: one(fixed.get('subnet_id')),
    ipAddress: one(fixed.get('ip_address')),
    deviceId: singleFilter(filters, 'device_id'),
    deviceOwner: singleFilter(filters, 'device_owner'),
    name: singleFilter(filters, 'name'),
    macAddress: singleFilter(filters, 'mac_address'),
    status: status === 'ACTIVE' || status === 'DOWN' ? status : undefined,
  }
}
