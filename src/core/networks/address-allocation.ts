/**
 * Taking a free address from a subnet's allocation pool without read-then-write races. A cursor on the
 * subnet row advances atomically (UPDATE … RETURNING, wrapping inside the pool) and hands out the
 * candidate; the holder row is inserted with ON CONFLICT DO NOTHING, so a taken address is simply a
 * miss and the next candidate is tried, until every address of the pool was tried once.
 */
import { badRequest } from '../shared/errors.ts'
import { parseIpv4, parseIpv4Cidr, rangeSize, type AddressRange, type Ipv4Cidr } from './ipv4.ts'
import type { SubnetRepository } from './network-repositories.ts'
import type { Subnet } from './network.ts'

/** One kind of address holder on a subnet (ports, or floating IPs). */
export interface AddressClaim {
  /** Inserts the holder at `address`; false when another holder already has it. */
  take(address: number): Promise<boolean>
  /** How many addresses of the subnet holders of this kind have (all inside the pool). */
  countTaken(): Promise<number>
}

export function poolOf(subnet: Subnet): AddressRange {
  return { start: parseIpv4(subnet.allocationPool.start)!, end: parseIpv4(subnet.allocationPool.end)! }
}

export function cidrOf(subnet: Subnet): Ipv4Cidr {
  return parseIpv4Cidr(subnet.cidr, true)!
}

/**
 * The address taken, or null when the pool is full. After the first miss a count tells whether any
 * address is left at all, so a full pool fails in a few statements instead of a scan of the pool.
 */
export async function claimFreeAddress(subnets: SubnetRepository, subnet: Subnet, claim: AddressClaim): Promise<number | null> {
  const size = rangeSize(poolOf(subnet))
  for (let tried = 0; tried < size; tried++) {
    const candidate = await subnets.advanceCursor(subnet.id)
    if (await claim.take(candidate)) return candidate
    if (tried === 0 && (await claim.countTaken()) >= size) return null
  }
  return null
}

/** The subnet whose pool holds `address` (text), checked the way Neutron checks a requested fixed IP. */
export function subnetForRequestedAddress(subnets: readonly Subnet[], address: string): { subnet: Subnet; value: number } {
  const value = parseIpv4(address)
  if (value === null) throw badRequest(`Invalid input for fixed IP. Reason: '${address}' is not a valid IPv4 address.`, 'fixed_ip')
  const subnet = subnets.find((candidate) => {
    const cidr = cidrOf(candidate)
    return value >= cidr.network && value <= cidr.broadcast
  })
  if (!subnet) {
    throw badRequest(`IP address ${address} is not a valid IP for the specified ${subnets.length === 1 ? 'subnet' : 'network'}.`,
      'fixed_ip')
  }
  const pool = poolOf(subnet)
  if (value < pool.start || value > pool.end) {
    throw badRequest(`IP address ${address} is outside the allocation pool of subnet ${subnet.id}.`, 'fixed_ip')
  }
  return { subnet, value }
}
