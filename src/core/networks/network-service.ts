/**
 * Networks, subnets, ports, floating IPs and security groups as a tenant manages them (Neutron's API
 * semantics). Reads go to the store; every change runs in one transaction.
 */
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Repositories, Store } from '../ports/store.ts'
import { badRequest, conflict, DomainError, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import type { Page, PageRequest } from '../shared/page.ts'
import { consumeQuotas, releaseQuotas } from '../quotas/quotas.ts'
import type {
  FloatingIpFilter, NetworkFilter, PortFilter, SecurityGroupFilter, SecurityGroupRuleFilter, SubnetFilter,
} from './network-repositories.ts'
import {
  DEFAULT_SECURITY_GROUP, type FloatingIp, type Network, type Port, type SecurityGroup, type SecurityGroupRule,
  type Subnet,
} from './network.ts'
import { optionalBoolean, optionalText, type NetworkEnv } from './network-env.ts'
import { keysetRequest } from '../shared/keyset.ts'
import {
  createNetworkIn, createSubnetIn, normalizeNameservers, ownsNetwork, requireAttachableNetwork, requireOwnedNetwork,
} from './network-access.ts'
import { createPortOn } from './port-allocation.ts'
import { allocateFloatingIpIn, associateFloatingIpIn, type FloatingIpRequest } from './floating-ips.ts'
import {
  createRuleIn, createSecurityGroupIn, ensureDefaultSecurityGroup, requireSecurityGroupIds,
} from './security-groups.ts'
import type { SecurityGroupRuleInput } from './security-group-rules.ts'

export interface NetworkServiceDeps {
  readonly store: Store
  readonly clock: Clock
  readonly ids?: IdGenerator
}

export interface CreateNetworkInput {
  readonly name?: string
  readonly description?: string
  /** Admin only. */
  readonly shared?: boolean
  /** Admin only: makes it a floating IP pool. */
  readonly external?: boolean
  readonly adminStateUp?: boolean
  readonly mtu?: number
}

export interface UpdateNetworkInput {
  readonly name?: string
  readonly description?: string
  readonly shared?: boolean
  readonly adminStateUp?: boolean
}

export interface CreateSubnetInput {
  readonly networkId: string
  readonly cidr: string
  readonly name?: string
  readonly description?: string
  /** Undefined: the first host; null: no gateway. */
  readonly gatewayIp?: string | null
  readonly enableDhcp?: boolean
  readonly dnsNameservers?: readonly string[]
  readonly allocationPool?: { readonly start: string; readonly end: string }
}

export interface UpdateSubnetInput {
  readonly name?: string
  readonly description?: string
  readonly enableDhcp?: boolean
  readonly dnsNameservers?: readonly string[]
}

export interface CreatePortInput {
  readonly networkId: string
  readonly subnetId?: string
  readonly fixedIp?: string
  readonly name?: string
  readonly adminStateUp?: boolean
  /** Undefined: the project's default group (as Neutron does); [] for none. */
  readonly securityGroupIds?: readonly string[]
}

export interface UpdatePortInput {
  readonly name?: string
  readonly adminStateUp?: boolean
  readonly securityGroupIds?: readonly string[]
}

export interface AllocateFloatingIpInput extends FloatingIpRequest {
  /** Associate at once with this port of the project. */
  readonly portId?: string
  readonly fixedIp?: string
}

export interface CreateSecurityGroupInput {
  readonly name: string
  readonly description?: string
}

export interface UpdateSecurityGroupInput {
  readonly name?: string
  readonly description?: string
}

const MIN_MTU = 68
const MAX_MTU = 9000

function forbidden(message: string): DomainError {
  return new DomainError('forbidden', message)
}

export class NetworkService {
  readonly #store: Store
  readonly #env: NetworkEnv

  constructor(deps: NetworkServiceDeps) {
    this.#store = deps.store
    this.#env = { clock: deps.clock, ids: deps.ids }
  }

  // Networks

  async createNetwork(owner: Owner, input: CreateNetworkInput): Promise<Network> {
    const shared = optionalBoolean(input.shared, 'shared')
    const external = optionalBoolean(input.external, 'router:external')
    if ((shared || external) && !isAdmin(owner)) throw forbidden('Only an admin may create shared or external networks.')
    if (input.mtu !== undefined && (!Number.isInteger(input.mtu) || input.mtu < MIN_MTU || input.mtu > MAX_MTU)) {
      throw badRequest(`Invalid input for mtu. Reason: must be an integer between ${MIN_MTU} and ${MAX_MTU}.`, 'mtu')
    }
    const spec = {
      projectId: owner.projectId, name: optionalText(input.name, 'name') ?? '',
      description: optionalText(input.description, 'description'), shared, external,
      adminStateUp: optionalBoolean(input.adminStateUp, 'admin_state_up'), mtu: input.mtu,
    }
    return this.#store.transaction((tx) => createNetworkIn(tx, this.#env, spec))
  }

  async getNetwork(owner: Owner, id: string): Promise<Network> {
    return (await this.#store.networks.findVisible(owner.projectId, id)) ?? throwNotFound('network', id)
  }

  /** The project's networks plus the shared and external ones. */
  async listNetworks(owner: Owner, filter: NetworkFilter, page: PageRequest): Promise<Page<Network>> {
    const request = await keysetRequest(page, (id) => this.#store.networks.findVisible(owner.projectId, id))
    return this.#store.networks.list(owner.projectId, filter, request)
  }

  async updateNetwork(owner: Owner, id: string, input: UpdateNetworkInput): Promise<Network> {
    const patch = {
      name: optionalText(input.name, 'name'), description: optionalText(input.description, 'description'),
      shared: optionalBoolean(input.shared, 'shared'), adminStateUp: optionalBoolean(input.adminStateUp, 'admin_state_up'),
    }
    if (patch.shared !== undefined && !isAdmin(owner)) throw forbidden('Only an admin may share a network.')
    return this.#store.transaction(async (tx) => {
      await requireOwnedNetwork(tx, owner, id)
      await tx.networks.update(id, patch, this.#env.clock.now())
      return (await tx.networks.findById(id))!
    })
  }

  /** Refused (conflict) while a port or floating IP is on it; its subnets go with it. */
  async deleteNetwork(owner: Owner, id: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const network = await requireOwnedNetwork(tx, owner, id)
      await tx.networks.lock(id, this.#env.clock.now())
      const subnets = await tx.subnets.listByNetwork(id)
      if (!(await tx.networks.deleteIfUnused(id))) {
        throw conflict('network',
          `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`, id)
      }
      if (network.projectId !== null) {
        await releaseQuotas(tx.quotas, network.projectId, { networks: 1, subnets: subnets.length })
      }
    })
  }

  // Subnets

  async createSubnet(owner: Owner, input: CreateSubnetInput): Promise<Subnet> {
    if (typeof input.cidr !== 'string') throw badRequest('cidr is required', 'cidr')
    const spec = {
      cidr: input.cidr, name: optionalText(input.name, 'name'), description: optionalText(input.description, 'description'),
      gatewayIp: input.gatewayIp, enableDhcp: optionalBoolean(input.enableDhcp, 'enable_dhcp'),
      dnsNameservers: input.dnsNameservers, allocationPool: input.allocationPool,
    }
    return this.#store.transaction(async (tx) =>
      createSubnetIn(tx, this.#env, await requireOwnedNetwork(tx, owner, input.networkId), spec))
  }

  async getSubnet(owner: Owner, id: string): Promise<Subnet> {
    return (await this.#store.subnets.findVisible(owner.projectId, id)) ?? throwNotFound('subnet', id)
  }

  /** Subnets of the networks the project sees. */
  async listSubnets(owner: Owner, filter: SubnetFilter, page: PageRequest): Promise<Page<Subnet>> {
    const request = await keysetRequest(page, (id) => this.#store.subnets.findVisible(owner.projectId, id))
    return this.#store.subnets.list(owner.projectId, filter, request)
  }

  async updateSubnet(owner: Owner, id: string, input: UpdateSubnetInput): Promise<Subnet> {
    const patch = {
      name: optionalText(input.name, 'name'), description: optionalText(input.description, 'description'),
      enableDhcp: optionalBoolean(input.enableDhcp, 'enable_dhcp'),
      dnsNameservers: input.dnsNameservers === undefined ? undefined : normalizeNameservers(input.dnsNameservers),
    }
    return this.#store.transaction(async (tx) => {
      await this.#requireOwnedSubnet(tx, owner, id)
      await tx.subnets.update(id, patch, this.#env.clock.now())
      return (await tx.subnets.findById(id))!
    })
  }

  /** Refused (conflict) while a port or floating IP has an address on it. */
  async deleteSubnet(owner: Owner, id: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const subnet = await this.#requireOwnedSubnet(tx, owner, id)
      if (!(await tx.subnets.deleteIfUnused(id))) {
        throw conflict('subnet', `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`, id)
      }
      if (subnet.projectId !== null) await releaseQuotas(tx.quotas, subnet.projectId, { subnets: 1 })
    })
  }

  async #requireOwnedSubnet(tx: Repositories, owner: Owner, id: string): Promise<Subnet> {
    const subnet = await tx.subnets.findVisible(owner.projectId, id)
    if (!subnet) throw notFound('subnet', id)
    const network = (await tx.networks.findById(subnet.networkId))!
    if (!ownsNetwork(owner, network)) {
      throw new DomainError('forbidden', `Subnet ${id} belongs to another project.`, { resource: 'subnet', id })
    }
    return subnet
  }

  // Ports

  async createPort(owner: Owner, input: CreatePortInput): Promise<Port> {
    const name = optionalText(input.name, 'name') ?? ''
    const adminStateUp = optionalBoolean(input.adminStateUp, 'admin_state_up') ?? true
    return this.#store.transaction(async (tx) => {
      const network = await requireAttachableNetwork(tx, owner, input.networkId)
      let subnet: Subnet | undefined
      if (input.subnetId !== undefined) {
        subnet = (await tx.subnets.findVisible(owner.projectId, input.subnetId)) ?? undefined
        if (!subnet) throw notFound('subnet', input.subnetId)
        if (subnet.networkId !== network.id) throw badRequest(`Subnet ${subnet.id} is not on network ${network.id}.`, 'subnet_id')
      }
      const securityGroupIds = input.securityGroupIds === undefined
        ? [await ensureDefaultSecurityGroup(tx, owner.projectId, this.#env)]
        : await requireSecurityGroupIds(tx, owner, input.securityGroupIds)
      await consumeQuotas(tx.quotas, owner.projectId, { ports: 1 })
      const { port } = await createPortOn(tx, this.#env, { network, subnet, fixedIp: input.fixedIp }, {
        projectId: owner.projectId, name, deviceId: null, deviceOwner: null, preserveOnDelete: true, adminStateUp,
        securityGroupIds, createdAt: this.#env.clock.now(),
      })
      return port
    })
  }

  async getPort(owner: Owner, id: string): Promise<Port> {
    return (await this.#store.ports.findInProject(owner.projectId, id)) ?? throwNotFound('port', id)
  }

  async listPorts(owner: Owner, filter: PortFilter, page: PageRequest): Promise<Page<Port>> {
    const request = await keysetRequest(page, (id) => this.#store.ports.findInProject(owner.projectId, id))
    return this.#store.ports.list(owner.projectId, filter, request)
  }

  async updatePort(owner: Owner, id: string, input: UpdatePortInput): Promise<Port> {
    const patch = { name: optionalText(input.name, 'name'), adminStateUp: optionalBoolean(input.adminStateUp, 'admin_state_up') }
    return this.#store.transaction(async (tx) => {
      if (!(await tx.ports.findInProject(owner.projectId, id))) throw notFound('port', id)
      if (input.securityGroupIds !== undefined) {
        await tx.ports.replaceSecurityGroups(id, await requireSecurityGroupIds(tx, owner, input.securityGroupIds))
      }
      await tx.ports.update(id, patch, this.#env.clock.now())
      return (await tx.ports.findById(id))!
    })
  }

  /** Refused (conflict) while a server uses the port: detach the interface instead. */
  async deletePort(owner: Owner, id: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const port = await tx.ports.findInProject(owner.projectId, id)
      if (!port) throw notFound('port', id)
      if (port.deviceId !== null) throw conflict('port', `Port ${id} is in use by server ${port.deviceId}.`, id)
      await tx.floatingIps.disassociateByPorts([id], this.#env.clock.now())
      await tx.ports.delete([id])
      await releaseQuotas(tx.quotas, owner.projectId, { ports: 1 })
    })
  }

  // Floating IPs

  async allocateFloatingIp(owner: Owner, input: AllocateFloatingIpInput): Promise<FloatingIp> {
    const description = optionalText(input.description, 'description')
    return this.#store.transaction(async (tx) => {
      const floatingIp = await allocateFloatingIpIn(tx, owner, this.#env, { ...input, description })
      if (input.portId === undefined) return floatingIp
      const port = await tx.ports.findInProject(owner.projectId, input.portId)
      if (!port) throw notFound('port', input.portId)
      await associateFloatingIpIn(tx, this.#env, floatingIp, port, input.fixedIp)
      return (await tx.floatingIps.findInProject(owner.projectId, floatingIp.id))!
    })
  }

  async getFloatingIp(owner: Owner, id: string): Promise<FloatingIp> {
    return (await this.#store.floatingIps.findInProject(owner.projectId, id)) ?? throwNotFound('floating_ip', id)
  }

  async findFloatingIpByAddress(owner: Owner, address: string): Promise<FloatingIp> {
    return (await this.#store.floatingIps.findByAddress(owner.projectId, address)) ?? throwNotFound('floating_ip', address)
  }

  async listFloatingIps(owner: Owner, filter: FloatingIpFilter, page: PageRequest): Promise<Page<FloatingIp>> {
    const request = await keysetRequest(page, (id) => this.#store.floatingIps.findInProject(owner.projectId, id))
    return this.#store.floatingIps.list(owner.projectId, filter, request)
  }

  /** Maps the floating IP to a port of the project (moving it if mapped elsewhere). */
  async associateFloatingIp(owner: Owner, id: string, target: { portId: string; fixedIp?: string }): Promise<FloatingIp> {
    return this.#store.transaction(async (tx) => {
      const floatingIp = await tx.floatingIps.findInProject(owner.projectId, id)
      if (!floatingIp) throw notFound('floating_ip', id)
      const port = await tx.ports.findInProject(owner.projectId, target.portId)
      if (!port) throw notFound('port', target.portId)
      await associateFloatingIpIn(tx, this.#env, floatingIp, port, target.fixedIp)
      return (await tx.floatingIps.findInProject(owner.projectId, id))!
    })
  }

  async disassociateFloatingIp(owner: Owner, id: string): Promise<FloatingIp> {
    return this.#store.transaction(async (tx) => {
      if (!(await tx.floatingIps.findInProject(owner.projectId, id))) throw notFound('floating_ip', id)
      await tx.floatingIps.disassociate([id], this.#env.clock.now())
      return (await tx.floatingIps.findInProject(owner.projectId, id))!
    })
  }

  /** Gives the address back to the pool, associated or not (as Neutron does). */
  async releaseFloatingIp(owner: Owner, id: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      if (!(await tx.floatingIps.findInProject(owner.projectId, id))) throw notFound('floating_ip', id)
      await tx.floatingIps.delete(id)
      await releaseQuotas(tx.quotas, owner.projectId, { floating_ips: 1 })
    })
  }

  // Security groups

  async createSecurityGroup(owner: Owner, input: CreateSecurityGroupInput): Promise<SecurityGroup> {
    const name = optionalText(input.name, 'name') ?? ''
    const description = optionalText(input.description, 'description') ?? ''
    return this.#store.transaction(async (tx) => {
      await ensureDefaultSecurityGroup(tx, owner.projectId, this.#env)
      const id = await createSecurityGroupIn(tx, owner, this.#env, name, description)
      return (await tx.securityGroups.findInProject(owner.projectId, id))!
    })
  }

  async getSecurityGroup(owner: Owner, id: string): Promise<SecurityGroup> {
    return (await this.#store.securityGroups.findInProject(owner.projectId, id)) ?? throwNotFound('security_group', id)
  }

  /** Lists the project's groups, creating its default group first if it has none (as Neutron does). */
  async listSecurityGroups(owner: Owner, filter: SecurityGroupFilter, page: PageRequest): Promise<Page<SecurityGroup>> {
    await this.#store.transaction((tx) => ensureDefaultSecurityGroup(tx, owner.projectId, this.#env))
    const request = await keysetRequest(page, (id) => this.#store.securityGroups.findInProject(owner.projectId, id))
    return this.#store.securityGroups.list(owner.projectId, filter, request)
  }

  async updateSecurityGroup(owner: Owner, id: string, input: UpdateSecurityGroupInput): Promise<SecurityGroup> {
    const patch = { name: optionalText(input.name, 'name'), description: optionalText(input.description, 'description') }
    return this.#store.transaction(async (tx) => {
      const group = await tx.securityGroups.findInProject(owner.projectId, id)
      if (!group) throw notFound('security_group', id)
      if (patch.name !== undefined && patch.name !== group.name) {
        if (group.name === DEFAULT_SECURITY_GROUP) throw conflict('security_group', 'Updating default security group not allowed.', id)
        if (patch.name === DEFAULT_SECURITY_GROUP) throw conflict('security_group', 'Default security group already exists.', id)
      }
      await tx.securityGroups.update(id, patch, this.#env.clock.now())
      return (await tx.securityGroups.findInProject(owner.projectId, id))!
    })
  }

  /**
   * Refused for the default group and for a group a port uses (conflict). Rules of other groups that
   * name it as their remote group go with it, as in Neutron.
   */
  async deleteSecurityGroup(owner: Owner, id: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const group = await tx.securityGroups.findInProject(owner.projectId, id)
      if (!group) throw notFound('security_group', id)
      if (group.name === DEFAULT_SECURITY_GROUP) throw conflict('security_group', 'Removing the default security group is not allowed.', id)
      if (!(await tx.securityGroups.deleteIfUnused(id))) throw conflict('security_group', `Security Group ${id} in use.`, id)
      const remoteRules = await tx.securityGroupRules.deleteByRemoteGroup(id)
      await releaseQuotas(tx.quotas, owner.projectId, {
        security_groups: 1, security_group_rules: group.rules.length + remoteRules,
      })
    })
  }

  async createSecurityGroupRule(owner: Owner, input: SecurityGroupRuleInput): Promise<SecurityGroupRule> {
    return this.#store.transaction((tx) => createRuleIn(tx, owner, this.#env, input))
  }

  async getSecurityGroupRule(owner: Owner, id: string): Promise<SecurityGroupRule> {
    return (await this.#store.securityGroupRules.findInProject(owner.projectId, id)) ?? throwNotFound('security_group_rule', id)
  }

  async listSecurityGroupRules(owner: Owner, filter: SecurityGroupRuleFilter, page: PageRequest): Promise<Page<SecurityGroupRule>> {
    const request = await keysetRequest(page, (id) => this.#store.securityGroupRules.findInProject(owner.projectId, id))
    return this.#store.securityGroupRules.list(owner.projectId, filter, request)
  }

  async deleteSecurityGroupRule(owner: Owner, id: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      if (!(await tx.securityGroupRules.findInProject(owner.projectId, id))) throw notFound('security_group_rule', id)
      if (await tx.securityGroupRules.delete(id)) await releaseQuotas(tx.quotas, owner.projectId, { security_group_rules: 1 })
    })
  }
}

function throwNotFound(resource: Parameters<typeof notFound>[0], id: string): never {
  throw notFound(resource, id)
}
