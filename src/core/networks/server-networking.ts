/**
 * What the server lifecycle asks of networking, inside its own transaction: NICs for a new server,
 * attaching and detaching one, security groups and floating IPs by server, and batched reads for the
 * API views. The caller has already checked that the server is the owner's.
 */
import type { Repositories } from '../ports/store.ts'
import { badRequest, conflict, DomainError, notFound } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import { consumeQuotas } from '../quotas/quotas.ts'
import type { NetworkRepositories } from './network-repositories.ts'
import {
  COMPUTE_DEVICE_OWNER, type Network, type NetworkRequest, type Port, type ServerNetworkView, type ServerPort, type Subnet,
} from './network.ts'
import type { NetworkEnv } from './network-env.ts'
import { requireAttachableNetwork } from './network-access.ts'
import { createPortOn, releasePorts } from './port-allocation.ts'
import { associateFloatingIpIn } from './floating-ips.ts'
import { ensureDefaultSecurityGroup, requireSecurityGroupIds, resolveSecurityGroups } from './security-groups.ts'

type NicPlan =
  | { readonly kind: 'bind'; readonly port: Port; readonly network: Network; readonly subnet: Subnet }
  | { readonly kind: 'create'; readonly network: Network; readonly subnet?: Subnet; readonly fixedIp?: string }

function serverPortOf(port: Pick<Port, 'id' | 'macAddress' | 'ipAddress'>, network: Network, subnet: Subnet): ServerPort {
  return {
    portId: port.id, networkId: network.id, networkName: network.name, subnetId: subnet.id, cidr: subnet.cidr,
    gatewayIp: subnet.gatewayIp, macAddress: port.macAddress, ipAddress: port.ipAddress,
  }
}

async function planNic(tx: Repositories, owner: Owner, request: NetworkRequest): Promise<NicPlan> {
  if (request.portId !== undefined) {
    if (request.fixedIp !== undefined) throw badRequest('A port and a fixed IP cannot be requested together.', 'fixed_ip')
    const port = await tx.ports.findInProject(owner.projectId, request.portId)
    if (!port) throw notFound('port', request.portId)
    if ((request.networkId !== undefined && request.networkId !== port.networkId)
      || (request.subnetId !== undefined && request.subnetId !== port.subnetId)) {
      throw badRequest(`Port ${port.id} is not on the requested network or subnet.`, 'port')
    }
    if (port.deviceId !== null) throw conflict('port', `Port ${port.id} is still in use.`, port.id)
    const network = (await tx.networks.findById(port.networkId))!
    const subnet = (await tx.subnets.findById(port.subnetId))!
    return { kind: 'bind', port, network, subnet }
  }
  let subnet: Subnet | undefined
  if (request.subnetId !== undefined) {
    subnet = (await tx.subnets.findVisible(owner.projectId, request.subnetId)) ?? undefined
    if (!subnet) throw notFound('subnet', request.subnetId)
    if (request.networkId !== undefined && request.networkId !== subnet.networkId) {
      throw badRequest(`Subnet ${subnet.id} is not on network ${request.networkId}.`, 'subnet')
    }
  }
  const networkId = request.networkId ?? subnet?.networkId
  if (networkId === undefined) throw badRequest('Each requested NIC needs a network, a subnet or a port.', 'networks')
  const network = await requireAttachableNetwork(tx, owner, networkId)
  return { kind: 'create', network, subnet, fixedIp: request.fixedIp }
}

/**
 * One NIC per request, in order: an existing unbound port of the project is bound (and kept when the
 * server goes); otherwise a port is made for the server at the requested or the next free address.
 * The security groups go on every port (added to the ones an existing port already has).
 */
export async function allocateServerPorts(
  tx: Repositories, owner: Owner, serverId: string, requests: readonly NetworkRequest[],
  securityGroupIds: readonly string[], env: NetworkEnv,
): Promise<ServerPort[]> {
  const groupIds = await requireSecurityGroupIds(tx, owner, securityGroupIds)
  const plans = await planServerNics(tx, owner, requests)
  await consumeQuotas(tx.quotas, owner.projectId, { ports: portsToCreate(plans) })
  return allocatePlannedPorts(tx, owner, serverId, plans, groupIds, env, { newServer: false })
}

/** What a server's NIC requests come to, checked once for a whole create (every server gets the same). */
export type ServerNicPlans = readonly NicPlan[]

/** Validates NIC requests in order (networks, subnets, ports the project may use); writes nothing. */
export async function planServerNics(tx: Repositories, owner: Owner, requests: readonly NetworkRequest[]): Promise<ServerNicPlans> {
  const plans: NicPlan[] = []
  for (const request of requests) plans.push(await planNic(tx, owner, request))
  return plans
}

/** The ports a server given these plans gets made for it (the ports quota it needs). */
export function portsToCreate(plans: ServerNicPlans): number {
  return plans.filter((plan) => plan.kind === 'create').length
}

