import { sql, type Selectable } from 'kysely'
import type { Host, HostState } from '../../core/hosts/host.ts'
import type { HostAllocation, HostRegistration, HostRepository, Resources } from '../../core/hosts/host-repository.ts'
import type { Executor } from '../store.ts'
import type { HostsTable } from '../schema.ts'
import { prepare } from '../prepared.ts'
import { preparedInsert } from '../prepared-writes.ts'

const byId = prepare<{ id: string }, Selectable<HostsTable>>((db, param) => db.selectFrom('hosts').selectAll().where('id', '=', param('id')))

function toHost(row: Selectable<HostsTable>): Host {
  return {
    id: row.id,
    name: row.name,
    availabilityZone: row.availability_zone,
    driver: row.driver,
    state: row.state as HostState,
    enabled: row.enabled === 1,
    vcpus: row.vcpus,
    ramMb: row.ram_mb,
    diskGb: row.disk_gb,
    vcpusUsed: row.vcpus_used,
    ramMbUsed: row.ram_mb_used,
    diskGbUsed: row.disk_gb_used,
    serverCount: row.server_count,
    cpuAllocationRatio: row.cpu_allocation_ratio,
    ramAllocationRatio: row.ram_allocation_ratio,
    diskAllocationRatio: row.disk_allocation_ratio,
    updatedAt: new Date(row.updated_at),
  }
}

// The claim: one conditional UPDATE, so capacity never goes over whatever the concurrency.
const claimOnHost = prepare<{ hostId: string; vcpus: number; ramMb: number; diskGb: number; now: number }, never>((db, param) =>
  db.updateTable('hosts')
    .set({
      vcpus_used: sql`vcpus_used + ${param('vcpus')}`,
      ram_mb_used: sql`ram_mb_used + ${param('ramMb')}`,
      disk_gb_used: sql`disk_gb_used + ${param('diskGb')}`,
      server_count: sql`server_count + 1`,
      updated_at: param('now'),
    })
    .where('id', '=', param('hostId'))
    .where('state', '=', 'up')
    .where('enabled', '=', 1)
    .where(sql<boolean>`vcpus_used + ${param('vcpus')} <= floor(vcpus * cpu_allocation_ratio)`)
    .where(sql<boolean>`ram_mb_used + ${param('ramMb')} <= floor(ram_mb * ram_allocation_ratio)`)
    .where(sql<boolean>`disk_gb_used + ${param('diskGb')} <= floor(disk_gb * disk_allocation_ratio)`))

const insertAllocation = preparedInsert('host_allocations', ['id', 'consumer_id', 'host_id', 'vcpus', 'ram_mb', 'disk_gb', 'created_at'])

export class KyselyHostRepository implements HostRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async register(host: HostRegistration, now: Date): Promise<Host> {
    const capacity = {
      availability_zone: host.availabilityZone,
      driver: host.driver,
      vcpus: host.vcpus,
      ram_mb: host.ramMb,
      disk_gb: host.diskGb,
      cpu_allocation_ratio: host.cpuAllocationRatio,
      ram_allocation_ratio: host.ramAllocationRatio,
      disk_allocation_ratio: host.diskAllocationRatio,
      updated_at: now.getTime(),
    }
    const row = await this.#db.insertInto('hosts')
      .values({ id: host.id, name: host.name, state: 'up', enabled: 1, ...capacity })
      .onConflict((oc) => oc.column('name').doUpdateSet({ ...capacity, state: 'up' }))
      .returningAll()
      .executeTakeFirstOrThrow()
    return toHost(row)
  }

  async list(): Promise<Host[]> {
    const rows = await this.#db.selectFrom('hosts').selectAll().orderBy('name').execute()
    return rows.map(toHost)
  }

  async get(id: string): Promise<Host | undefined> {
    const row = await byId.first(this.#db, { id })
    return row && toHost(row)
  }

  async getMany(ids: readonly string[]): Promise<Host[]> {
    if (ids.length === 0) return []
    if (ids.length === 1) return [await this.get(ids[0])].filter((host) => host !== undefined)
    const rows = await this.#db.selectFrom('hosts').selectAll().where('id', 'in', [...new Set(ids)]).execute()
    return rows.map(toHost)
  }

  async getByName(name: string): Promise<Host | undefined> {
    const row = await this.#db.selectFrom('hosts').selectAll().where('name', '=', name).executeTakeFirst()
    return row && toHost(row)
  }

  async setState(id: string, state: HostState, now: Date): Promise<void> {
    await this.#db.updateTable('hosts').set({ state, updated_at: now.getTime() }).where('id', '=', id).execute()
  }

  async setEnabled(id: string, enabled: boolean, now: Date): Promise<void> {
    await this.#db.updateTable('hosts').set({ enabled: enabled ? 1 : 0, updated_at: now.getTime() })
      .where('id', '=', id).execute()
  }

  async claim(hostId: string, resources: Resources, now: Date): Promise<boolean> {
    const { vcpus, ramMb, diskGb } = resources
    return (await claimOnHost.run(this.#db, { hostId, vcpus, ramMb, diskGb, now: now.getTime() })) === 1
  }

  async unclaim(hostId: string, resources: Resources, now: Date): Promise<void> {
    const { vcpus, ramMb, diskGb } = resources
    await this.#db.updateTable('hosts')
      .set({
        vcpus_used: sql`case when vcpus_used >= ${vcpus} then vcpus_used - ${vcpus} else 0 end`,
        ram_mb_used: sql`case when ram_mb_used >= ${ramMb} then ram_mb_used - ${ramMb} else 0 end`,
        disk_gb_used: sql`case when disk_gb_used >= ${diskGb} then disk_gb_used - ${diskGb} else 0 end`,
        server_count: sql`case when server_count >= 1 then server_count - 1 else 0 end`,
        updated_at: now.getTime(),
      })
      .where('id', '=', hostId)
      .execute()
  }

  async addAllocation(allocation: HostAllocation): Promise<void> {
    await insertAllocation.run(this.#db, {
      id: allocation.id,
      consumer_id: allocation.consumerId,
      host_id: allocation.hostId,
      vcpus: allocation.vcpus,
      ram_mb: allocation.ramMb,
      disk_gb: allocation.diskGb,
      created_at: allocation.createdAt.getTime(),
    })
  }

  async allocationsOf(consumerId: string): Promise<HostAllocation[]> {
    const rows = await this.#db.selectFrom('host_allocations').selectAll().where('consumer_id', '=', consumerId)
      .orderBy('created_at').execute()
    return rows.map((row) => ({
      id: row.id,
      consumerId: row.consumer_id,
      hostId: row.host_id,
      vcpus: row.vcpus,
      ramMb: row.ram_mb,
      diskGb: row.disk_gb,
      createdAt: new Date(row.created_at),
    }))
  }

  async removeAllocation(id: string): Promise<void> {
    await this.#db.deleteFrom('host_allocations').where('id', '=', id).execute()
  }

  async reassignAllocations(fromConsumerId: string, toConsumerId: string): Promise<void> {
    await this.#db.updateTable('host_allocations').set({ consumer_id: toConsumerId })
      .where('consumer_id', '=', fromConsumerId).execute()
  }
}
