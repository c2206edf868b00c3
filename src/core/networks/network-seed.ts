/**
 * Networking a fresh cloud starts with, for the composition root's first-start seed: a project's own
 * network and subnet, and the external network whose subnet is the floating IP pool.
 */
import type { Repositories } from '../ports/store.ts'
import type { Network, Subnet } from './network.ts'
import type { NetworkEnv } from './network-env.ts'
import { createNetworkIn, createSubnetIn } from './network-access.ts'

export interface SeededNetwork {
  readonly network: Network
  readonly subnet: Subnet
}

/** A project-owned network with one subnet (default gateway and pool), counted against its quotas. */
export async function createDefaultNetworking(
  tx: Repositories, spec: { projectId: string; networkName: string; cidr: string }, env: NetworkEnv,
): Promise<SeededNetwork> {
  const network = await createNetworkIn(tx, env, { projectId: spec.projectId, name: spec.networkName })
  const subnet = await createSubnetIn(tx, env, network, { cidr: spec.cidr, name: `${spec.networkName}-subnet` })
  return { network, subnet }
}

/** A cloud-owned external network (router:external), the pool floating IPs are allocated from. */
export async function createExternalNetwork(
  tx: Repositories, spec: { name: string; cidr: string }, env: NetworkEnv,
): Promise<SeededNetwork> {
  const network = await createNetworkIn(tx, env, { projectId: null, name: spec.name, external: true })
  const subnet = await createSubnetIn(tx, env, network, { cidr: spec.cidr, name: `${spec.name}-subnet` })
  return { network, subnet }
}
