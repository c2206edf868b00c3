/**
 * Floating IPs inside a caller's transaction: allocation from an external network's pool (the same
 * atomic cursor as ports) and association with a port's fixed address.
 */
import type { Repositories } from '../ports/store.ts'
import { badRequest, conflict, notFound } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import { consumeQuotas } from '../quotas/quotas.ts'
import { formatIpv4 } from './ipv4.ts'
import { claimFreeAddress, subnetForRequestedAddress } from './address-allocation.ts'
import type { FloatingIp, Network, Port } from './network.ts'
import { newId, type NetworkEnv } from './network-env.ts'

export interface FloatingIpRequest {
  /** Id or name of an external network; absent: the oldest external network (the default pool). */
  readonly floatingNetwork?: string
  readonly subnetId?: string
  /** A specific address of the pool. */
  readonly address?: string
  readonly description?: string
}

async function externalNetwork(tx: Repositories, owner: Owner, wanted: string | undefined): Promise<Network> {
  if (wanted === undefined) {
    const [first] = await tx.networks.listExternal()
    if (!first) throw notFound('network', 'external', 'external network')
    return first
  }
  const byId = await tx.networks.findVisible(owner.projectId, wanted)
  if (byId) {
    if (!byId.external) throw badRequest(`Network ${wanted} is not a valid external network.`, 'floating_network_id')
    return byId
  }
  const byName = (await tx.networks.listExternal()).find((network) => network.name === wanted)
  if (!byName) throw notFound('network', wanted)
  return byName
}

export async function allocateFloatingIpIn(
  tx: Repositories, owner: Owner, env: NetworkEnv, request: FloatingIpRequest,
): Promise<FloatingIp> {
  const network = await externalNetwork(tx, owner, request.floatingNetwork)
  let subnets = await tx.subnets.listByNetwork(network.id)
  if (request.subnetId !== undefined) {
    subnets = subnets.filter((subnet) => subnet.id === request.subnetId)
    if (subnets.length === 0) throw badRequest(`Subnet ${request.subnetId} is not on network ${network.id}.`, 'subnet_id')
  }
  if (subnets.length === 0) throw conflict('floating_ip', `External network ${network.id} has no subnet to allocate from.`)
  await consumeQuotas(tx.quotas, owner.projectId, { floating_ips: 1 })

  const id = newId(env)
  const createdAt = env.clock.now()
  const insertAt = (subnetId: string, address: number) => tx.floatingIps.insertIfFree({
    id, projectId: owner.projectId, floatingNetworkId: network.id, subnetId, address: formatIpv4(address), ipInt: address,
    description: request.description ?? '', createdAt,
  })
  if (request.address !== undefined) {
    const { subnet, value } = subnetForRequestedAddress(subnets, request.address)
    if (!(await insertAt(subnet.id, value))) {
      throw conflict('floating_ip', `IP address ${request.address} already allocated in subnet ${subnet.id}`)
    }
  } else {
    let taken: number | null = null
    for (const subnet of subnets) {
      taken = await claimFreeAddress(tx.subnets, subnet, {
        take: (address) => insertAt(subnet.id, address),
        countTaken: () => tx.floatingIps.countInSubnet(subnet.id),
      })
      if (taken !== null) break
    }
    if (taken === null) throw conflict('floating_ip', `No more IP addresses available on network ${network.id}.`)
  }
  return (await tx.floatingIps.findInProject(owner.projectId, id))!
}

/** Maps the floating IP to the port (a port of the same project; `fixedIp`, when given, must be the port's). */
export async function associateFloatingIpIn(
  tx: Repositories, env: NetworkEnv, floatingIp: FloatingIp, port: Pick<Port, 'id' | 'ipAddress'>,
  fixedIp?: string,
): Promise<void> {
  if (fixedIp !== undefined && fixedIp !== port.ipAddress) {
    throw badRequest(`Port ${port.id} does not have fixed ip ${fixedIp}.`, 'fixed_ip_address')
  }
  if (!(await tx.floatingIps.associate(floatingIp.id, port.id, port.ipAddress, env.clock.now()))) {
    throw conflict('floating_ip',
      `Cannot associate floating IP ${floatingIp.address} (${floatingIp.id}) with port ${port.id} using fixed IP ${port.ipAddress}, as that fixed IP already has a floating IP on external network ${floatingIp.floatingNetworkId}.`,
      floatingIp.id)
  }
}
