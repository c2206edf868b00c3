/**
 * Security group rule validation, following Neutron's: direction and ethertype from closed sets, a
 * protocol name or IP protocol number, port ranges only for port-based protocols, ICMP type/code in
 * port_range_min/max, and a remote side that is a CIDR of the rule's ethertype or another group.
 */
import { badRequest } from '../shared/errors.ts'
import { parseIpv4Cidr } from './ipv4.ts'
import { normalizeIpv6Cidr } from './ipv6.ts'
import type { RuleDirection, RuleEthertype } from './network.ts'

/** What a caller asks for; unknown values arrive from the wire and are checked here. */
export interface SecurityGroupRuleInput {
  readonly securityGroupId: string
  readonly direction: string
  readonly ethertype?: string
  readonly protocol?: string | number | null
  readonly portRangeMin?: number | null
  readonly portRangeMax?: number | null
  readonly remoteIpPrefix?: string | null
  readonly remoteGroupId?: string | null
  readonly description?: string
}

/** A rule that passed validation, normalised as stored. */
export interface RuleSpec {
  readonly direction: RuleDirection
  readonly ethertype: RuleEthertype
  /** Lowercase name (tcp, udp, icmp) or a decimal protocol number; null = any. */
  readonly protocol: string | null
  readonly portRangeMin: number | null
  readonly portRangeMax: number | null
  readonly remoteIpPrefix: string | null
  readonly remoteGroupId: string | null
  readonly description: string
}

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17 }
const PORT_PROTOCOLS = new Set([6, 17])
const ICMP = 1
const MAX_DESCRIPTION = 255

export function validateRule(input: SecurityGroupRuleInput): RuleSpec {
  const direction = oneOf(input.direction, ['ingress', 'egress'], 'direction')
  const ethertype = oneOf(input.ethertype ?? 'IPv4', ['IPv4', 'IPv6'], 'ethertype')
  const protocol = normalizeProtocol(input.protocol)
  const portRangeMin = optionalInteger(input.portRangeMin, 'port_range_min')
  const portRangeMax = optionalInteger(input.portRangeMax, 'port_range_max')
  validatePorts(protocol, portRangeMin, portRangeMax)
  const remoteGroupId = input.remoteGroupId ?? null
  const remoteIpPrefix = input.remoteIpPrefix == null ? null : normalizePrefix(input.remoteIpPrefix, ethertype)
  if (remoteGroupId !== null && remoteIpPrefix !== null) {
    throw badRequest('Only remote_ip_prefix or remote_group_id may be provided.', 'remote_group_id')
  }
  const description = input.description ?? ''
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) {
    throw badRequest(`description must be a string of at most ${MAX_DESCRIPTION} characters`, 'description')
  }
  return { direction, ethertype, protocol, portRangeMin, portRangeMax, remoteIpPrefix, remoteGroupId, description }
}

/**
 * What makes two rules the same rule: Neutron compares protocols by number (tcp = 6) and treats the
 * all-addresses prefix like no prefix.
 */
export function ruleIdentity(rule: Omit<RuleSpec, 'description'>): string {
  const protocol = rule.protocol === null ? null : protocolNumber(rule.protocol)
  const prefix = rule.remoteIpPrefix === '0.0.0.0/0' || rule.remoteIpPrefix === '::/0' ? null : rule.remoteIpPrefix
  return JSON.stringify([rule.direction, rule.ethertype, protocol, rule.portRangeMin, rule.portRangeMax, prefix,
    rule.remoteGroupId])
}

function protocolNumber(protocol: string): number {
  return PROTOCOL_NUMBERS[protocol] ?? Number(protocol)
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  const match = typeof value === 'string' ? allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase()) : undefined
  if (!match) throw badRequest(`Invalid input for ${field}. Reason: ${String(value)} is not in [${allowed.join(', ')}].`, field)
  return match
}

function normalizeProtocol(value: string | number | null | undefined): string | null {
  if (value === undefined || value === null) return null
  const text = String(value).trim().toLowerCase()
  if (text === 'any') return null
  if (text in PROTOCOL_NUMBERS) return text
  if (/^(0|[1-9][0-9]{0,2})$/.test(text) && Number(text) <= 255) return text
  throw badRequest(
    `Security group rule protocol ${String(value)} not supported. Only protocol values [tcp, udp, icmp] and integer representations [0 to 255] are supported.`,
    'protocol')
}

function optionalInteger(value: number | null | undefined, field: string): number | null {
  if (value === undefined || value === null) return null
  if (!Number.isInteger(value)) throw badRequest(`Invalid input for ${field}. Reason: '${String(value)}' is not an integer.`, field)
  return value
}

function validatePorts(protocol: string | null, min: number | null, max: number | null): void {
  if (min === null && max === null) return
  if (protocol === null) throw badRequest('Must also specify protocol if port range is given.', 'protocol')
  const number = protocolNumber(protocol)
  if (PORT_PROTOCOLS.has(number)) {
    if (min === 0 || max === 0) throw badRequest('Invalid value for port 0.', 'port_range_min')
    const inRange = (port: number | null) => port !== null && port >= 1 && port <= 65535
    if (!inRange(min) || !inRange(max) || min! > max!) {
      throw badRequest('For TCP/UDP protocols, port_range_min must be <= port_range_max, both between 1 and 65535.',
        'port_range_min')
    }
    return
  }
  if (number === ICMP) {
    for (const [port, field, name] of [[min, 'port_range_min', 'type'], [max, 'port_range_max', 'code']] as const) {
      if (port !== null && (port < 0 || port > 255)) {
        throw badRequest(`Invalid value for ICMP ${field} (${name}) ${port}. It must be 0 to 255.`, field)
      }
    }
    if (min === null) throw badRequest(`ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`, 'port_range_min')
    return
  }
  throw badRequest(`Invalid protocol ${protocol} for port range, only supported for TCP, UDP and ICMP.`, 'protocol')
}

function normalizePrefix(value: string, ethertype: RuleEthertype): string {
  const text = String(value).trim()
  const withPrefix = text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`
  const ipv4 = parseIpv4Cidr(withPrefix, false)
  const normalized = ipv4 ? ipv4.text : normalizeIpv6Cidr(withPrefix)
  if (!normalized) throw badRequest(`Invalid input for remote_ip_prefix. Reason: '${text}' is not a valid CIDR.`, 'remote_ip_prefix')
  if ((ipv4 ? 'IPv4' : 'IPv6') !== ethertype) {
    throw badRequest(`Conflicting value ethertype ${ethertype} for CIDR ${text}`, 'ethertype')
  }
  return normalized
}
