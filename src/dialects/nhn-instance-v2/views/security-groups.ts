/** Security groups as Nova's proxy showed Neutron's: ingress rules only, in nova-network's rule form. */
import type { SecurityGroup, SecurityGroupRule } from '../../../core/networks/network.ts'
import { badRequest, DomainError } from '../../../core/shared/errors.ts'
import { atLeast, type Microversion } from '../microversion.ts'
import { pageSize } from '../schemas/common.ts'
import type { NovaSecurityGroup, NovaSecurityGroupRule, SecurityGroupListQuery } from '../schemas/security-groups.ts'

function rule(group: SecurityGroup, entry: SecurityGroupRule, groups: ReadonlyMap<string, SecurityGroup>): NovaSecurityGroupRule {
  // Nova's translation: a protocol without ports means all of them (1-65535 for TCP/UDP, -1 otherwise).
  const allPorts = entry.protocol !== null && entry.portRangeMin === null && entry.portRangeMax === null
  const tcpOrUdp = entry.protocol !== null && ['tcp', 'udp'].includes(entry.protocol.toLowerCase())
  const remote = entry.remoteGroupId === null ? undefined : groups.get(entry.remoteGroupId)
  return {
    id: entry.id,
    parent_group_id: group.id,
    ip_protocol: entry.protocol,
    from_port: allPorts ? (tcpOrUdp ? 1 : -1) : entry.portRangeMin,
    to_port: allPorts ? (tcpOrUdp ? 65535 : -1) : entry.portRangeMax,
    ip_range: entry.remoteGroupId === null ? { cidr: entry.remoteIpPrefix ?? '0.0.0.0/0' } : {},
    group: remote ? { name: remote.name, tenant_id: remote.projectId } : {},
  }
}

/** `groups`: the project's groups by id, to name the remote groups of rules. */
export function novaSecurityGroup(group: SecurityGroup, groups: ReadonlyMap<string, SecurityGroup>): NovaSecurityGroup {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    tenant_id: group.projectId,
    rules: group.rules.filter((entry) => entry.direction === 'ingress').map((entry) => rule(group, entry, groups)),
  }
}

/** Nova answers 404 for its network proxy APIs from 2.36. */
export function requireProxyVersion(version: Microversion): void {
  if (atLeast(version, 36)) throw new DomainError('not_found', 'The resource could not be found.')
}

/** Nova resolves a group by id or, failing that, by name (its Neutron driver's find_resourceid_by_name_or_id). */
export function groupByIdOrName(groups: readonly SecurityGroup[], idOrName: string): SecurityGroup {
  const found = groups.find((group) => group.id === idOrName) ?? groups.find((group) => group.name === idOrName)
  if (!found) throw new DomainError('not_found', `Security group ${idOrName} not found.`, { resource: 'security_group', id: idOrName })
  return found
}

/** `limit`/`marker` over the project's groups (in the network service's order); unknown marker → 400. */
export function groupPage(groups: readonly SecurityGroup[], query: SecurityGroupListQuery): SecurityGroup[] {
  let start = 0
  if (query.marker !== undefined) {
    start = groups.findIndex((group) => group.id === query.marker) + 1
    if (start === 0) throw badRequest(`marker [${query.marker}] not found`, 'marker')
  }
  return groups.slice(start, start + pageSize(query.limit || undefined))
}
