import { SqliteAdapter, sql, type Selectable, type Updateable } from 'kysely'
import type { PowerState } from '../../core/ports/hypervisor-driver.ts'
import type { Page } from '../../core/shared/page.ts'
import type { Server, ServerAction, TaskState, VmState } from '../../core/servers/server.ts'
import type {
  ServerActionRepository, ServerExpectation, ServerListFilter, ServerRepositories, ServerRepository,
  ServerStateUpdate,
} from '../../core/servers/server-repositories.ts'
import type { ServersTable } from '../schema.ts'
import type { Executor } from '../store.ts'
import { prepare, type PreparedStatement } from '../prepared.ts'
import { PreparedShapes, preparedInsert } from '../prepared-writes.ts'

/** Most servers carry no attributes and many no metadata: '{}' needs no parser. */
const jsonObject = <T>(text: string): T => (text === '{}' ? {} : JSON.parse(text)) as T
const millis = (date: Date | null | undefined) => (date ? date.getTime() : null)
const date = (ms: number | null) => (ms === null ? null : new Date(ms))

function toServer(row: Selectable<ServersTable>): Server {
  return {
    id: row.id,
    projectId: row.project_id,
    userId: row.user_id,
    name: row.name,
    description: row.description,
    imageId: row.image_id,
    flavorId: row.flavor_id,
    vcpus: row.vcpus,
    ramMb: row.ram_mb,
    rootGb: row.root_gb,
    ephemeralGb: row.ephemeral_gb,
    keyName: row.key_name,
    vmState: row.vm_state as VmState,
    taskState: row.task_state as TaskState | null,
    powerState: row.power_state as PowerState,
    hostId: row.host_id,
    availabilityZone: row.availability_zone,
    locked: row.locked === 1,
    lockedReason: row.locked_reason,
    metadata: jsonObject<Record<string, string>>(row.metadata),
    userData: row.user_data,
    configDrive: row.config_drive,
    diskConfig: row.disk_config === 'AUTO' ? 'AUTO' : 'MANUAL',
    accessIpv4: row.access_ipv4,
    accessIpv6: row.access_ipv6,
    reservationId: row.reservation_id,
    launchIndex: row.launch_index,
    bootVolumeId: row.boot_volume_id,
    osType: row.os_type === 'windows' ? 'windows' : 'linux',
    progress: row.progress,
    previousFlavorId: row.previous_flavor_id,
    previousHostId: row.previous_host_id,
    previousVmState: row.previous_vm_state as VmState | null,
    attributes: jsonObject<Record<string, unknown>>(row.attributes),
    fault: row.fault_code === null ? null : {
      code: row.fault_code,
      message: row.fault_message ?? '',
      details: row.fault_details,
      createdAt: new Date(row.fault_created_at ?? row.updated_at),
    },
    launchedAt: date(row.launched_at),
    terminatedAt: date(row.terminated_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    deleted: row.deleted === 1,
    deletedAt: date(row.deleted_at),
  }
}

/**
 * The hot point reads of a server, built once per SQL dialect (src/store/prepared.ts). A read by id names
 * only the id, so that the primary key is the one index a planner can pick: with project_id and deleted
 * in the condition, PostgreSQL without statistics (before its first ANALYZE) walked the project's part
 * of servers_project_state_created instead, 26 ms at 20,000 servers.
 */
const byId = prepare<{ id: string }, Selectable<ServersTable>>((db, param) =>
  db.selectFrom('servers').selectAll().where('id', '=', param('id')))
const markerOf = prepare<{ id: string; projectId: string }, Pick<Selectable<ServersTable>, 'created_at' | 'id'>>((db, param) =>
  db.selectFrom('servers').select(['created_at', 'id']).where('id', '=', param('id')).where('project_id', '=', param('projectId')))

/** See #manyChangedSince: from this many changed servers a page is read in created order. */
const MANY_CHANGED = 5000
const changedUpTo = prepare<{ projectId: string; since: number; bound: number }, { n: number }>((db, param) =>
  db.selectFrom((eb) => eb.selectFrom('servers').select(sql<number>`1`.as('one'))
    .where('project_id', '=', param('projectId')).where('updated_at', '>=', param('since')).limit(param('bound')).as('changed'))
    .select((eb) => eb.fn.countAll<number>().as('n')))

function toRow(server: Server): Selectable<ServersTable> {
  return {
    id: server.id,
    project_id: server.projectId,
    user_id: server.userId,
    name: server.name,
    description: server.description,
    image_id: server.imageId,
    flavor_id: server.flavorId,
    vcpus: server.vcpus,
    ram_mb: server.ramMb,
    root_gb: server.rootGb,
    ephemeral_gb: server.ephemeralGb,
    key_name: server.keyName,
    vm_state: server.vmState,
    task_state: server.taskState,
    power_state: server.powerState,
    host_id: server.hostId,
    availability_zone: server.availabilityZone,
    locked: server.locked ? 1 : 0,
    locked_reason: server.lockedReason,
    metadata: JSON.stringify(server.metadata),
    user_data: server.userData,
    config_drive: server.configDrive,
    disk_config: server.diskConfig,
    access_ipv4: server.accessIpv4,
    access_ipv6: server.accessIpv6,
    reservation_id: server.reservationId,
    launch_index: server.launchIndex,
    boot_volume_id: server.bootVolumeId,
    os_type: server.osType,
    progress: server.progress,
    previous_flavor_id: server.previousFlavorId,
    previous_host_id: server.previousHostId,
    previous_vm_state: server.previousVmState,
    attributes: JSON.stringify(server.attributes),
    fault_code: server.fault?.code ?? null,
    fault_message: server.fault?.message ?? null,
    fault_details: server.fault?.details ?? null,
    fault_created_at: millis(server.fault?.createdAt),
    launched_at: millis(server.launchedAt),
    terminated_at: millis(server.terminatedAt),
    created_at: server.createdAt.getTime(),
    updated_at: server.updatedAt.getTime(),
    deleted: server.deleted ? 1 : 0,
    deleted_at: millis(server.deletedAt),
  }
}

function updateColumns(update: ServerStateUpdate): Updateable<ServersTable> {
  const set: Updateable<ServersTable> = { updated_at: update.updatedAt.getTime() }
  if (update.vmState !== undefined) set.vm_state = update.vmState
  if (update.taskState !== undefined) set.task_state = update.taskState
  if (update.powerState !== undefined) set.power_state = update.powerState
  if (update.hostId !== undefined) set.host_id = update.hostId
  if (update.availabilityZone !== undefined) set.availability_zone = update.availabilityZone
  if (update.flavorId !== undefined) set.flavor_id = update.flavorId
  if (update.vcpus !== undefined) set.vcpus = update.vcpus
  if (update.ramMb !== undefined) set.ram_mb = update.ramMb
  if (update.rootGb !== undefined) set.root_gb = update.rootGb
  if (update.ephemeralGb !== undefined) set.ephemeral_gb = update.ephemeralGb
  if (update.imageId !== undefined) set.image_id = update.imageId
  if (update.bootVolumeId !== undefined) set.boot_volume_id = update.bootVolumeId
  if (update.previousFlavorId !== undefined) set.previous_flavor_id = update.previousFlavorId
  if (update.previousHostId !== undefined) set.previous_host_id = update.previousHostId
  if (update.previousVmState !== undefined) set.previous_vm_state = update.previousVmState
  if (update.locked !== undefined) set.locked = update.locked ? 1 : 0
  if (update.lockedReason !== undefined) set.locked_reason = update.lockedReason
  if (update.progress !== undefined) set.progress = update.progress
  if (update.fault !== undefined) {
    set.fault_code = update.fault?.code ?? null
    set.fault_message = update.fault?.message ?? null
    set.fault_details = update.fault?.details ?? null
    set.fault_created_at = millis(update.fault?.createdAt)
  }
  if (update.launchedAt !== undefined) set.launched_at = millis(update.launchedAt)
  if (update.terminatedAt !== undefined) set.terminated_at = millis(update.terminatedAt)
  if (update.deleted !== undefined) set.deleted = update.deleted ? 1 : 0
  if (update.deletedAt !== undefined) set.deleted_at = millis(update.deletedAt)
  return set
}

let insertServer: PreparedStatement<Record<string, unknown>, never> | undefined
const transitions = new PreparedShapes<Record<string, unknown>, never>()
const insertAction = preparedInsert('server_actions', [
  'id', 'server_id', 'project_id', 'user_id', 'action', 'request_id', 'message', 'result', 'start_time', 'finish_time',
])
const finishAction = prepare<{ id: string; result: string; message: string | null; finishTime: number }, never>((db, param) =>
  db.updateTable('server_actions')
    .set({ result: param('result'), message: param('message'), finish_time: param('finishTime') })
    .where('id', '=', param('id')))

class KyselyServerRepository implements ServerRepository {
  readonly #db: Executor
  readonly #regexOperator: string
  constructor(db: Executor, regexOperator: string) {
    this.#db = db
    this.#regexOperator = regexOperator
  }

  async insert(servers: readonly Server[]): Promise<void> {
    if (servers.length === 0) return
    if (servers.length === 1) {
      const row = toRow(servers[0])
      insertServer ??= preparedInsert('servers', Object.keys(row))
      await insertServer.run(this.#db, row)
      return
    }
    await this.#db.insertInto('servers').values(servers.map(toRow)).execute()
  }

  async get(projectId: string, id: string): Promise<Server | undefined> {
    const row = await byId.first(this.#db, { id })
    return row && row.project_id === projectId && row.deleted === 0 ? toServer(row) : undefined
  }

  async getById(id: string): Promise<Server | undefined> {
    const row = await byId.first(this.#db, { id })
    return row && toServer(row)
  }

  async getMany(ids: readonly string[]): Promise<Server[]> {
    if (ids.length === 0) return []
    const rows = await this.#db.selectFrom('servers').selectAll().where('id', 'in', ids as string[]).execute()
    return rows.map(toServer)
  }

  async list(filter: ServerListFilter): Promise<Page<Server> | null> {
    const withDeleted = filter.includeDeleted || filter.changesSince !== undefined
    let query = this.#db.selectFrom('servers').selectAll().where('project_id', '=', filter.projectId)
    if (!withDeleted) query = query.where('deleted', '=', 0)
    if (filter.vmStates) query = query.where('vm_state', 'in', filter.vmStates as VmState[])
    if (filter.taskStates) {
      const states = filter.taskStates.filter((state): state is TaskState => state !== null)
      const idle = filter.taskStates.includes(null)
      query = query.where((eb) => eb.or([
        ...(states.length > 0 ? [eb('task_state', 'in', states)] : []),
        ...(idle ? [eb('task_state', 'is', null)] : []),
        ...(states.length === 0 && !idle ? [eb.val(false)] : []),
      ]))
    }
    if (filter.imageId) query = query.where('image_id', '=', filter.imageId)
    if (filter.flavorId) query = query.where('flavor_id', '=', filter.flavorId)
    if (filter.reservationId) query = query.where('reservation_id', '=', filter.reservationId)
    if (filter.hostId) query = query.where('host_id', '=', filter.hostId)
    if (filter.changesSince) {
      const since = filter.changesSince.getTime()
      const updatedAt = (await this.#manyChangedSince(filter.projectId, since)) ? sql<number>`+${sql.ref('updated_at')}` : sql.ref('updated_at')
      query = query.where(updatedAt, '>=', since)
    }
    if (filter.nameRegex !== undefined) {
      query = query.where(sql<boolean>`name ${sql.raw(this.#regexOperator)} ${filter.nameRegex}`)
    }
    if (filter.marker) {
      const marker = await markerOf.first(this.#db, { id: filter.marker, projectId: filter.projectId })
      if (!marker) return null
      query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(marker.created_at, marker.id)))
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute()
    return { items: rows.slice(0, filter.limit).map(toServer), hasMore: rows.length > filter.limit }
  }

  /**
   * Whether so many of the project's servers changed since `since` that a page is better read in created
   * order, walking servers_project_created_all until the limit, than by servers_project_updated and a sort
   * of every match. PostgreSQL chooses by its statistics; SQLite has none and took the updated_at range
   * whatever its size: 0.05 ms for a poll matching a few servers, but 450 ms for a first page when all of
   * 100,000 matched. So on SQLite the matches are counted up to a bound on the covering index (≤ 0.3 ms),
   * and with many of them `+updated_at` (no index term for SQLite) leaves it the created order.
   */
  async #manyChangedSince(projectId: string, since: number): Promise<boolean> {
    if (!(this.#db.getExecutor().adapter instanceof SqliteAdapter)) return false
    const row = await changedUpTo.first(this.#db, { projectId, since, bound: MANY_CHANGED })
    return Number(row?.n ?? 0) >= MANY_CHANGED
  }

  async transition(id: string, expected: ServerExpectation, update: ServerStateUpdate): Promise<boolean> {
    // One prepared statement per shape: the columns set and the states expected are part of the SQL,
    // the id and the new values are bound.
    const set = updateColumns(update)
    const columns = Object.keys(set)
    const key = JSON.stringify([columns, expected.deleted ?? null, expected.vmStates ?? null, expected.taskStates ?? null])
    const statement = transitions.get(key, () => prepare<Record<string, unknown>, never>((db, param) => {
      let query = db.updateTable('servers')
        .set(Object.fromEntries(columns.map((column) => [column, param(`set_${column}`)])))
        .where('id', '=', param('id') as string)
      if (expected.deleted !== undefined) query = query.where('deleted', '=', expected.deleted ? 1 : 0)
      if (expected.vmStates) query = query.where('vm_state', 'in', expected.vmStates as VmState[])
      if (expected.taskStates) {
        const states = expected.taskStates.filter((state): state is TaskState => state !== null)
        const idle = expected.taskStates.includes(null)
        query = query.where((eb) => {
          const alternatives = []
          if (states.length > 0) alternatives.push(eb('task_state', 'in', states))
          if (idle) alternatives.push(eb('task_state', 'is', null))
          return alternatives.length > 0 ? eb.or(alternatives) : eb.val(false)
        })
      }
      return query
    }))
    const params: Record<string, unknown> = { id }
    for (const column of columns) params[`set_${column}`] = (set as Record<string, unknown>)[column]
    return (await statement.run(this.#db, params)) === 1
  }

  async updateDetails(id: string, fields: {
    name?: string; description?: string | null; metadata?: Record<string, string>; accessIpv4?: string
    accessIpv6?: string; keyName?: string | null; userData?: string | null; attributes?: Record<string, unknown>
  }, now: Date): Promise<void> {
    const set: Updateable<ServersTable> = { updated_at: now.getTime() }
    if (fields.name !== undefined) set.name = fields.name
    if (fields.description !== undefined) set.description = fields.description
    if (fields.metadata !== undefined) set.metadata = JSON.stringify(fields.metadata)
    if (fields.accessIpv4 !== undefined) set.access_ipv4 = fields.accessIpv4
    if (fields.accessIpv6 !== undefined) set.access_ipv6 = fields.accessIpv6
    if (fields.keyName !== undefined) set.key_name = fields.keyName
    if (fields.userData !== undefined) set.user_data = fields.userData
    if (fields.attributes !== undefined) set.attributes = JSON.stringify(fields.attributes)
    await this.#db.updateTable('servers').set(set).where('id', '=', id).execute()
  }

  async listOnHost(hostId: string): Promise<Server[]> {
    const rows = await this.#db.selectFrom('servers').selectAll()
      .where('host_id', '=', hostId).where('deleted', '=', 0).execute()
    return rows.map(toServer)
  }

  async listInTransition(limit: number): Promise<Server[]> {
    const rows = await this.#db.selectFrom('servers').selectAll()
      .where('task_state', 'is not', null).where('deleted', '=', 0).limit(limit).execute()
    return rows.map(toServer)
  }

  async countLive(projectId: string): Promise<number> {
    const row = await this.#db.selectFrom('servers').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId).where('deleted', '=', 0).executeTakeFirstOrThrow()
    return Number(row.n)
  }
}

class KyselyServerActionRepository implements ServerActionRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async start(action: ServerAction): Promise<void> {
    await insertAction.run(this.#db, {
      id: action.id,
      server_id: action.serverId,
      project_id: action.projectId,
      user_id: action.userId,
      action: action.action,
      request_id: action.requestId,
      message: action.message,
      result: action.result,
      start_time: action.startTime.getTime(),
      finish_time: millis(action.finishTime),
    })
  }

  async finish(id: string, result: 'success' | 'error', message: string | null, finishTime: Date): Promise<void> {
    await finishAction.run(this.#db, { id, result, message, finishTime: finishTime.getTime() })
  }

  async list(serverId: string): Promise<ServerAction[]> {
    const rows = await this.#db.selectFrom('server_actions').selectAll().where('server_id', '=', serverId)
      .orderBy('start_time', 'desc').orderBy('id', 'desc').execute()
    return rows.map((row) => ({
      id: row.id,
      serverId: row.server_id,
      projectId: row.project_id,
      userId: row.user_id,
      action: row.action,
      requestId: row.request_id,
      message: row.message,
      result: row.result as 'success' | 'error' | null,
      startTime: new Date(row.start_time),
      finishTime: date(row.finish_time),
    }))
  }

  async get(serverId: string, requestId: string): Promise<ServerAction | undefined> {
    return (await this.list(serverId)).find((action) => action.requestId === requestId)
  }
}

export function createServerRepositories(db: Executor, regexOperator: string): ServerRepositories {
  return {
    servers: new KyselyServerRepository(db, regexOperator),
    serverActions: new KyselyServerActionRepository(db),
  }
}
