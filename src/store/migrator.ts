import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import * as initialSchema from './migrations/0001-initial-schema.ts'
import * as identityIndexes from './migrations/0002-identity.ts'
import * as storageDevices from './migrations/0003-storage.ts'
import * as hotPathIndexes from './migrations/0004-hot-path-indexes.ts'
import * as taskQueueIndexes from './migrations/0006-task-queue-indexes.ts'

/** Migrations are listed explicitly (no directory scanning), in order; names never change once shipped. */
const migrations: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-identity': identityIndexes,
  '0003-storage': storageDevices,
  '0004-hot-path-indexes': hotPathIndexes,
  '0006-task-queue-indexes': taskQueueIndexes,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

/**
 * `schema`: the PostgreSQL schema the connection's search_path names. Kysely looks its bookkeeping tables
 * up across every schema unless told which, so several Gureum schemas in one database would collide.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((result) => result.status === 'Error')
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? '')
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${cause}`, { cause: error })
  }
}
