/**
 * Store ports of the networking area. Lists are keyset pages ordered by (createdAt, id): the core
 * resolves a marker to its cursor within what the caller may see, and the repository continues
 * strictly after it. Methods named `…IfFree` / `advanceCursor` / `lock` are the atomic building blocks
 * the allocators rely on; their comments say what they guarantee under concurrency.
 */
import type { Page } from '../shared/page.ts'
import type {
  FloatingIp, Network, Port, PortStatus, SecurityGroup, SecurityGroupRule, ServerPort, Subnet,
} from './network.ts'
import type { RuleSpec } from './security-group-rules.ts'

import type { KeysetRequest } from '../shared/keyset.ts'
export type { KeysetRequest, ListCursor } from '../shared/keyset.ts'

export interface NewNetwork {
  readonly id: string
  readonly projectId: string | null
  readonly name: string
  readonly description: string
  readonly shared: boolean
  readonly external: boolean
  readonly adminStateUp: boolean
  readonly mtu: number
  readonly createdAt: Date
}

export interface NetworkFilter {
  readonly id?: string
  readonly name?: string
  readonly shared?: boolean
  readonly external?: boolean
}

export interface NetworkPatch {
  readonly name?: string
  readonly description?: string
  readonly shared?: boolean
  readonly adminStateUp?: boolean
}

export interface NetworkRepository {
  insert(network: NewNetwork): Promise<void>
  findById(id: string): Promise<Network | null>
  /** The network if the project may see it: its own, a shared or an external one. */
  findVisible(projectId: string, id: string): Promise<Network | null>
  /** Networks the project may see (own + shared + external). */
  list(projectId: string, filter: NetworkFilter, page: KeysetRequest): Promise<Page<Network>>
  /** External networks (floating IP pools), oldest first. */
  listExternal(): Promise<Network[]>
  update(id: string, patch: NetworkPatch, at: Date): Promise<void>
  /**
   * Stamps updated_at, which holds the row lock until commit: subnet creation and network deletion take
   * it first so that overlap checks and in-use checks see every committed subnet. False when absent.
   */
  lock(id: string, at: Date): Promise<boolean>
  /** Deletes the network (its subnets cascade) unless a port or floating IP is on it; false when in use or absent. */
  deleteIfUnused(id: string): Promise<boolean>
}

export interface NewSubnet {
  readonly id: string
  readonly networkId: string
  readonly projectId: string | null
  readonly name: string
  readonly description: string
  readonly cidr: string
  readonly gatewayIp: string | null
  /** The allocation pool as integers; the cursor starts at `allocationStart`. */
  readonly allocationStart: number
  readonly allocationEnd: number
  readonly enableDhcp: boolean
  readonly dnsNameservers: readonly string[]
  readonly createdAt: Date
}

export interface SubnetFilter {
  readonly id?: string
  readonly networkId?: string
  readonly name?: string
  readonly cidr?: string
}

export interface SubnetPatch {
  readonly name?: string
  readonly description?: string
  readonly enableDhcp?: boolean
  readonly dnsNameservers?: readonly string[]
}

export interface SubnetRepository {
  insert(subnet: NewSubnet): Promise<void>
  findById(id: string): Promise<Subnet | null>
  /** The subnet if its network is visible to the project. */
  findVisible(projectId: string, id: string): Promise<Subnet | null>
  /** Oldest first. */
  listByNetwork(networkId: string): Promise<Subnet[]>
  list(projectId: string, filter: SubnetFilter, page: KeysetRequest): Promise<Page<Subnet>>
  update(id: string, patch: SubnetPatch, at: Date): Promise<void>
  /** Deletes the subnet unless a port or floating IP has an address on it; false when in use or absent. */
  deleteIfUnused(id: string): Promise<boolean>
  /**
   * Atomically moves the subnet's allocation cursor one address on, wrapping inside the pool, and returns
   * the address it moved past: the candidate to try. On PostgreSQL the update keeps the row locked until
   * commit, so allocators on one subnet take turns and never race for the same candidate.
   */
  advanceCursor(id: string): Promise<number>
}

