/**
 * Kysely adapters of the networking ports. Addresses are allocated with single atomic statements (a
 * cursor UPDATE … RETURNING, INSERT … ON CONFLICT DO NOTHING) so that both engines stay race-free
 * without read-then-write; rows convert explicitly (times epoch ms, booleans 0/1, JSON text).
 */
import { sql, type Expression, type SqlBool } from 'kysely'
import type { Page } from '../../core/shared/page.ts'
import type {
  FloatingIp, Network, Port, PortStatus, RuleDirection, RuleEthertype, SecurityGroup, SecurityGroupRule, Subnet,
} from '../../core/networks/network.ts'
import type {
  DeviceNicRow, DevicePort, DeviceSecurityGroup, PortSecurityGroup, FloatingIpFilter, FloatingIpRepository, KeysetRequest, ListCursor, NetworkFilter, NetworkPatch,
  NetworkRepositories, NetworkRepository, NewFloatingIp, NewNetwork, NewPort, NewSecurityGroup, NewSecurityGroupRule,
  NewSubnet, PortFilter, PortInsertResult, PortPatch, PortRepository, SecurityGroupFilter, SecurityGroupPatch,
  SecurityGroupRef, SecurityGroupRepository, SecurityGroupRuleFilter, SecurityGroupRuleRepository, SubnetFilter,
  SubnetPatch, SubnetRepository,
} from '../../core/networks/network-repositories.ts'
import { formatIpv4 } from '../../core/networks/ipv4.ts'
import type {
  FloatingIpsTable, NetworksTable, PortsTable, SecurityGroupRulesTable, SecurityGroupsTable, SubnetsTable,
} from '../schema.ts'
import type { Executor } from '../store.ts'
import type { Engine } from '../database.ts'
import { prepare } from '../prepared.ts'

const bool = (value: boolean) => (value ? 1 : 0)
const millis = (date: Date) => date.getTime()
const date = (ms: number) => new Date(Number(ms))