/**
 * Gives a server the planned NICs. The caller has consumed the ports quota, and `groupIds` are groups
 * of the project read in this transaction. `newServer`: the server was inserted in this transaction and
 * has no port yet (spares reading its ports).
 */
export async function allocatePlannedPorts(
  tx: Repositories, owner: Owner, serverId: string, plans: ServerNicPlans, groupIds: readonly string[], env: NetworkEnv,
  options: { readonly newServer: boolean },
): Promise<ServerPort[]> {
  // Views order a server's NICs by port creation; new ports are stamped a millisecond apart, after the
  // server's existing ones, so that order is the request order even within one clock tick.
  const existing = options.newServer ? [] : await tx.ports.listByDevices([serverId])
  let stampMs = Math.max(env.clock.nowMs(), ...existing.map((port) => port.createdAt.getTime() + 1))
  const nics: ServerPort[] = []
  for (const plan of plans) {
    if (plan.kind === 'bind') {
      if (!(await tx.ports.bind(owner.projectId, plan.port.id, serverId, COMPUTE_DEVICE_OWNER, env.clock.now()))) {
        throw conflict('port', `Port ${plan.port.id} is still in use.`, plan.port.id)
      }
      for (const groupId of groupIds) await tx.ports.addSecurityGroup([plan.port.id], groupId)
      nics.push(serverPortOf(plan.port, plan.network, plan.subnet))
    } else {
      const { port, subnet } = await createPortOn(tx, env, plan, {
        projectId: owner.projectId, name: '', deviceId: serverId, deviceOwner: COMPUTE_DEVICE_OWNER,
        preserveOnDelete: false, adminStateUp: true, securityGroupIds: groupIds, createdAt: new Date(stampMs++),
      })
      nics.push(serverPortOf(port, plan.network, subnet))
    }
  }
  return nics
}

/** Deletes the ports made for the server (disassociating their floating IPs) and unbinds the others. */
export async function releaseServerPorts(tx: Repositories, serverId: string, env: NetworkEnv): Promise<void> {
  const ports = await tx.ports.listByDevices([serverId])
  await releasePorts(tx, env, ports.map((port) => ({ id: port.portId, projectId: port.projectId, preserveOnDelete: port.preserveOnDelete })))
}

/**
 * One more NIC for a running server. It gets the groups the server's ports already have (Nova applies
 * the server's groups), or the project's default group when the server has no port yet.
 */
export async function attachInterface(
  tx: Repositories, owner: Owner, serverId: string, request: NetworkRequest, env: NetworkEnv,
): Promise<ServerPort> {
  const current = await tx.ports.listByDevices([serverId])
  const groupIds = current.length > 0
    ? [...new Set((await tx.securityGroups.groupsByDevices([serverId])).map((group) => group.id))]
    : [await ensureDefaultSecurityGroup(tx, owner.projectId, env)]
  const [nic] = await allocateServerPorts(tx, owner, serverId, [request], groupIds, env)
  return nic
}

/** Detaching a port the server does not have is not_found (Nova's PortNotFound). */
export async function detachInterface(
  tx: Repositories, owner: Owner, serverId: string, portId: string, env: NetworkEnv,
): Promise<void> {
  const port = await tx.ports.findInProject(owner.projectId, portId)
  if (!port || port.deviceId !== serverId) throw notFound('port', portId)
  await releasePorts(tx, env, [port])
}

async function serverPortIds(tx: Repositories, owner: Owner, serverId: string, group: string): Promise<string[]> {
  const ports = (await tx.ports.listByDevices([serverId])).filter((port) => port.projectId === owner.projectId)
  if (ports.length === 0) {
    throw new DomainError('not_found', `Server ${serverId} has no port to apply security group ${group} to.`,
      { resource: 'port', id: serverId })
  }
  return ports.map((port) => port.portId)
}

/**
 * Adds the group to every port of the server. As in Nova with Neutron: an unknown group is not_found,
 * and adding a group the server already has changes nothing and is no error.
 */
export async function addServerSecurityGroup(tx: Repositories, owner: Owner, serverId: string, groupNameOrId: string): Promise<void> {
  const [groupId] = await resolveSecurityGroups(tx, owner, [groupNameOrId])
  await tx.ports.addSecurityGroup(await serverPortIds(tx, owner, serverId, groupNameOrId), groupId)
}

/**
 * Removes the group from every port of the server. As in Nova with Neutron (its SecurityGroupNotFound,
 * HTTP 404), removing a group none of the server's ports has is not_found; nova-network's 400
 * (SecurityGroupNotExistsForInstance) no longer exists in Neutron deployments such as NHN Cloud.
 */
