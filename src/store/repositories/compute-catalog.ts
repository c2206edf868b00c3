import { sql, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely'
import type { ComputeCatalogRepositories } from '../../core/flavors/compute-catalog-repositories.ts'
import { SCP_SERVER_TYPE_SPEC, type Flavor } from '../../core/flavors/flavor.ts'
import type { FlavorListQuery, FlavorRepository } from '../../core/flavors/flavor-repository.ts'
import type { AvailabilityZone } from '../../core/availability-zones/availability-zone.ts'
import type { AvailabilityZoneRepository } from '../../core/availability-zones/availability-zone-repository.ts'
import type { Keypair } from '../../core/keypairs/keypair.ts'
import type { KeypairRepository, NewKeypair } from '../../core/keypairs/keypair-repository.ts'
import type { ServerGroup, ServerGroupMembership, ServerGroupPolicy } from '../../core/server-groups/server-group.ts'
import type { ServerGroupRepository } from '../../core/server-groups/server-group-repository.ts'
import type { Page } from '../../core/shared/page.ts'
import type {
  AvailabilityZonesTable, Database, FlavorsTable, KeypairsTable, ServerGroupsTable,
} from '../schema.ts'
import type { Executor } from '../store.ts'
import { prepare } from '../prepared.ts'

export function createComputeCatalogRepositories(db: Executor): ComputeCatalogRepositories {
  return {
    flavors: new KyselyFlavorRepository(db),
    availabilityZones: new KyselyAvailabilityZoneRepository(db),
    keypairs: new KyselyKeypairRepository(db),
    serverGroups: new KyselyServerGroupRepository(db),
  }
}

/** Lists read one row past the page to learn whether another page follows. */
function toPage<Row, Item>(rows: readonly Row[], limit: number, convert: (row: Row) => Item): Page<Item> {
  return { items: rows.slice(0, limit).map(convert), hasMore: rows.length > limit }
}

const toBool = (value: number): boolean => value !== 0
const fromBool = (value: boolean): number => (value ? 1 : 0)

// ---------------------------------------------------------------------------------------------- flavors

function flavorFromRow(row: Selectable<FlavorsTable>): Flavor {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    vcpus: row.vcpus,
    ramMb: row.ram_mb,
    diskGb: row.disk_gb,
    ephemeralGb: row.ephemeral_gb,
    swapMb: row.swap_mb,
    rxtxFactor: Number(row.rxtx_factor),
    isPublic: toBool(row.is_public),
    disabled: toBool(row.disabled),
    extraSpecs: JSON.parse(row.extra_specs) as Record<string, string>,
    createdAt: new Date(Number(row.created_at)),
  }
}

/**
 * The extra specs are JSON text written by JSON.stringify (no spaces), so "has the SCP spec" is a
 * LIKE on its serialized key. `!` escapes LIKE's wildcards: `_` occurs in the key itself.
 */
const SCP_SPEC_PATTERN = '%' + `${JSON.stringify(SCP_SERVER_TYPE_SPEC)}:`.replace(/[!%_]/g, '!$&') + '%'

const flavorById = prepare<{ id: string }, Selectable<FlavorsTable>>((db, param) =>
  db.selectFrom('flavors').selectAll().where('id', '=', param('id')))

class KyselyFlavorRepository implements FlavorRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async get(id: string): Promise<Flavor | null> {
    const row = await flavorById.first(this.#db, { id })
    return row ? flavorFromRow(row) : null
  }

  async getByName(name: string): Promise<Flavor | null> {
    const row = await this.#db.selectFrom('flavors').selectAll().where('name', '=', name).executeTakeFirst()
    return row ? flavorFromRow(row) : null
  }