/** Strictly after the cursor in (created_at, id) order: a row-value comparison both engines index. */
function after(cursor: ListCursor, createdAt: string, id: string): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(createdAt)}, ${sql.ref(id)}) > (${millis(cursor.createdAt)}, ${cursor.id})`
}

function pageOf<T>(rows: readonly T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>()
  for (const item of items) {
    const list = groups.get(key(item))
    if (list) list.push(item)
    else groups.set(key(item), [item])
  }
  return groups
}

function networkFrom(row: NetworksTable, subnetIds: readonly string[]): Network {
  return {
    id: row.id, projectId: row.project_id, name: row.name, description: row.description,
    shared: row.shared === 1, external: row.external === 1, status: 'ACTIVE', adminStateUp: row.admin_state_up === 1,
    mtu: row.mtu, subnetIds, createdAt: date(row.created_at), updatedAt: date(row.updated_at),
  }
}

function subnetFrom(row: SubnetsTable): Subnet {
  return {
    id: row.id, networkId: row.network_id, projectId: row.project_id, name: row.name, description: row.description,
    cidr: row.cidr, ipVersion: 4, gatewayIp: row.gateway_ip,
    allocationPool: { start: formatIpv4(Number(row.allocation_start)), end: formatIpv4(Number(row.allocation_end)) },
    enableDhcp: row.enable_dhcp === 1, dnsNameservers: JSON.parse(row.dns_nameservers) as string[],
    createdAt: date(row.created_at), updatedAt: date(row.updated_at),
  }
}

function portFrom(row: PortsTable, securityGroupIds: readonly string[]): Port {
  return {
    id: row.id, projectId: row.project_id, networkId: row.network_id, subnetId: row.subnet_id, name: row.name,
    macAddress: row.mac_address, ipAddress: row.ip_address, deviceId: row.device_id, deviceOwner: row.device_owner,
    status: row.status as PortStatus, adminStateUp: row.admin_state_up === 1, preserveOnDelete: row.preserve_on_delete === 1,
    securityGroupIds, createdAt: date(row.created_at), updatedAt: date(row.updated_at),
  }
}

function floatingIpFrom(row: FloatingIpsTable & { server_id: string | null }): FloatingIp {
  return {
    id: row.id, projectId: row.project_id, floatingNetworkId: row.floating_network_id, subnetId: row.subnet_id,
    address: row.address, portId: row.port_id, fixedIp: row.fixed_ip, serverId: row.port_id ? row.server_id : null,
    status: row.status as 'ACTIVE' | 'DOWN', description: row.description,
    createdAt: date(row.created_at), updatedAt: date(row.updated_at),
  }
}

function ruleFrom(row: SecurityGroupRulesTable): SecurityGroupRule {
  return {
    id: row.id, securityGroupId: row.security_group_id, projectId: row.project_id,
    direction: row.direction as RuleDirection, ethertype: row.ethertype as RuleEthertype, protocol: row.protocol,
    portRangeMin: row.port_range_min, portRangeMax: row.port_range_max, remoteIpPrefix: row.remote_ip_prefix,
    remoteGroupId: row.remote_group_id, description: row.description, createdAt: date(row.created_at),
  }
}

function securityGroupFrom(row: SecurityGroupsTable, rules: readonly SecurityGroupRule[]): SecurityGroup {
  return {
    id: row.id, projectId: row.project_id, name: row.name, description: row.description, rules,
    createdAt: date(row.created_at), updatedAt: date(row.updated_at),
  }
}

/**
 * The views' reads by server (NICs with floating addresses, security groups). A single server's read is a
 * prepared statement (a show); several servers' is built per call, as its `in` list varies.
 */
function nicsQuery(db: Executor) {
  return db.selectFrom('ports')
    .innerJoin('networks', 'networks.id', 'ports.network_id')
    .innerJoin('subnets', 'subnets.id', 'ports.subnet_id')
    .leftJoin('floating_ips', 'floating_ips.port_id', 'ports.id')
    .select([
      'ports.id', 'ports.device_id', 'ports.network_id', 'networks.name as network_name', 'ports.subnet_id', 'subnets.cidr',
      'subnets.gateway_ip', 'ports.mac_address', 'ports.ip_address', 'floating_ips.address as floating_address',
    ])
}
type NicRow = Awaited<ReturnType<ReturnType<typeof nicsQuery>['execute']>>[number]
const nicsOfDevice = prepare<{ deviceId: string }, NicRow>((db, param) => nicsQuery(db).where('ports.device_id', '=', param('deviceId'))
  .orderBy('ports.created_at').orderBy('ports.id').orderBy('floating_ips.created_at').orderBy('floating_ips.id'))

function groupsQuery(db: Executor) {
  return db.selectFrom('port_security_groups')
    .innerJoin('ports', 'ports.id', 'port_security_groups.port_id')
    .innerJoin('security_groups', 'security_groups.id', 'port_security_groups.security_group_id')
    .select(['ports.device_id', 'security_groups.id', 'security_groups.name'])
    .distinct()
}
type GroupRow = Awaited<ReturnType<ReturnType<typeof groupsQuery>['execute']>>[number]
const groupsOfDevice = prepare<{ deviceId: string }, GroupRow>((db, param) => groupsQuery(db).where('ports.device_id', '=', param('deviceId'))
  .orderBy('security_groups.name').orderBy('security_groups.id'))

const PORT_COLUMNS = [
  'id', 'project_id', 'network_id', 'subnet_id', 'name', 'mac_address', 'ip_address', 'ip_int', 'device_id', 'device_owner',
  'status', 'admin_state_up', 'preserve_on_delete', 'created_at', 'updated_at',
] as const

const insertPortIfFree = prepare<Record<string, unknown>, { id: string }>((db, param) =>
  db.insertInto('ports').values(Object.fromEntries(PORT_COLUMNS.map((column) => [column, param(column)])) as never)
    .onConflict((oc) => oc.doNothing()).returning('id'))

const insertPortGroup = prepare<{ portId: string; groupId: string }, never>((db, param) =>
  db.insertInto('port_security_groups').values({ port_id: param('portId'), security_group_id: param('groupId') }))

const advanceSubnetCursor = prepare<{ id: string }, { next_ip: number; allocation_start: number; allocation_end: number }>((db, param) =>
  db.updateTable('subnets')
    .set({
      next_ip: sql<number>`case when next_ip >= allocation_end or next_ip < allocation_start
        then allocation_start else next_ip + 1 end`,
    })
    .where('id', '=', param('id'))
    .returning(['next_ip', 'allocation_start', 'allocation_end']))

const findOneGroupRef = prepare<{ projectId: string; nameOrId: string }, { id: string; name: string }>((db, param) =>
  db.selectFrom('security_groups').select(['id', 'name']).where('project_id', '=', param('projectId'))
    .where((eb) => eb.or([eb('id', '=', param('nameOrId')), eb('name', '=', param('nameOrId'))]))
    .orderBy('created_at').orderBy('id'))

class KyselyNetworkRepository implements NetworkRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(network: NewNetwork): Promise<void> {
    const at = millis(network.createdAt)
    await this.#db.insertInto('networks').values({
      id: network.id, project_id: network.projectId, name: network.name, description: network.description,
      shared: bool(network.shared), external: bool(network.external), status: 'ACTIVE',
      admin_state_up: bool(network.adminStateUp), mtu: network.mtu, created_at: at, updated_at: at,
    }).execute()
  }

  async findById(id: string): Promise<Network | null> {
    const row = await this.#db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? (await this.#withSubnets([row]))[0] : null
  }

  async findVisible(projectId: string, id: string): Promise<Network | null> {
    const row = await this.#db.selectFrom('networks').selectAll().where('id', '=', id)
      .where((eb) => eb.or([eb('project_id', '=', projectId), eb('shared', '=', 1), eb('external', '=', 1)]))
      .executeTakeFirst()
    return row ? (await this.#withSubnets([row]))[0] : null
  }

  async list(projectId: string, filter: NetworkFilter, page: KeysetRequest): Promise<Page<Network>> {
    let query = this.#db.selectFrom('networks').selectAll()
      .where((eb) => eb.or([eb('project_id', '=', projectId), eb('shared', '=', 1), eb('external', '=', 1)]))
    if (filter.id !== undefined) query = query.where('id', '=', filter.id)
    if (filter.name !== undefined) query = query.where('name', '=', filter.name)
    if (filter.shared !== undefined) query = query.where('shared', '=', bool(filter.shared))
    if (filter.external !== undefined) query = query.where('external', '=', bool(filter.external))
    if (page.after) query = query.where(after(page.after, 'created_at', 'id'))
    const rows = await query.orderBy('created_at').orderBy('id').limit(page.limit + 1).execute()
    const result = pageOf(rows, page.limit)
    return { items: await this.#withSubnets(result.items), hasMore: result.hasMore }
  }

  async listExternal(): Promise<Network[]> {
    const rows = await this.#db.selectFrom('networks').selectAll().where('external', '=', 1)
      .orderBy('created_at').orderBy('id').execute()
    return this.#withSubnets(rows)
  }

  async update(id: string, patch: NetworkPatch, at: Date): Promise<void> {
    await this.#db.updateTable('networks').set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.shared !== undefined ? { shared: bool(patch.shared) } : {}),
      ...(patch.adminStateUp !== undefined ? { admin_state_up: bool(patch.adminStateUp) } : {}),
      updated_at: millis(at),
    }).where('id', '=', id).execute()
  }

  async lock(id: string, at: Date): Promise<boolean> {
    const result = await this.#db.updateTable('networks').set({ updated_at: millis(at) }).where('id', '=', id).executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async deleteIfUnused(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('networks').where('id', '=', id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('ports').select('ports.id').where('ports.network_id', '=', id))))
      .where((eb) => eb.not(eb.exists(
        eb.selectFrom('floating_ips').select('floating_ips.id').where('floating_ips.floating_network_id', '=', id))))
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async #withSubnets(rows: readonly NetworksTable[]): Promise<Network[]> {
    if (rows.length === 0) return []
    const subnets = await this.#db.selectFrom('subnets').select(['id', 'network_id'])
      .where('network_id', 'in', rows.map((row) => row.id)).orderBy('created_at').orderBy('id').execute()
    const byNetwork = groupBy(subnets, (subnet) => subnet.network_id)
    return rows.map((row) => networkFrom(row, (byNetwork.get(row.id) ?? []).map((subnet) => subnet.id)))
  }
}

class KyselySubnetRepository implements SubnetRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(subnet: NewSubnet): Promise<void> {
    const at = millis(subnet.createdAt)
    await this.#db.insertInto('subnets').values({
      id: subnet.id, network_id: subnet.networkId, project_id: subnet.projectId, name: subnet.name,
      description: subnet.description, cidr: subnet.cidr, ip_version: 4, gateway_ip: subnet.gatewayIp,
      allocation_start: subnet.allocationStart, allocation_end: subnet.allocationEnd, next_ip: subnet.allocationStart,
      enable_dhcp: bool(subnet.enableDhcp), dns_nameservers: JSON.stringify(subnet.dnsNameservers),
      created_at: at, updated_at: at,
    }).execute()
  }

  async findById(id: string): Promise<Subnet | null> {
    const row = await this.#db.selectFrom('subnets').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? subnetFrom(row) : null
  }

  async findVisible(projectId: string, id: string): Promise<Subnet | null> {
    const row = await this.#visible(projectId).where('subnets.id', '=', id).executeTakeFirst()
    return row ? subnetFrom(row) : null
  }

  async listByNetwork(networkId: string): Promise<Subnet[]> {
    const rows = await this.#db.selectFrom('subnets').selectAll().where('network_id', '=', networkId)
      .orderBy('created_at').orderBy('id').execute()
    return rows.map(subnetFrom)
  }

  async list(projectId: string, filter: SubnetFilter, page: KeysetRequest): Promise<Page<Subnet>> {
    let query = this.#visible(projectId)
    if (filter.id !== undefined) query = query.where('subnets.id', '=', filter.id)
    if (filter.networkId !== undefined) query = query.where('subnets.network_id', '=', filter.networkId)
    if (filter.name !== undefined) query = query.where('subnets.name', '=', filter.name)
    if (filter.cidr !== undefined) query = query.where('subnets.cidr', '=', filter.cidr)
    if (page.after) query = query.where(after(page.after, 'subnets.created_at', 'subnets.id'))
    const rows = await query.orderBy('subnets.created_at').orderBy('subnets.id').limit(page.limit + 1).execute()
    const result = pageOf(rows, page.limit)
    return { items: result.items.map(subnetFrom), hasMore: result.hasMore }
  }

  async update(id: string, patch: SubnetPatch, at: Date): Promise<void> {
    await this.#db.updateTable('subnets').set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.enableDhcp !== undefined ? { enable_dhcp: bool(patch.enableDhcp) } : {}),
      ...(patch.dnsNameservers !== undefined ? { dns_nameservers: JSON.stringify(patch.dnsNameservers) } : {}),
      updated_at: millis(at),
    }).where('id', '=', id).execute()
  }

  async deleteIfUnused(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('subnets').where('id', '=', id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('ports').select('ports.id').where('ports.subnet_id', '=', id))))
      .where((eb) => eb.not(eb.exists(
        eb.selectFrom('floating_ips').select('floating_ips.id').where('floating_ips.subnet_id', '=', id))))
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async advanceCursor(id: string): Promise<number> {
    const row = await advanceSubnetCursor.first(this.#db, { id })
    if (!row) throw new Error(`subnet ${id} not found`)
    const next = Number(row.next_ip)
    // RETURNING gives the new value; the candidate is the one the cursor just moved past.
    return next === Number(row.allocation_start) ? Number(row.allocation_end) : next - 1
  }

  #visible(projectId: string) {
    return this.#db.selectFrom('subnets').innerJoin('networks', 'networks.id', 'subnets.network_id').selectAll('subnets')
      .where((eb) => eb.or([
        eb('networks.project_id', '=', projectId), eb('networks.shared', '=', 1), eb('networks.external', '=', 1),
      ]))
  }
}

class KyselyPortRepository implements PortRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insertIfFree(port: NewPort): Promise<PortInsertResult> {
    const at = millis(port.createdAt)
    const inserted = await insertPortIfFree.first(this.#db, {
      id: port.id, project_id: port.projectId, network_id: port.networkId, subnet_id: port.subnetId, name: port.name,
      mac_address: port.macAddress, ip_address: port.ipAddress, ip_int: port.ipInt, device_id: port.deviceId,
      device_owner: port.deviceOwner, status: port.status, admin_state_up: bool(port.adminStateUp),
      preserve_on_delete: bool(port.preserveOnDelete), created_at: at, updated_at: at,
    })
    if (inserted) return 'inserted'
    const holder = await this.#db.selectFrom('ports').select('id')
      .where('subnet_id', '=', port.subnetId).where('ip_int', '=', port.ipInt).executeTakeFirst()
    return holder ? 'address_taken' : 'mac_taken'
  }

  async countInSubnet(subnetId: string): Promise<number> {
    const row = await this.#db.selectFrom('ports').select((eb) => eb.fn.countAll<number>().as('count'))
      .where('subnet_id', '=', subnetId).executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async findById(id: string): Promise<Port | null> {
    const row = await this.#db.selectFrom('ports').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? (await this.#withGroups([row]))[0] : null
  }

  async findInProject(projectId: string, id: string): Promise<Port | null> {
    const row = await this.#db.selectFrom('ports').selectAll().where('id', '=', id).where('project_id', '=', projectId)
      .executeTakeFirst()
    return row ? (await this.#withGroups([row]))[0] : null
  }

  async list(projectId: string, filter: PortFilter, page: KeysetRequest): Promise<Page<Port>> {
    let query = this.#db.selectFrom('ports').selectAll().where('project_id', '=', projectId)
    if (filter.id !== undefined) query = query.where('id', '=', filter.id)
    if (filter.networkId !== undefined) query = query.where('network_id', '=', filter.networkId)
    if (filter.subnetId !== undefined) query = query.where('subnet_id', '=', filter.subnetId)
    if (filter.deviceId !== undefined) query = query.where('device_id', '=', filter.deviceId)
    if (filter.deviceOwner !== undefined) query = query.where('device_owner', '=', filter.deviceOwner)
    if (filter.name !== undefined) query = query.where('name', '=', filter.name)
    if (filter.macAddress !== undefined) query = query.where('mac_address', '=', filter.macAddress)
    if (filter.ipAddress !== undefined) query = query.where('ip_address', '=', filter.ipAddress)
    if (filter.status !== undefined) query = query.where('status', '=', filter.status)
    if (page.after) query = query.where(after(page.after, 'created_at', 'id'))
    const rows = await query.orderBy('created_at').orderBy('id').limit(page.limit + 1).execute()
    const result = pageOf(rows, page.limit)
    return { items: await this.#withGroups(result.items), hasMore: result.hasMore }
  }

  async listByDevices(deviceIds: readonly string[]): Promise<DevicePort[]> {
    if (deviceIds.length === 0) return []
    const rows = await this.#db.selectFrom('ports')
      .innerJoin('networks', 'networks.id', 'ports.network_id')
      .innerJoin('subnets', 'subnets.id', 'ports.subnet_id')
      .select([
        'ports.id', 'ports.device_id', 'ports.project_id', 'ports.network_id', 'networks.name as network_name',
        'ports.subnet_id', 'subnets.cidr', 'subnets.gateway_ip', 'ports.mac_address', 'ports.ip_address',
        'ports.preserve_on_delete', 'ports.created_at',
      ])
      .where('ports.device_id', 'in', deviceIds)
      .orderBy('ports.created_at').orderBy('ports.id')
      .execute()
    return rows.map((row) => ({
      portId: row.id, deviceId: row.device_id!, projectId: row.project_id, networkId: row.network_id,
      networkName: row.network_name, subnetId: row.subnet_id, cidr: row.cidr, gatewayIp: row.gateway_ip,
      macAddress: row.mac_address, ipAddress: row.ip_address, preserveOnDelete: row.preserve_on_delete === 1,
      createdAt: date(row.created_at),
    }))
  }

  async nicsByDevices(deviceIds: readonly string[]): Promise<DeviceNicRow[]> {
    if (deviceIds.length === 0) return []
    const rows = deviceIds.length === 1
      ? await nicsOfDevice.all(this.#db, { deviceId: deviceIds[0] })
      : await nicsQuery(this.#db).where('ports.device_id', 'in', deviceIds)
        .orderBy('ports.created_at').orderBy('ports.id').orderBy('floating_ips.created_at').orderBy('floating_ips.id').execute()
    return rows.map((row) => ({
      portId: row.id, deviceId: row.device_id!, networkId: row.network_id, networkName: row.network_name, subnetId: row.subnet_id,
      cidr: row.cidr, gatewayIp: row.gateway_ip, macAddress: row.mac_address, ipAddress: row.ip_address,
      floatingAddress: row.floating_address,
    }))
  }

  async update(id: string, patch: PortPatch, at: Date): Promise<void> {
    await this.#db.updateTable('ports').set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.adminStateUp !== undefined ? { admin_state_up: bool(patch.adminStateUp) } : {}),
      updated_at: millis(at),
    }).where('id', '=', id).execute()
  }

  async bind(projectId: string, id: string, deviceId: string, deviceOwner: string, at: Date): Promise<boolean> {
    const result = await this.#db.updateTable('ports')
      .set({ device_id: deviceId, device_owner: deviceOwner, status: 'ACTIVE', preserve_on_delete: 1, updated_at: millis(at) })
      .where('id', '=', id).where('project_id', '=', projectId).where('device_id', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async unbind(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return
    await this.#db.updateTable('ports')
      .set({ device_id: null, device_owner: null, status: 'DOWN', updated_at: millis(at) })
      .where('id', 'in', ids).execute()
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await this.#db.deleteFrom('ports').where('id', 'in', ids).execute()
  }

  async replaceSecurityGroups(portId: string, groupIds: readonly string[]): Promise<void> {
    await this.#db.deleteFrom('port_security_groups').where('port_id', '=', portId).execute()
    if (groupIds.length === 0) return
    await this.#db.insertInto('port_security_groups')
      .values([...new Set(groupIds)].map((groupId) => ({ port_id: portId, security_group_id: groupId })))
      .execute()
  }

  async insertSecurityGroups(portId: string, groupIds: readonly string[]): Promise<void> {
    if (groupIds.length === 0) return
    if (groupIds.length === 1) {
      await insertPortGroup.run(this.#db, { portId, groupId: groupIds[0] })
      return
    }
    await this.#db.insertInto('port_security_groups')
      .values([...new Set(groupIds)].map((groupId) => ({ port_id: portId, security_group_id: groupId })))
      .execute()
  }

  async addSecurityGroup(portIds: readonly string[], groupId: string): Promise<void> {
    if (portIds.length === 0) return
    await this.#db.insertInto('port_security_groups')
      .values(portIds.map((portId) => ({ port_id: portId, security_group_id: groupId })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }

  async removeSecurityGroup(portIds: readonly string[], groupId: string): Promise<number> {
    if (portIds.length === 0) return 0
    const result = await this.#db.deleteFrom('port_security_groups')
      .where('port_id', 'in', portIds).where('security_group_id', '=', groupId).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async #withGroups(rows: readonly PortsTable[]): Promise<Port[]> {
    if (rows.length === 0) return []
    const bindings = await this.#db.selectFrom('port_security_groups')
      .innerJoin('security_groups', 'security_groups.id', 'port_security_groups.security_group_id')
      .select(['port_security_groups.port_id', 'port_security_groups.security_group_id'])
      .where('port_security_groups.port_id', 'in', rows.map((row) => row.id))
      .orderBy('security_groups.created_at').orderBy('security_groups.id')
      .execute()
    const byPort = groupBy(bindings, (binding) => binding.port_id)
    return rows.map((row) => portFrom(row, (byPort.get(row.id) ?? []).map((binding) => binding.security_group_id)))
  }
}

class KyselyFloatingIpRepository implements FloatingIpRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insertIfFree(floatingIp: NewFloatingIp): Promise<boolean> {
    const at = millis(floatingIp.createdAt)
    const inserted = await this.#db.insertInto('floating_ips').values({
      id: floatingIp.id, project_id: floatingIp.projectId, floating_network_id: floatingIp.floatingNetworkId,
      subnet_id: floatingIp.subnetId, address: floatingIp.address, ip_int: floatingIp.ipInt, port_id: null,
      fixed_ip: null, status: 'DOWN', description: floatingIp.description, created_at: at, updated_at: at,
    }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst()
    return inserted !== undefined
  }

  async countInSubnet(subnetId: string): Promise<number> {
    const row = await this.#db.selectFrom('floating_ips').select((eb) => eb.fn.countAll<number>().as('count'))
      .where('subnet_id', '=', subnetId).executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async findInProject(projectId: string, id: string): Promise<FloatingIp | null> {
    const row = await this.#select().where('floating_ips.project_id', '=', projectId).where('floating_ips.id', '=', id)
      .executeTakeFirst()
    return row ? floatingIpFrom(row) : null
  }

  async findByAddress(projectId: string, address: string): Promise<FloatingIp | null> {
    const row = await this.#select().where('floating_ips.project_id', '=', projectId)
      .where('floating_ips.address', '=', address).executeTakeFirst()
    return row ? floatingIpFrom(row) : null
  }

  async list(projectId: string, filter: FloatingIpFilter, page: KeysetRequest): Promise<Page<FloatingIp>> {
    let query = this.#select().where('floating_ips.project_id', '=', projectId)
    if (filter.id !== undefined) query = query.where('floating_ips.id', '=', filter.id)
    if (filter.floatingNetworkId !== undefined) query = query.where('floating_ips.floating_network_id', '=', filter.floatingNetworkId)
    if (filter.portId !== undefined) query = query.where('floating_ips.port_id', '=', filter.portId)
    if (filter.floatingIpAddress !== undefined) query = query.where('floating_ips.address', '=', filter.floatingIpAddress)
    if (filter.fixedIpAddress !== undefined) query = query.where('floating_ips.fixed_ip', '=', filter.fixedIpAddress)
    if (filter.status !== undefined) query = query.where('floating_ips.status', '=', filter.status)
    if (page.after) query = query.where(after(page.after, 'floating_ips.created_at', 'floating_ips.id'))
    const rows = await query.orderBy('floating_ips.created_at').orderBy('floating_ips.id').limit(page.limit + 1).execute()
    const result = pageOf(rows, page.limit)
    return { items: result.items.map(floatingIpFrom), hasMore: result.hasMore }
  }

  async listByPorts(portIds: readonly string[]): Promise<FloatingIp[]> {
    if (portIds.length === 0) return []
    const rows = await this.#select().where('floating_ips.port_id', 'in', portIds)
      .orderBy('floating_ips.created_at').orderBy('floating_ips.id').execute()
    return rows.map(floatingIpFrom)
  }

  async associate(id: string, portId: string, fixedIp: string, at: Date): Promise<boolean> {
    await this.#db.updateTable('ports').set({ updated_at: millis(at) }).where('id', '=', portId).execute()
    const result = await this.#db.updateTable('floating_ips')
      .set({ port_id: portId, fixed_ip: fixedIp, status: 'ACTIVE', updated_at: millis(at) })
      .where('id', '=', id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('floating_ips as other').select('other.id')
        .where('other.port_id', '=', portId).where('other.id', '<>', id))))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async disassociate(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return
    await this.#db.updateTable('floating_ips').set({ port_id: null, fixed_ip: null, status: 'DOWN', updated_at: millis(at) })
      .where('id', 'in', ids).execute()
  }

  async disassociateByPorts(portIds: readonly string[], at: Date): Promise<number> {
    if (portIds.length === 0) return 0
    const result = await this.#db.updateTable('floating_ips')
      .set({ port_id: null, fixed_ip: null, status: 'DOWN', updated_at: millis(at) })
      .where('port_id', 'in', portIds).executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('floating_ips').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  #select() {
    return this.#db.selectFrom('floating_ips').leftJoin('ports', 'ports.id', 'floating_ips.port_id')
      .selectAll('floating_ips').select('ports.device_id as server_id')
  }
}

class KyselySecurityGroupRepository implements SecurityGroupRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(group: NewSecurityGroup): Promise<void> {
    const at = millis(group.createdAt)
    await this.#db.insertInto('security_groups').values({
      id: group.id, project_id: group.projectId, name: group.name, description: group.description,
      created_at: at, updated_at: at,
    }).execute()
  }

  async findInProject(projectId: string, id: string): Promise<SecurityGroup | null> {
    const row = await this.#db.selectFrom('security_groups').selectAll().where('project_id', '=', projectId)
      .where('id', '=', id).executeTakeFirst()
    return row ? (await this.#withRules([row]))[0] : null
  }

  async findRefs(projectId: string, namesOrIds: readonly string[]): Promise<SecurityGroupRef[]> {
    if (namesOrIds.length === 0) return []
    // One name or id (a create's `default`) is the common case: a fixed shape, prepared.
    if (namesOrIds.length === 1) return findOneGroupRef.all(this.#db, { projectId, nameOrId: namesOrIds[0] })
    return this.#db.selectFrom('security_groups').select(['id', 'name']).where('project_id', '=', projectId)
      .where((eb) => eb.or([eb('id', 'in', namesOrIds), eb('name', 'in', namesOrIds)]))
      .orderBy('created_at').orderBy('id').execute()
  }

  async list(projectId: string, filter: SecurityGroupFilter, page: KeysetRequest): Promise<Page<SecurityGroup>> {
    let query = this.#db.selectFrom('security_groups').selectAll().where('project_id', '=', projectId)
    if (filter.id !== undefined) query = query.where('id', '=', filter.id)
    if (filter.name !== undefined) query = query.where('name', '=', filter.name)
    if (page.after) query = query.where(after(page.after, 'created_at', 'id'))
    const rows = await query.orderBy('created_at').orderBy('id').limit(page.limit + 1).execute()
    const result = pageOf(rows, page.limit)
    return { items: await this.#withRules(result.items), hasMore: result.hasMore }
  }

  async update(id: string, patch: SecurityGroupPatch, at: Date): Promise<void> {
    await this.#db.updateTable('security_groups').set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      updated_at: millis(at),
    }).where('id', '=', id).execute()
  }

  async lock(id: string, at: Date): Promise<boolean> {
    const result = await this.#db.updateTable('security_groups').set({ updated_at: millis(at) }).where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async deleteIfUnused(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('security_groups').where('id', '=', id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('port_security_groups').select('port_security_groups.port_id')
        .where('port_security_groups.security_group_id', '=', id))))
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async groupsByDevices(deviceIds: readonly string[]): Promise<DeviceSecurityGroup[]> {
    if (deviceIds.length === 0) return []
    const rows = deviceIds.length === 1
      ? await groupsOfDevice.all(this.#db, { deviceId: deviceIds[0] })
      : await groupsQuery(this.#db).where('ports.device_id', 'in', deviceIds)
        .orderBy('ports.device_id').orderBy('security_groups.name').orderBy('security_groups.id').execute()
    return rows.map((row) => ({ deviceId: row.device_id!, id: row.id, name: row.name }))
  }

  async groupsByPorts(portIds: readonly string[]): Promise<PortSecurityGroup[]> {
    if (portIds.length === 0) return []
    // The (port_id, security_group_id) key covers the lookup: no port row is read.
    const rows = await this.#db.selectFrom('port_security_groups')
      .innerJoin('security_groups', 'security_groups.id', 'port_security_groups.security_group_id')
      .select(['port_security_groups.port_id', 'security_groups.id', 'security_groups.name'])
      .where('port_security_groups.port_id', 'in', portIds)
      .orderBy('security_groups.name').orderBy('security_groups.id')
      .execute()
    return rows.map((row) => ({ portId: row.port_id, id: row.id, name: row.name }))
  }

  async #withRules(rows: readonly SecurityGroupsTable[]): Promise<SecurityGroup[]> {
    if (rows.length === 0) return []
    const rules = await this.#db.selectFrom('security_group_rules').selectAll()
      .where('security_group_id', 'in', rows.map((row) => row.id)).orderBy('created_at').orderBy('id').execute()
    const byGroup = groupBy(rules.map(ruleFrom), (rule) => rule.securityGroupId)
    return rows.map((row) => securityGroupFrom(row, byGroup.get(row.id) ?? []))
  }
}

class KyselySecurityGroupRuleRepository implements SecurityGroupRuleRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(rule: NewSecurityGroupRule): Promise<SecurityGroupRule> {
    const row: SecurityGroupRulesTable = {
      id: rule.id, security_group_id: rule.securityGroupId, project_id: rule.projectId, direction: rule.direction,
      ethertype: rule.ethertype, protocol: rule.protocol, port_range_min: rule.portRangeMin,
      port_range_max: rule.portRangeMax, remote_ip_prefix: rule.remoteIpPrefix, remote_group_id: rule.remoteGroupId,
      description: rule.description, created_at: millis(rule.createdAt),
    }
    await this.#db.insertInto('security_group_rules').values(row).execute()
    return ruleFrom(row)
  }

  async findInProject(projectId: string, id: string): Promise<SecurityGroupRule | null> {
    const row = await this.#db.selectFrom('security_group_rules').selectAll().where('project_id', '=', projectId)
      .where('id', '=', id).executeTakeFirst()
    return row ? ruleFrom(row) : null
  }

  async list(projectId: string, filter: SecurityGroupRuleFilter, page: KeysetRequest): Promise<Page<SecurityGroupRule>> {
    let query = this.#db.selectFrom('security_group_rules').selectAll().where('project_id', '=', projectId)
    if (filter.id !== undefined) query = query.where('id', '=', filter.id)
    if (filter.securityGroupId !== undefined) query = query.where('security_group_id', '=', filter.securityGroupId)
    if (filter.direction !== undefined) query = query.where('direction', '=', filter.direction)
    if (filter.ethertype !== undefined) query = query.where('ethertype', '=', filter.ethertype)
    if (filter.protocol !== undefined) query = query.where('protocol', '=', filter.protocol)
    if (page.after) query = query.where(after(page.after, 'created_at', 'id'))
    const rows = await query.orderBy('created_at').orderBy('id').limit(page.limit + 1).execute()
    const result = pageOf(rows, page.limit)
    return { items: result.items.map(ruleFrom), hasMore: result.hasMore }
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('security_group_rules').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async deleteByRemoteGroup(groupId: string): Promise<number> {
    const result = await this.#db.deleteFrom('security_group_rules')
      .where('remote_group_id', '=', groupId).where('security_group_id', '<>', groupId).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}

export function createNetworkRepositories(db: Executor, _engine: Engine): NetworkRepositories {
  return {
    networks: new KyselyNetworkRepository(db),
    subnets: new KyselySubnetRepository(db),
    ports: new KyselyPortRepository(db),
    floatingIps: new KyselyFloatingIpRepository(db),
    securityGroups: new KyselySecurityGroupRepository(db),
    securityGroupRules: new KyselySecurityGroupRuleRepository(db),
  }
}
