/**
 * Compute catalog services over a real test database, with a frozen clock. Projects come from the
 * ProjectService (which sets their quota limits); servers and hosts, which belong to other areas, are
 * written as bare rows through a second handle on the same database, as store tests may.
 */
import type { Insertable, Kysely } from 'kysely'
import { AvailabilityZoneService } from '../../src/core/availability-zones/availability-zone-service.ts'
import { FlavorService } from '../../src/core/flavors/flavor-service.ts'
import { KeypairService } from '../../src/core/keypairs/keypair-service.ts'
import { ProjectService } from '../../src/core/projects/project-service.ts'
import type { QuotaResource } from '../../src/core/quotas/quota-repository.ts'
import { ServerGroupService } from '../../src/core/server-groups/server-group-service.ts'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import { DomainError, type DomainErrorKind } from '../../src/core/shared/errors.ts'
import type { Owner, Role } from '../../src/core/shared/owner.ts'
import { openDatabase, type Engine } from '../../src/store/database.ts'
import type { Database, HostsTable, ServersTable } from '../../src/store/schema.ts'
import { createTestDatabase, type TestDatabase } from '../support/stores.ts'

export const START = new Date('2024-03-01T00:00:00.000Z')

export interface CatalogFixture {
  readonly database: TestDatabase
  /** Bare SQL access for rows owned by other areas (servers, hosts). */
  readonly db: Kysely<Database>
  readonly clock: ControllableClock
  readonly flavors: FlavorService
  readonly zones: AvailabilityZoneService
  readonly keypairs: KeypairService
  readonly serverGroups: ServerGroupService
  /** A new project with the default limits overridden by `quotaLimits`; its member (or other role). */
  newProject(options?: { quotaLimits?: Partial<Record<QuotaResource, number>>; roles?: Role[] }): Promise<Owner>
  insertServer(row: { id: string; projectId: string; hostId?: string | null; deleted?: boolean }): Promise<void>
  insertHost(row: { id: string; name: string; availabilityZone: string }): Promise<void>
  close(): Promise<void>
}

export const ADMIN: Owner = { projectId: 'admin-project', userId: 'admin-user', roles: ['admin'] }

export async function createCatalogFixture(engine: Engine): Promise<CatalogFixture> {
  const database = await createTestDatabase(engine)
  const raw = openDatabase(database.url, { pgSchema: database.pgSchema })
  const clock = new ControllableClock({ frozenAt: START })
  const store = database.store
  const projects = new ProjectService({ store, clock })
  let projectCount = 0
  return {
    database,
    db: raw.db,
    clock,
    flavors: new FlavorService({ store, clock }),
    zones: new AvailabilityZoneService({ store }),
    keypairs: new KeypairService({ store, clock }),
    serverGroups: new ServerGroupService({ store, clock }),
    async newProject(options = {}) {
      projectCount++
      const project = await projects.createProject({ name: `project-${projectCount}`, quotaLimits: options.quotaLimits })
      return { projectId: project.id, userId: `user-of-${project.id}`, roles: options.roles ?? ['member'] }
    },
    async insertServer(row) {
      const now = clock.nowMs()
      // Only the columns without a default; the rest of a server is another area's business.
      const server = {
        id: row.id, project_id: row.projectId, user_id: 'someone', name: row.id, flavor_id: 'm2.c1m2',
        vcpus: 1, ram_mb: 2048, root_gb: 0, vm_state: row.deleted ? 'deleted' : 'active',
        host_id: row.hostId ?? null, reservation_id: `r-${row.id}`, created_at: now, updated_at: now,
        deleted: row.deleted ? 1 : 0,
      }
      await raw.db.insertInto('servers').values(server as Insertable<ServersTable>).execute()
    },
    async insertHost(row) {
      const host = {
        id: row.id, name: row.name, availability_zone: row.availabilityZone, driver: 'simulated', state: 'up',
        enabled: 1, vcpus: 16, ram_mb: 65536, disk_gb: 1000, updated_at: clock.nowMs(),
      }
      await raw.db.insertInto('hosts').values(host as Insertable<HostsTable>).execute()
    },
    async close() {
      await raw.close()
      await database.close()
    },
  }
}

/** The DomainError kind `work` rejects with; fails when it resolves or throws something else. */
export async function expectKind(work: Promise<unknown>, kind: DomainErrorKind): Promise<DomainError> {
  let outcome: unknown
  try {
    await work
    outcome = 'success'
  } catch (error) {
    if (error instanceof DomainError && error.kind === kind) return error
    outcome = error
  }
  throw new Error(`expected a ${kind} DomainError, got ${outcome instanceof Error ? outcome.message : String(outcome)}`)
}
