/**
 * Creating a port at a free (or requested) address of a network, and releasing ports when their server
 * goes. Quotas are the caller's business when creating (it knows how many ports a request makes) and
 * released here when ports are deleted.
 */
import type { Repositories } from '../ports/store.ts'
import { badRequest, conflict } from '../shared/errors.ts'
import { releaseQuotas } from '../quotas/quotas.ts'
import { formatIpv4 } from './ipv4.ts'
import { generateMacAddress } from './mac-address.ts'
import { claimFreeAddress, subnetForRequestedAddress } from './address-allocation.ts'
import type { NewPort, PortInsertResult } from './network-repositories.ts'
import type { Network, Port, Subnet } from './network.ts'
import { macRandom, newId, type NetworkEnv } from './network-env.ts'

/** A MAC collision (1 in 2^24 per existing port) is retried with a fresh MAC this many times. */
const MAC_ATTEMPTS = 16

export interface PortPlacement {
  readonly network: Network
  /** Restricts the port to this subnet of the network. */
  readonly subnet?: Subnet
  readonly fixedIp?: string
}

export interface PortSpec {
  readonly projectId: string
  readonly name: string
  readonly deviceId: string | null
  readonly deviceOwner: string | null
  readonly preserveOnDelete: boolean
  readonly adminStateUp: boolean
  readonly securityGroupIds: readonly string[]
  readonly createdAt: Date
}

export interface CreatedPort {
  readonly port: Port
  readonly subnet: Subnet
}

/**
 * Creates the port at `placement.fixedIp` (inside a pool, free: else bad_request / conflict) or at the
 * next free address of the subnet, or of the network's first subnet with room.
 */
export async function createPortOn(
  tx: Repositories, env: NetworkEnv, placement: PortPlacement, spec: PortSpec,
): Promise<CreatedPort> {
  const subnets = placement.subnet ? [placement.subnet] : await tx.subnets.listByNetwork(placement.network.id)
  if (subnets.length === 0) {
    throw badRequest(`Network ${placement.network.id} requires a subnet in order to boot instances on.`, 'network')
  }
  const id = newId(env)
  const createdAt = spec.createdAt
  let made: NewPort | null = null
  const tryAt = async (subnet: Subnet, address: number): Promise<PortInsertResult> => {
    for (let attempt = 1; ; attempt++) {
      const candidate: NewPort = {
        id, projectId: spec.projectId, networkId: placement.network.id, subnetId: subnet.id, name: spec.name,
        macAddress: generateMacAddress(macRandom(env)), ipAddress: formatIpv4(address), ipInt: address,
        deviceId: spec.deviceId, deviceOwner: spec.deviceOwner, status: spec.deviceId ? 'ACTIVE' : 'DOWN',
        adminStateUp: spec.adminStateUp, preserveOnDelete: spec.preserveOnDelete, createdAt,
      }
      const result = await tx.ports.insertIfFree(candidate)
      if (result === 'inserted') made = candidate
      if (result !== 'mac_taken') return result
      if (attempt >= MAC_ATTEMPTS) {
        throw conflict('port', `Unable to generate unique mac on network ${placement.network.id}.`)
      }
    }
  }

  let chosen: Subnet | undefined
  if (placement.fixedIp !== undefined) {
    const { subnet, value } = subnetForRequestedAddress(subnets, placement.fixedIp)
    if ((await tryAt(subnet, value)) === 'address_taken') {
      throw conflict('port', `IP address ${placement.fixedIp} already allocated in subnet ${subnet.id}`)
    }
    chosen = subnet
  } else {
    for (const subnet of subnets) {
      const taken = await claimFreeAddress(tx.subnets, subnet, {
        take: async (address) => (await tryAt(subnet, address)) === 'inserted',
        countTaken: () => tx.ports.countInSubnet(subnet.id),
      })
      if (taken !== null) {
        chosen = subnet
        break
      }
    }
    if (!chosen) {
      throw conflict('port', subnets.length === 1
        ? `No more IP addresses available on subnet ${subnets[0].id}.`
        : `No more IP addresses available on network ${placement.network.id}.`)
    }
  }
  const port = made as NewPort | null
  if (!port) throw new Error('port insert reported success without a port')
  // The port is new: its groups are inserted, there is nothing to replace.
  if (spec.securityGroupIds.length > 0) await tx.ports.insertSecurityGroups(id, spec.securityGroupIds)
  return {
    port: {
      id, projectId: port.projectId, networkId: port.networkId, subnetId: port.subnetId, name: port.name,
      macAddress: port.macAddress, ipAddress: port.ipAddress, deviceId: port.deviceId, deviceOwner: port.deviceOwner,
      status: port.status, adminStateUp: port.adminStateUp, preserveOnDelete: port.preserveOnDelete,
      securityGroupIds: [...new Set(spec.securityGroupIds)], createdAt, updatedAt: createdAt,
    },
    subnet: chosen,
  }
}

export interface ReleasablePort {
  readonly id: string
  readonly projectId: string
  readonly preserveOnDelete: boolean
}

/**
 * Lets go of ports whose server is going: ports made for it are deleted (their floating IPs
 * disassociated, their quota returned); ports the user created are unbound and kept, keeping their
 * floating IPs as Neutron does, so the next server given that port gets them back.
 */
export async function releasePorts(tx: Repositories, env: NetworkEnv, ports: readonly ReleasablePort[]): Promise<void> {
  const at = env.clock.now()
  const made = ports.filter((port) => !port.preserveOnDelete)
  const kept = ports.filter((port) => port.preserveOnDelete)
  await tx.floatingIps.disassociateByPorts(made.map((port) => port.id), at)
  await tx.ports.delete(made.map((port) => port.id))
  const perProject = new Map<string, number>()
  for (const port of made) perProject.set(port.projectId, (perProject.get(port.projectId) ?? 0) + 1)
  for (const [projectId, count] of perProject) await releaseQuotas(tx.quotas, projectId, { ports: count })
  await tx.ports.unbind(kept.map((port) => port.id), at)
}