  async list(query: FlavorListQuery): Promise<Page<Flavor>> {
    let select = this.#db.selectFrom('flavors').selectAll()
    if (query.isPublic !== null) select = select.where('is_public', '=', fromBool(query.isPublic))
    if (!query.includeDisabled) select = select.where('disabled', '=', 0)
    if (query.minDiskGb !== null) select = select.where('disk_gb', '>=', query.minDiskGb)
    if (query.minRamMb !== null) select = select.where('ram_mb', '>=', query.minRamMb)
    if (query.catalog !== null) {
      const operator = query.catalog === 'scp' ? sql`like` : sql`not like`
      select = select.where(sql<SqlBool>`extra_specs ${operator} ${SCP_SPEC_PATTERN} escape '!'`)
    }
    if (query.afterId !== null) select = select.where('id', '>', query.afterId)
    const rows = await select.orderBy('id').limit(query.limit + 1).execute()
    return toPage(rows, query.limit, flavorFromRow)
  }

  async insert(flavor: Flavor): Promise<boolean> {
    // No conflict target: a clash on the id (primary key) or on the unique name both skip the insert.
    const inserted = await this.#db.insertInto('flavors')
      .values({
        id: flavor.id,
        name: flavor.name,
        description: flavor.description,
        vcpus: flavor.vcpus,
        ram_mb: flavor.ramMb,
        disk_gb: flavor.diskGb,
        ephemeral_gb: flavor.ephemeralGb,
        swap_mb: flavor.swapMb,
        rxtx_factor: flavor.rxtxFactor,
        is_public: fromBool(flavor.isPublic),
        disabled: fromBool(flavor.disabled),
        extra_specs: JSON.stringify(flavor.extraSpecs),
        created_at: flavor.createdAt.getTime(),
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
    return inserted !== undefined
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('flavors').where('id', '=', id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

// ----------------------------------------------------------------------------------- availability zones

function zoneFromRow(row: Selectable<AvailabilityZonesTable>): AvailabilityZone {
  return { name: row.name, available: toBool(row.available), createdAt: new Date(Number(row.created_at)) }
}

class KyselyAvailabilityZoneRepository implements AvailabilityZoneRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async list(): Promise<AvailabilityZone[]> {
    const rows = await this.#db.selectFrom('availability_zones').selectAll().orderBy('name').execute()
    return rows.map(zoneFromRow)
  }

  async get(name: string): Promise<AvailabilityZone | null> {
    const row = await this.#db.selectFrom('availability_zones').selectAll().where('name', '=', name).executeTakeFirst()
    return row ? zoneFromRow(row) : null
  }

  async ensure(names: readonly string[], now: Date): Promise<void> {
    if (names.length === 0) return
    await this.#db.insertInto('availability_zones')
      .values(names.map((name) => ({ name, available: 1, created_at: now.getTime() })))
      .onConflict((oc) => oc.column('name').doNothing())
      .execute()
  }

  async setAvailable(name: string, available: boolean): Promise<boolean> {
    const result = await this.#db.updateTable('availability_zones')
      .set({ available: fromBool(available) })
      .where('name', '=', name)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async hostNamesByZone(): Promise<Map<string, string[]>> {
    const rows = await this.#db.selectFrom('hosts').select(['availability_zone', 'name'])
      .orderBy('availability_zone').orderBy('name').execute()
    const byZone = new Map<string, string[]>()
    for (const row of rows) {
      const names = byZone.get(row.availability_zone) ?? []
      names.push(row.name)
      byZone.set(row.availability_zone, names)
    }
    return byZone
  }
}

// --------------------------------------------------------------------------------------------- keypairs

function keypairFromRow(row: Selectable<KeypairsTable>): Keypair {
  return {
    id: Number(row.id),
    projectId: row.project_id,
    userId: row.user_id,
    name: row.name,
    type: row.type as Keypair['type'],
    publicKey: row.public_key,
    fingerprint: row.fingerprint,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: null,
    deletedAt: null,
    deleted: false,
  }
}

class KyselyKeypairRepository implements KeypairRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(keypair: NewKeypair): Promise<Keypair | null> {
    const row = await this.#db.insertInto('keypairs')
      .values({
        project_id: keypair.projectId,
        user_id: keypair.userId,
        name: keypair.name,
        type: keypair.type,
        public_key: keypair.publicKey,
        fingerprint: keypair.fingerprint,
        created_at: keypair.createdAt.getTime(),
      })
      .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst()
    return row ? keypairFromRow(row) : null
  }

  async get(projectId: string, name: string): Promise<Keypair | null> {
    const row = await this.#db.selectFrom('keypairs').selectAll()
      .where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst()
    return row ? keypairFromRow(row) : null
  }

  async list(projectId: string, query: { afterName: string | null; limit: number }): Promise<Page<Keypair>> {
    // The unique (project_id, name) index serves both the filter and the order.
    let select = this.#db.selectFrom('keypairs').selectAll().where('project_id', '=', projectId)
    if (query.afterName !== null) select = select.where('name', '>', query.afterName)
    const rows = await select.orderBy('name').limit(query.limit + 1).execute()
    return toPage(rows, query.limit, keypairFromRow)
  }

  async delete(projectId: string, name: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('keypairs')
      .where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

// ---------------------------------------------------------------------------------------- server groups

function serverGroupFromRow(row: Selectable<ServerGroupsTable>): ServerGroup {
  return {
    id: row.id,
    projectId: row.project_id,
    userId: row.user_id,
    name: row.name,
    policy: row.policy as ServerGroupPolicy,
    partitionSize: row.partition_size,
    createdAt: new Date(Number(row.created_at)),
  }
}

type MembersAndServers = ExpressionBuilder<
  Database & { m: Database['server_group_members']; s: Database['servers'] }, 'm' | 's'
>

/** A membership counts while its server is not marked deleted (or has no row yet, mid-create). */
const memberServerAlive = (eb: MembersAndServers) => eb.or([eb('s.deleted', 'is', null), eb('s.deleted', '=', 0)])

class KyselyServerGroupRepository implements ServerGroupRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(group: ServerGroup): Promise<void> {
    await this.#db.insertInto('server_groups')
      .values({
        id: group.id,
        project_id: group.projectId,
        user_id: group.userId,
        name: group.name,
        policy: group.policy,
        partition_size: group.partitionSize,
        created_at: group.createdAt.getTime(),
      })
      .execute()
  }

  async get(projectId: string, id: string): Promise<ServerGroup | null> {
    const row = await this.#db.selectFrom('server_groups').selectAll()
      .where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst()
    return row ? serverGroupFromRow(row) : null
  }

  async getById(id: string): Promise<ServerGroup | null> {
    const row = await this.#db.selectFrom('server_groups').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? serverGroupFromRow(row) : null
  }

  async list(
    projectId: string,
    query: { after: { createdAt: Date; id: string } | null; limit: number },
  ): Promise<Page<ServerGroup>> {
    let select = this.#db.selectFrom('server_groups').selectAll().where('project_id', '=', projectId)
    const after = query.after
    if (after !== null) {
      select = select.where((eb) =>
        eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt.getTime(), after.id)))
    }
    const rows = await select.orderBy('created_at').orderBy('id').limit(query.limit + 1).execute()
    return toPage(rows, query.limit, serverGroupFromRow)
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    // Memberships go first, explicitly, rather than relying on SQLite's foreign-key cascade being on.
    await this.#db.deleteFrom('server_group_members')
      .where('server_group_id', 'in', (eb) =>
        eb.selectFrom('server_groups').select('id').where('project_id', '=', projectId).where('id', '=', id))
      .execute()
    const result = await this.#db.deleteFrom('server_groups')
      .where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }

  async memberIds(groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const members = new Map<string, string[]>(groupIds.map((id) => [id, []]))
    if (groupIds.length === 0) return members
    const rows = await this.#aliveMembers()
      .select(['m.server_group_id', 'm.server_id'])
      .where('m.server_group_id', 'in', [...groupIds])
      .orderBy('m.created_at').orderBy('m.server_id')
      .execute()
    for (const row of rows) members.get(row.server_group_id)?.push(row.server_id)
    return members
  }

  async lockForMembership(projectId: string, id: string): Promise<ServerGroup | null> {
    // A no-op UPDATE takes the row lock on PostgreSQL (SQLite transactions already hold the write lock).
    const row = await this.#db.updateTable('server_groups')
      .set((eb) => ({ partition_size: eb.ref('partition_size') }))
      .where('project_id', '=', projectId).where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    return row ? serverGroupFromRow(row) : null
  }

  async countMembers(groupId: string): Promise<number> {
    const row = await this.#aliveMembers()
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('members'))
      .where('m.server_group_id', '=', groupId)
      .executeTakeFirstOrThrow()
    return Number(row.members)
  }

  async partitionCounts(groupId: string): Promise<Map<number, number>> {
    const rows = await this.#aliveMembers()
      .select((eb) => ['m.partition_number', eb.fn.countAll<number | string | bigint>().as('members')])
      .where('m.server_group_id', '=', groupId)
      .where('m.partition_number', 'is not', null)
      .groupBy('m.partition_number')
      .execute()
    return new Map(rows.map((row) => [Number(row.partition_number), Number(row.members)]))
  }

  async addMember(member: {
    groupId: string; serverId: string; partitionNumber: number | null; createdAt: Date
  }): Promise<boolean> {
    const inserted = await this.#db.insertInto('server_group_members')
      .values({
        server_id: member.serverId,
        server_group_id: member.groupId,
        partition_number: member.partitionNumber,
        created_at: member.createdAt.getTime(),
      })
      .onConflict((oc) => oc.column('server_id').doNothing())
      .returning('server_id')
      .executeTakeFirst()
    return inserted !== undefined
  }

  async removeMember(serverId: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('server_group_members').where('server_id', '=', serverId).executeTakeFirst()
    return result.numDeletedRows > 0n
  }

  async membershipOf(serverId: string): Promise<ServerGroupMembership | null> {
    const row = await this.#db.selectFrom('server_group_members as m')
      .innerJoin('server_groups as g', 'g.id', 'm.server_group_id')
      .selectAll('g')
      .select('m.partition_number')
      .where('m.server_id', '=', serverId)
      .executeTakeFirst()
    if (!row) return null
    const { partition_number: partitionNumber, ...group } = row
    return { group: serverGroupFromRow(group), serverId, partitionNumber }
  }

  async membershipsOf(
    serverIds: readonly string[],
  ): Promise<Map<string, { groupId: string; partitionNumber: number | null }>> {
    const memberships = new Map<string, { groupId: string; partitionNumber: number | null }>()
    if (serverIds.length === 0) return memberships
    const rows = await this.#db.selectFrom('server_group_members')
      .select(['server_id', 'server_group_id', 'partition_number'])
      .where('server_id', 'in', [...serverIds])
      .execute()
    for (const row of rows) {
      memberships.set(row.server_id, { groupId: row.server_group_id, partitionNumber: row.partition_number })
    }
    return memberships
  }

  async memberPlacements(
    groupId: string,
  ): Promise<Array<{ serverId: string; hostId: string | null; partitionNumber: number | null }>> {
    const rows = await this.#aliveMembers()
      .select(['m.server_id', 'm.partition_number', 's.host_id'])
      .where('m.server_group_id', '=', groupId)
      .execute()
    return rows.map((row) => ({ serverId: row.server_id, hostId: row.host_id, partitionNumber: row.partition_number }))
  }

  #aliveMembers() {
    return this.#db.selectFrom('server_group_members as m')
      .leftJoin('servers as s', 's.id', 'm.server_id')
      .where(memberServerAlive)
  }
}
