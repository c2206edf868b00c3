/**
 * The store port: repositories grouped by area, and a unit of work. Every state change runs inside
 * `transaction`, whose repositories see and write one atomic snapshot; the adapters in src/store
 * implement this on SQLite and PostgreSQL.
 */
import type { IdentityRepositories } from '../projects/identity-repositories.ts'
import type { NetworkRepositories } from '../networks/network-repositories.ts'
import type { StorageRepositories } from '../volumes/storage-repositories.ts'
import type { ImageRepositories } from '../images/image-repositories.ts'
import type { ComputeCatalogRepositories } from '../flavors/compute-catalog-repositories.ts'
import type { ServerRepositories } from '../servers/server-repositories.ts'
import type { TaskRepository } from '../tasks/task-repository.ts'
import type { QuotaRepository } from '../quotas/quota-repository.ts'
import type { HostRepository } from '../hosts/host-repository.ts'

export interface Repositories
  extends IdentityRepositories, NetworkRepositories, StorageRepositories, ImageRepositories,
    ComputeCatalogRepositories, ServerRepositories {
  readonly tasks: TaskRepository
  readonly quotas: QuotaRepository
  readonly hosts: HostRepository
}

export interface Store extends Repositories {
  /**
   * Runs `work` in one transaction. On PostgreSQL a serialization or deadlock failure is retried a few
   * times, so `work` must be safe to run again (it only touches the store).
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>
  /** Whether several processes may claim tasks concurrently (row locks); SQLite has one claimer. */
  readonly supportsConcurrentWorkers: boolean
  close(): Promise<void>
}