export async function removeServerSecurityGroup(tx: Repositories, owner: Owner, serverId: string, groupNameOrId: string): Promise<void> {
  const [groupId] = await resolveSecurityGroups(tx, owner, [groupNameOrId])
  const removed = await tx.ports.removeSecurityGroup(await serverPortIds(tx, owner, serverId, groupNameOrId), groupId)
  if (removed === 0) {
    throw new DomainError('not_found', `Security group ${groupNameOrId} not associated with the instance ${serverId}`,
      { resource: 'security_group', id: groupNameOrId })
  }
}

/**
 * Nova's addFloatingIp / NHN v1's: maps the project's floating IP to the server's NIC that has
 * `fixedAddress`, or to its first NIC. A floating IP mapped elsewhere moves (Nova re-associates).
 */
export async function associateFloatingIpToServer(
  tx: Repositories, owner: Owner, serverId: string, address: string, fixedAddress: string | null | undefined,
  env: NetworkEnv,
): Promise<void> {
  const floatingIp = await tx.floatingIps.findByAddress(owner.projectId, address)
  if (!floatingIp) throw notFound('floating_ip', address, 'floating IP')
  const ports = (await tx.ports.listByDevices([serverId])).filter((port) => port.projectId === owner.projectId)
  if (ports.length === 0) throw badRequest(`No fixed IPs associated to instance ${serverId}.`, 'address')
  const port = fixedAddress == null ? ports[0] : ports.find((candidate) => candidate.ipAddress === fixedAddress)
  if (!port) throw badRequest(`Specified fixed address ${fixedAddress} not assigned to instance ${serverId}.`, 'fixed_address')
  await associateFloatingIpIn(tx, env, floatingIp, { id: port.portId, ipAddress: port.ipAddress })
}

/** Nova's removeFloatingIp: the floating IP must be the project's (not_found) and on this server (conflict). */
export async function disassociateFloatingIpFromServer(
  tx: Repositories, owner: Owner, serverId: string, address: string, env: NetworkEnv,
): Promise<void> {
  const floatingIp = await tx.floatingIps.findByAddress(owner.projectId, address)
  if (!floatingIp) throw notFound('floating_ip', address, 'floating IP')
  if (floatingIp.serverId !== serverId) {
    throw conflict('floating_ip', `Floating IP ${address} is not associated with instance ${serverId}.`, floatingIp.id)
  }
  await tx.floatingIps.disassociate([floatingIp.id], env.clock.now())
}

/** Every server's NICs in port creation order, with their floating addresses, in one query. */
export async function serverNetworkViews(
  repos: Pick<NetworkRepositories, 'ports'>, serverIds: readonly string[],
): Promise<Map<string, ServerNetworkView[]>> {
  const views = new Map<string, ServerNetworkView[]>(serverIds.map((id) => [id, []]))
  let last: { portId: string; floatingIps: string[] } | undefined
  for (const row of await repos.ports.nicsByDevices(serverIds)) {
    // A port's rows are adjacent (one per floating address), in port creation order.
    if (last?.portId !== row.portId) {
      last = { portId: row.portId, floatingIps: [] }
      views.get(row.deviceId)?.push({
        portId: row.portId, networkId: row.networkId, networkName: row.networkName, subnetId: row.subnetId,
        cidr: row.cidr, gatewayIp: row.gatewayIp, macAddress: row.macAddress, ipAddress: row.ipAddress,
        floatingIps: last.floatingIps,
      })
    }
    if (row.floatingAddress !== null) last.floatingIps.push(row.floatingAddress)
  }
  return views
}

/** Every server's security group names (distinct across its ports, by name), in one query. */
export async function serverSecurityGroupNames(
  repos: Pick<NetworkRepositories, 'securityGroups'>, serverIds: readonly string[],
): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>(serverIds.map((id) => [id, []]))
  for (const group of await repos.securityGroups.groupsByDevices(serverIds)) {
    const list = names.get(group.deviceId)
    if (list && !list.includes(group.name)) list.push(group.name)
  }
  return names
}

/**
 * The same names as serverSecurityGroupNames, from the ports already read with the servers' NICs: the
 * groups of a page of servers by port id are one covering-index read, without walking ports again.
 */
export async function serverSecurityGroupNamesOfNics(
  repos: Pick<NetworkRepositories, 'securityGroups'>, nics: ReadonlyMap<string, readonly ServerNetworkView[]>,
): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>()
  const serverOfPort = new Map<string, string>()
  for (const [serverId, views] of nics) {
    names.set(serverId, [])
    for (const view of views) serverOfPort.set(view.portId, serverId)
  }
  for (const group of await repos.securityGroups.groupsByPorts([...serverOfPort.keys()])) {
    const list = names.get(serverOfPort.get(group.portId)!)
    if (list && !list.includes(group.name)) list.push(group.name)
  }
  return names
}

export { resolveSecurityGroups, ensureDefaultSecurityGroup }
export { resolveSecurityGroupsWithDefault } from './security-groups.ts'
