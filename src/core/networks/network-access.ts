/**
 * Creating networks and subnets, and finding the ones a caller may see, change or attach to. Shared by
 * the NetworkService, the server helpers and the seed.
 */
import type { Repositories } from '../ports/store.ts'
import { badRequest, conflict, DomainError, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import { consumeQuotas } from '../quotas/quotas.ts'
import {
  cidrsOverlap, defaultAllocationPool, defaultGateway, formatIpv4, isHostOf, parseIpv4, rangeSize, validateSubnetCidr,
  type AddressRange,
} from './ipv4.ts'
import { cidrOf } from './address-allocation.ts'
import type { Network, Subnet } from './network.ts'
import { newId, type NetworkEnv } from './network-env.ts'

export const DEFAULT_MTU = 1450

export interface NetworkSpec {
  readonly projectId: string | null
  readonly name: string
  readonly description?: string
  readonly shared?: boolean
  readonly external?: boolean
  readonly adminStateUp?: boolean
  readonly mtu?: number
}

/** Inserts a network, counting it against its project's quota (cloud-owned networks have none). */
export async function createNetworkIn(tx: Repositories, env: NetworkEnv, spec: NetworkSpec): Promise<Network> {
  if (spec.projectId !== null) await consumeQuotas(tx.quotas, spec.projectId, { networks: 1 })
  const id = newId(env)
  await tx.networks.insert({
    id, projectId: spec.projectId, name: spec.name, description: spec.description ?? '', shared: spec.shared ?? false,
    external: spec.external ?? false, adminStateUp: spec.adminStateUp ?? true, mtu: spec.mtu ?? DEFAULT_MTU,
    createdAt: env.clock.now(),
  })
  return (await tx.networks.findById(id))!
}

export interface SubnetSpec {
  readonly cidr: string
  readonly name?: string
  readonly description?: string
  /** Undefined: the first host; null: no gateway. */
  readonly gatewayIp?: string | null
  readonly enableDhcp?: boolean
  readonly dnsNameservers?: readonly string[]
  /** Undefined: every host but the gateway (the larger side of it). */
  readonly allocationPool?: { readonly start: string; readonly end: string }
}

function requireIpv4(text: unknown, field: string): number {
  const value = typeof text === 'string' ? parseIpv4(text) : null
  if (value === null) throw badRequest(`Invalid input for ${field}. Reason: '${String(text)}' is not a valid IPv4 address.`, field)
  return value
}

export function normalizeNameservers(servers: readonly unknown[]): string[] {
  return servers.map((server) => formatIpv4(requireIpv4(server, 'dns_nameservers')))
}

/**
 * Validates and inserts a subnet on `network`. The network's row lock is taken before its subnets are
 * read, so two overlapping subnets created at once cannot both pass the overlap check.
 */
export async function createSubnetIn(tx: Repositories, env: NetworkEnv, network: Network, spec: SubnetSpec): Promise<Subnet> {
  const cidr = validateSubnetCidr(spec.cidr)
  const gateway = spec.gatewayIp === undefined ? defaultGateway(cidr)
    : spec.gatewayIp === null ? null : requireIpv4(spec.gatewayIp, 'gateway_ip')
  if (gateway !== null && !isHostOf(cidr, gateway)) {
    throw badRequest(`Gateway IP ${formatIpv4(gateway)} is not a valid host address of subnet ${cidr.text}.`, 'gateway_ip')
  }
  let pool: AddressRange
  if (spec.allocationPool) {
    pool = { start: requireIpv4(spec.allocationPool.start, 'allocation_pools'), end: requireIpv4(spec.allocationPool.end, 'allocation_pools') }
    if (!isHostOf(cidr, pool.start) || !isHostOf(cidr, pool.end) || pool.start > pool.end) {
      throw badRequest(`The allocation pool ${spec.allocationPool.start}-${spec.allocationPool.end} spans beyond the subnet cidr ${cidr.text}.`,
        'allocation_pools')
    }
    if (gateway !== null && gateway >= pool.start && gateway <= pool.end) {
      throw badRequest(`Gateway ip ${formatIpv4(gateway)} conflicts with allocation pool ${spec.allocationPool.start}-${spec.allocationPool.end}.`,
        'allocation_pools')
    }
  } else {
    pool = defaultAllocationPool(cidr, gateway)
  }
  if (rangeSize(pool) < 1) throw badRequest(`Subnet ${cidr.text} leaves no address to allocate.`, 'cidr')
  const dnsNameservers = normalizeNameservers(spec.dnsNameservers ?? [])

  await tx.networks.lock(network.id, env.clock.now())
  const overlapping = (await tx.subnets.listByNetwork(network.id)).find((subnet) => cidrsOverlap(cidrOf(subnet), cidr))
  if (overlapping) {
    throw conflict('subnet',
      `Invalid input for operation: Requested subnet with cidr: ${cidr.text} for network: ${network.id} overlaps with another subnet.`)
  }
  if (network.projectId !== null) await consumeQuotas(tx.quotas, network.projectId, { subnets: 1 })
  const id = newId(env)
  await tx.subnets.insert({
    id, networkId: network.id, projectId: network.projectId, name: spec.name ?? '', description: spec.description ?? '',
    cidr: cidr.text, gatewayIp: gateway === null ? null : formatIpv4(gateway), allocationStart: pool.start,
    allocationEnd: pool.end, enableDhcp: spec.enableDhcp ?? true, dnsNameservers, createdAt: env.clock.now(),
  })
  return (await tx.subnets.findById(id))!
}

export function ownsNetwork(owner: Owner, network: Network): boolean {
  return network.projectId === owner.projectId || isAdmin(owner)
}

/** A network the caller may change: visible and its own (or the caller is an admin). */
export async function requireOwnedNetwork(tx: Repositories, owner: Owner, id: string): Promise<Network> {
  const network = await tx.networks.findVisible(owner.projectId, id)
  if (!network) throw notFound('network', id)
  if (!ownsNetwork(owner, network)) {
    throw new DomainError('forbidden', `Network ${id} belongs to another project.`, { resource: 'network', id })
  }
  return network
}

/** A network servers and ports may attach to: visible and not an external (floating IP) network. */
export async function requireAttachableNetwork(tx: Repositories, owner: Owner, id: string): Promise<Network> {
  const network = await tx.networks.findVisible(owner.projectId, id)
  if (!network) throw notFound('network', id)
  if (network.external) {
    throw new DomainError('forbidden', `It is not allowed to create an interface on external network ${id}`,
      { resource: 'network', id })
  }
  return network
}
