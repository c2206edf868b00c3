/**
 * Real databases for tests: every store suite runs on SQLite and on PostgreSQL. PostgreSQL is the one at
 * TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test); each store gets its own schema, dropped
 * when closed. Where PostgreSQL is unreachable the PostgreSQL cases are skipped with a printed reason,
 * except in CI (CI=true), where that is a failure.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase, type Engine } from '../../src/store/database.ts'
import { migrateToLatest } from '../../src/store/migrator.ts'
import { createStore } from '../../src/store/store.ts'
import { dropPostgresSchema, ensurePostgresSchema } from '../../src/store/engines/postgres.ts'
import type { Store } from '../../src/core/ports/store.ts'

export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

let postgresReachable: Promise<string | null> | undefined

/** Null when PostgreSQL answers; otherwise the reason it does not. */
export function postgresUnavailableReason(): Promise<string | null> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 })
    try {
      await client.connect()
      await client.query('select 1')
      return null
    } catch (error) {
      return `PostgreSQL at ${TEST_PG_URL} is unreachable: ${(error as Error).message}`
    } finally {
      await client.end().catch(() => undefined)
    }
  })()
  return postgresReachable
}

export interface TestDatabase {
  readonly engine: Engine
  /** The URL another process can open (a file path for SQLite; PostgreSQL URL, with `schema`). */
  readonly url: string
  readonly pgSchema?: string
  readonly store: Store
  close(): Promise<void>
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gureum-test-'))
    const url = join(dir, 'gureum.db')
    const handle = openDatabase(url)
    await migrateToLatest(handle.db)
    const store = createStore(handle)
    return {
      engine, url, store,
      async close() {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const pgSchema = `t_${randomBytes(6).toString('hex')}`
  await ensurePostgresSchema(TEST_PG_URL, pgSchema)
  const handle = openDatabase(TEST_PG_URL, { pgSchema, maxConnections: 20 })
  try {
    await migrateToLatest(handle.db, pgSchema)
  } catch (error) {
    await handle.close()
    await dropPostgresSchema(TEST_PG_URL, pgSchema)
    throw error
  }
  const store = createStore(handle)
  return {
    engine, url: TEST_PG_URL, pgSchema, store,
    async close() {
      await store.close()
      await dropPostgresSchema(TEST_PG_URL, pgSchema)
    },
  }
}

/**
 * The engines a store suite runs on. Use with `describe.each(await testEngines())`; a PostgreSQL case
 * that cannot run prints why (and fails in CI).
 */
export async function testEngines(): Promise<Engine[]> {
  const reason = await postgresUnavailableReason()
  if (reason === null) return ['sqlite', 'postgres']
  if (process.env.CI === 'true') throw new Error(`${reason} (required in CI)`)
  console.warn(`skipping PostgreSQL cases: ${reason}`)
  return ['sqlite']
}