export interface NewPort {
  readonly id: string
  readonly projectId: string
  readonly networkId: string
  readonly subnetId: string
  readonly name: string
  readonly macAddress: string
  readonly ipAddress: string
  readonly ipInt: number
  readonly deviceId: string | null
  readonly deviceOwner: string | null
  readonly status: PortStatus
  readonly adminStateUp: boolean
  readonly preserveOnDelete: boolean
  readonly createdAt: Date
}

/** `inserted`, or which unique key another port already holds. */
export type PortInsertResult = 'inserted' | 'address_taken' | 'mac_taken'

export interface PortFilter {
  readonly id?: string
  readonly networkId?: string
  readonly subnetId?: string
  readonly deviceId?: string
  readonly deviceOwner?: string
  readonly name?: string
  readonly macAddress?: string
  readonly ipAddress?: string
  readonly status?: PortStatus
}

export interface PortPatch {
  readonly name?: string
  readonly adminStateUp?: boolean
}

/** A server's port with its network's name and its subnet's layout, for views and drivers. */
export interface DevicePort extends ServerPort {
  readonly deviceId: string
  readonly preserveOnDelete: boolean
  readonly projectId: string
  readonly createdAt: Date
}

/** A server's port as views show it: one row per floating IP mapped to it (floatingAddress null when none). */
export interface DeviceNicRow extends ServerPort {
  readonly deviceId: string
  readonly floatingAddress: string | null
}

export interface PortRepository {
  /** INSERT … ON CONFLICT DO NOTHING: never waits on a read, never duplicates an address or a MAC. */
  insertIfFree(port: NewPort): Promise<PortInsertResult>
  countInSubnet(subnetId: string): Promise<number>
  findById(id: string): Promise<Port | null>
  findInProject(projectId: string, id: string): Promise<Port | null>
  list(projectId: string, filter: PortFilter, page: KeysetRequest): Promise<Page<Port>>
  /** Ports bound to any of these servers, in creation order, with network and subnet facts. */
  listByDevices(deviceIds: readonly string[]): Promise<DevicePort[]>
  /**
   * The views' read of these servers' NICs in one statement: ports in creation order, each with its
   * network and subnet facts and its floating addresses (in their creation order), one row per address.
   */
  nicsByDevices(deviceIds: readonly string[]): Promise<DeviceNicRow[]>
  update(id: string, patch: PortPatch, at: Date): Promise<void>
  /** Binds the project's port to a server only if it is unbound; false otherwise. */
  bind(projectId: string, id: string, deviceId: string, deviceOwner: string, at: Date): Promise<boolean>
  /** Clears device_id / device_owner and marks the ports DOWN. */
  unbind(ids: readonly string[], at: Date): Promise<void>
  delete(ids: readonly string[]): Promise<void>
  replaceSecurityGroups(portId: string, groupIds: readonly string[]): Promise<void>
  /** The groups of a port inserted in this transaction (it has none yet). */
  insertSecurityGroups(portId: string, groupIds: readonly string[]): Promise<void>
  /** Adds the group to each port that lacks it. */
  addSecurityGroup(portIds: readonly string[], groupId: string): Promise<void>
  /** Removes the group from these ports; returns how many had it. */
  removeSecurityGroup(portIds: readonly string[], groupId: string): Promise<number>
}

export interface NewFloatingIp {
  readonly id: string
  readonly projectId: string
  readonly floatingNetworkId: string
  readonly subnetId: string
  readonly address: string
  readonly ipInt: number
  readonly description: string
  readonly createdAt: Date
}

export interface FloatingIpFilter {
  readonly id?: string
  readonly floatingNetworkId?: string
  readonly portId?: string
  readonly floatingIpAddress?: string
  readonly fixedIpAddress?: string
  readonly status?: 'ACTIVE' | 'DOWN'
}

