/**
 * IPv4 addresses and CIDRs as unsigned 32-bit integers (the store keeps subnet pools and port addresses
 * as integers so that allocation is arithmetic and uniqueness an index). Gureum, like NHN Cloud,
 * supports IPv4 only for subnets and ports.
 */
import { badRequest } from '../shared/errors.ts'

const OCTET = /^(0|[1-9][0-9]{0,2})$/

/** The address as an integer, or null when `text` is not a dotted quad (leading zeros are refused: octal ambiguity). */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  let value = 0
  for (const part of parts) {
    if (!OCTET.test(part)) return null
    const octet = Number(part)
    if (octet > 255) return null
    value = value * 256 + octet
  }
  return value
}

export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== null
}

export function formatIpv4(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`not an IPv4 address: ${value}`)
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.')
}

export interface Ipv4Cidr {
  /** The network address. */
  readonly network: number
  readonly prefixLength: number
  readonly broadcast: number
  /** Canonical text, `a.b.c.d/n`. */
  readonly text: string
}

function cidrOf(network: number, prefixLength: number): Ipv4Cidr {
  const size = 2 ** (32 - prefixLength)
  return { network, prefixLength, broadcast: network + size - 1, text: `${formatIpv4(network)}/${prefixLength}` }
}

function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0
}

/**
 * Parses `a.b.c.d/n` (0 ≤ n ≤ 32). `strict` refuses host bits set beyond the prefix; otherwise they
 * are cleared (Neutron normalises a security group rule's remote prefix the same way).
 */
export function parseIpv4Cidr(text: string, strict: boolean): Ipv4Cidr | null {
  const slash = text.indexOf('/')
  if (slash < 0) return null
  const address = parseIpv4(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (address === null || !/^(0|[1-9][0-9]?)$/.test(prefixText)) return null
  const prefixLength = Number(prefixText)
  if (prefixLength > 32) return null
  const network = (address & maskOf(prefixLength)) >>> 0
  if (strict && network !== address) return null
  return cidrOf(network, prefixLength)
}

export const MIN_SUBNET_PREFIX = 8
export const MAX_SUBNET_PREFIX = 30

/** A subnet's CIDR: the address must be the network address, and the prefix between /8 and /30. */
export function validateSubnetCidr(text: string): Ipv4Cidr {
  const loose = parseIpv4Cidr(text, false)
  if (!loose) throw badRequest(`Invalid input for cidr. Reason: '${text}' is not a valid IPv4 CIDR.`, 'cidr')
  if (formatIpv4(loose.network) !== text.slice(0, text.indexOf('/'))) {
    throw badRequest(
      `Invalid input for cidr. Reason: '${text}' isn't a recognized IP subnet cidr, '${loose.text}' is recommended.`, 'cidr')
  }
  if (loose.prefixLength < MIN_SUBNET_PREFIX || loose.prefixLength > MAX_SUBNET_PREFIX) {
    throw badRequest(
      `Invalid input for cidr. Reason: the prefix length must be between /${MIN_SUBNET_PREFIX} and /${MAX_SUBNET_PREFIX}.`, 'cidr')
  }
  return loose
}

export function firstHost(cidr: Ipv4Cidr): number {
  return cidr.network + 1
}

export function lastHost(cidr: Ipv4Cidr): number {
  return cidr.broadcast - 1
}

/** A usable host address of the CIDR: inside it, neither the network nor the broadcast address. */
export function isHostOf(cidr: Ipv4Cidr, address: number): boolean {
  return address >= firstHost(cidr) && address <= lastHost(cidr)
}

/** Neutron's default gateway: the first host. */
export function defaultGateway(cidr: Ipv4Cidr): number {
  return firstHost(cidr)
}

export interface AddressRange {
  readonly start: number
  readonly end: number
}

export function rangeSize(range: AddressRange): number {
  return range.end - range.start + 1
}

/**
 * The default allocation pool: every host address except the gateway. With the usual gateway (the
 * first host) that is the first host after the gateway up to the last host before the broadcast. A
 * gateway in the middle would split the hosts in two (Neutron then makes two pools); a subnet keeps one
 * range, so the larger side is taken.
 */
export function defaultAllocationPool(cidr: Ipv4Cidr, gateway: number | null): AddressRange {
  const hosts = { start: firstHost(cidr), end: lastHost(cidr) }
  if (gateway === null || gateway < hosts.start || gateway > hosts.end) return hosts
  const below = { start: hosts.start, end: gateway - 1 }
  const above = { start: gateway + 1, end: hosts.end }
  return rangeSize(above) >= rangeSize(below) ? above : below
}

/** Whether `address` (text or integer) lies in `cidr` (text or parsed), network and broadcast included. */
export function ipInSubnet(address: string | number, cidr: string | Ipv4Cidr): boolean {
  const value = typeof address === 'number' ? address : parseIpv4(address)
  const parsed = typeof cidr === 'string' ? parseIpv4Cidr(cidr, false) : cidr
  if (value === null || !parsed) return false
  return value >= parsed.network && value <= parsed.broadcast
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network <= b.broadcast && b.network <= a.broadcast
}
