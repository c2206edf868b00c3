/**
 * The networking service and helpers over a real test database with a frozen clock. Projects come from
 * the ProjectService (which sets their quota limits).
 */
import { ProjectService } from '../../src/core/projects/project-service.ts'
import type { QuotaResource } from '../../src/core/quotas/quota-repository.ts'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import type { Owner, Role } from '../../src/core/shared/owner.ts'
import type { Store } from '../../src/core/ports/store.ts'
import type { NetworkEnv } from '../../src/core/networks/network-env.ts'
import { NetworkService } from '../../src/core/networks/network-service.ts'
import { createDefaultNetworking, createExternalNetwork, type SeededNetwork } from '../../src/core/networks/network-seed.ts'
import type { Engine } from '../../src/store/database.ts'
import { createTestDatabase, type TestDatabase } from '../support/stores.ts'

export { expectKind } from '../compute-catalog/catalog-fixture.ts'

export const START = new Date('2024-03-01T00:00:00.000Z')

export interface NetworkFixture {
  readonly database: TestDatabase
  readonly store: Store
  readonly clock: ControllableClock
  readonly env: NetworkEnv
  readonly networks: NetworkService
  /** A new project with the default limits overridden by `quotaLimits`; its member (or other role). */
  newProject(options?: { quotaLimits?: Partial<Record<QuotaResource, number>>; roles?: Role[] }): Promise<Owner>
  /** A network and subnet of the project, as the seed makes them. */
  projectNetwork(owner: Owner, cidr?: string, name?: string): Promise<SeededNetwork>
  externalNetwork(cidr?: string, name?: string): Promise<SeededNetwork>
  inUse(owner: Owner, resource: QuotaResource): Promise<number>
  /** Opens the PostgreSQL pool's connections, so that transactions started together really overlap. */
  warmPool(): Promise<void>
  /** Moves the frozen clock so that later rows sort after earlier ones. */
  tick(): void
  close(): Promise<void>
}

export async function createNetworkFixture(engine: Engine): Promise<NetworkFixture> {
  const database = await createTestDatabase(engine)
  const store = database.store
  const clock = new ControllableClock({ frozenAt: START })
  const env: NetworkEnv = { clock }
  const projects = new ProjectService({ store, clock })
  let projectCount = 0
  return {
    database,
    store,
    clock,
    env,
    networks: new NetworkService({ store, clock }),
    async newProject(options = {}) {
      projectCount++
      const project = await projects.createProject({ name: `network-project-${projectCount}`, quotaLimits: options.quotaLimits })
      return { projectId: project.id, userId: `user-of-${project.id}`, roles: options.roles ?? ['member'] }
    },
    projectNetwork(owner, cidr = '10.0.0.0/24', name = 'private') {
      return store.transaction((tx) => createDefaultNetworking(tx, { projectId: owner.projectId, networkName: name, cidr }, env))
    },
    externalNetwork(cidr = '203.0.113.0/24', name = 'public') {
      return store.transaction((tx) => createExternalNetwork(tx, { name, cidr }, env))
    },
    async inUse(owner, resource) {
      const usage = (await store.quotas.list(owner.projectId)).find((quota) => quota.resource === resource)
      return usage?.inUse ?? 0
    },
    async warmPool() {
      await Promise.all(Array.from({ length: 16 }, () => store.transaction((tx) => tx.quotas.list('warm-up'))))
    },
    tick() {
      clock.advance(1000)
    },
    close: () => database.close(),
  }
}