export interface FloatingIpRepository {
  /** INSERT … ON CONFLICT DO NOTHING on (subnet, address); false when the address is taken. */
  insertIfFree(floatingIp: NewFloatingIp): Promise<boolean>
  countInSubnet(subnetId: string): Promise<number>
  findInProject(projectId: string, id: string): Promise<FloatingIp | null>
  findByAddress(projectId: string, address: string): Promise<FloatingIp | null>
  list(projectId: string, filter: FloatingIpFilter, page: KeysetRequest): Promise<Page<FloatingIp>>
  listByPorts(portIds: readonly string[]): Promise<FloatingIp[]>
  /**
   * Maps the floating IP to the port's fixed address unless another floating IP already maps that port.
   * Locks the port row first, so two concurrent associations with one port cannot both succeed.
   */
  associate(id: string, portId: string, fixedIp: string, at: Date): Promise<boolean>
  disassociate(ids: readonly string[], at: Date): Promise<void>
  /** Disassociates whatever maps these ports; returns how many floating IPs. */
  disassociateByPorts(portIds: readonly string[], at: Date): Promise<number>
  delete(id: string): Promise<boolean>
}

export interface NewSecurityGroup {
  readonly id: string
  readonly projectId: string
  readonly name: string
  readonly description: string
  readonly createdAt: Date
}

export interface SecurityGroupRef {
  readonly id: string
  readonly name: string
}

export interface PortSecurityGroup extends SecurityGroupRef {
  readonly portId: string
}

export interface DeviceSecurityGroup extends SecurityGroupRef {
  readonly deviceId: string
}

export interface SecurityGroupFilter {
  readonly id?: string
  readonly name?: string
}

export interface SecurityGroupPatch {
  readonly name?: string
  readonly description?: string
}

export interface SecurityGroupRepository {
  insert(group: NewSecurityGroup): Promise<void>
  findInProject(projectId: string, id: string): Promise<SecurityGroup | null>
  /** The project's groups whose id or name is among `namesOrIds`, in one query. */
  findRefs(projectId: string, namesOrIds: readonly string[]): Promise<SecurityGroupRef[]>
  list(projectId: string, filter: SecurityGroupFilter, page: KeysetRequest): Promise<Page<SecurityGroup>>
  update(id: string, patch: SecurityGroupPatch, at: Date): Promise<void>
  /** Stamps updated_at, holding the row lock until commit (rule duplicate checks take it first). */
  lock(id: string, at: Date): Promise<boolean>
  /** Deletes the group (its rules cascade) unless a port uses it; false when in use or absent. */
  deleteIfUnused(id: string): Promise<boolean>
  /** For each of these servers, the distinct groups on its ports, by name. */
  groupsByDevices(deviceIds: readonly string[]): Promise<DeviceSecurityGroup[]>
  /** The groups on each of these ports, ordered by group name then id (not by port). */
  groupsByPorts(portIds: readonly string[]): Promise<PortSecurityGroup[]>
}

export interface NewSecurityGroupRule extends RuleSpec {
  readonly id: string
  readonly securityGroupId: string
  readonly projectId: string
  readonly createdAt: Date
}

export interface SecurityGroupRuleFilter {
  readonly id?: string
  readonly securityGroupId?: string
  readonly direction?: string
  readonly ethertype?: string
  readonly protocol?: string
}

export interface SecurityGroupRuleRepository {
  insert(rule: NewSecurityGroupRule): Promise<SecurityGroupRule>
  findInProject(projectId: string, id: string): Promise<SecurityGroupRule | null>
  list(projectId: string, filter: SecurityGroupRuleFilter, page: KeysetRequest): Promise<Page<SecurityGroupRule>>
  delete(id: string): Promise<boolean>
  /** Deletes the rules of other groups that name `groupId` as their remote group; returns how many. */
  deleteByRemoteGroup(groupId: string): Promise<number>
}

export interface NetworkRepositories {
  readonly networks: NetworkRepository
  readonly subnets: SubnetRepository
  readonly ports: PortRepository
  readonly floatingIps: FloatingIpRepository
  readonly securityGroups: SecurityGroupRepository
  readonly securityGroupRules: SecurityGroupRuleRepository
}
