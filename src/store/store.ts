import type { Kysely, Transaction } from 'kysely'
import type { Repositories, Store } from '../core/ports/store.ts'
import type { Database } from './schema.ts'
import type { DatabaseHandle } from './database.ts'
import { createIdentityRepositories } from './repositories/identity.ts'
import { createNetworkRepositories } from './repositories/networks.ts'
import { createStorageRepositories } from './repositories/storage.ts'
import { createImageRepositories } from './repositories/images.ts'
import { createComputeCatalogRepositories } from './repositories/compute-catalog.ts'
import { createServerRepositories } from './repositories/servers.ts'
import { KyselyTaskRepository } from './repositories/tasks.ts'
import { KyselyQuotaRepository } from './repositories/quotas.ts'
import { KyselyHostRepository } from './repositories/hosts.ts'
import type { Engine } from './database.ts'

export type Executor = Kysely<Database> | Transaction<Database>

function createRepositories(db: Executor, engine: Engine): Repositories {
  return {
    ...createIdentityRepositories(db),
    ...createNetworkRepositories(db, engine),
    ...createStorageRepositories(db),
    ...createImageRepositories(db),
    ...createComputeCatalogRepositories(db),
    ...createServerRepositories(db, engine === 'postgres' ? '~' : 'regexp'),
    tasks: new KyselyTaskRepository(db, engine),
    quotas: new KyselyQuotaRepository(db),
    hosts: new KyselyHostRepository(db),
  }
}

const RETRYABLE_PG_CODES = new Set(['40001', '40P01'])

export function createStore(handle: DatabaseHandle): Store {
  const base = createRepositories(handle.db, handle.engine)
  return {
    ...base,
    supportsConcurrentWorkers: handle.engine === 'postgres',
    async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await handle.db.transaction().execute((trx) => work(createRepositories(trx, handle.engine)))
        } catch (error) {
          const code = (error as { code?: string }).code
          if (attempt < 5 && code && RETRYABLE_PG_CODES.has(code)) continue
          throw error
        }
      }
    },
    close: () => handle.close(),
  }
}
