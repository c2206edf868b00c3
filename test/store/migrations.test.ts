/**
 * Migrations bring an empty database to the latest schema on both engines, every migration file is
 * registered, a second run changes nothing, nodes starting together on one PostgreSQL schema apply each
 * migration once, and both engines end with the same tables and columns.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle, type Engine } from '../../src/store/database.ts'
import { migrateToLatest } from '../../src/store/migrator.ts'
import { createStore } from '../../src/store/store.ts'
import { dropPostgresSchema, ensurePostgresSchema } from '../../src/store/engines/postgres.ts'
import { TEST_PG_URL, testEngines } from '../support/stores.ts'

const MIGRATIONS_DIR = new URL('../../src/store/migrations/', import.meta.url)
const BOOKKEEPING = new Set(['kysely_migration', 'kysely_migration_lock'])

/** Every migration file, by the name the migrator registers it under. */
function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR).filter((file) => /^\d{4}-[a-z0-9-]+\.ts$/.test(file))
    .map((file) => file.slice(0, -'.ts'.length)).sort()
}

/** An empty database nobody has migrated, and a way to open more connections to it. */
interface EmptyDatabase {
  readonly schema: string | undefined
  open(): DatabaseHandle
  dispose(): Promise<void>
}

async function emptyDatabase(engine: Engine): Promise<EmptyDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gureum-migrations-'))
    return {
      schema: undefined,
      open: () => openDatabase(join(dir, 'gureum.db')),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const schema = `m_${randomBytes(6).toString('hex')}`
  await ensurePostgresSchema(TEST_PG_URL, schema)
  return {
    schema,
    open: () => openDatabase(TEST_PG_URL, { pgSchema: schema }),
    dispose: () => dropPostgresSchema(TEST_PG_URL, schema),
  }
}

interface AppliedMigration {
  readonly name: string
  readonly timestamp: string
}

async function appliedMigrations(db: Kysely<any>): Promise<AppliedMigration[]> {
  const rows = await db.selectFrom('kysely_migration').select(['name', 'timestamp']).orderBy('name').execute()
  return rows.map((row) => ({ name: String(row.name), timestamp: String(row.timestamp) }))
}

/**
 * Table name → its columns (name and nullability), for the application's tables only. SQLite lets a
 * primary key column other than an INTEGER one hold NULL unless it says NOT NULL, which 0001 does not;
 * the repositories always write ids, so primary key columns count as not null here, as on PostgreSQL.
 */
async function tableShapes(db: Kysely<any>, schema: string | undefined): Promise<Record<string, string[]>> {
  const tables = await db.introspection.getTables()
  const shapes: Record<string, string[]> = {}
  for (const table of tables) {
    if (BOOKKEEPING.has(table.name) || table.isView) continue
    if (schema !== undefined && table.schema !== schema) continue
    const primaryKey = schema === undefined ? await sqlitePrimaryKey(db, table.name) : new Set<string>()
    shapes[table.name] = table.columns
      .map((column) => `${column.name}${column.isNullable && !primaryKey.has(column.name) ? ' null' : ''}`).sort()
  }
  return shapes
}

async function sqlitePrimaryKey(db: Kysely<any>, table: string): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table}) where pk > 0`.execute(db)
  return new Set(rows.map((row) => row.name))
}

const engines = await testEngines()

describe.each(engines)('migrations on %s', (engine) => {
  it('bring an empty database to the latest schema, registering every migration file', async () => {
    const database = await emptyDatabase(engine)
    const handle = database.open()
    try {
      expect(await tableShapes(handle.db, database.schema)).toEqual({})
      await migrateToLatest(handle.db, database.schema)
      expect((await appliedMigrations(handle.db)).map((migration) => migration.name)).toEqual(migrationFiles())
      const tables = Object.keys(await tableShapes(handle.db, database.schema))
      for (const table of ['projects', 'users', 'servers', 'server_actions', 'tasks', 'hosts', 'host_allocations',
        'quotas', 'flavors', 'images', 'networks', 'ports', 'volumes', 'volume_attachments']) {
        expect(tables, table).toContain(table)
      }
    } finally {
      await handle.close()
      await database.dispose()
    }
  })

  it('change nothing when run again, keeping the data', async () => {
    const database = await emptyDatabase(engine)
    const first = database.open()
    let second: DatabaseHandle | undefined
    try {
      await migrateToLatest(first.db, database.schema)
      const applied = await appliedMigrations(first.db)
      const shapes = await tableShapes(first.db, database.schema)
      const store = createStore(first)
      const now = new Date('2026-11-28T00:00:00.000Z')
      await store.availabilityZones.ensure(['kr-pub-a'], now)
      await store.hosts.register({
        id: 'h1', name: 'compute-1', availabilityZone: 'kr-pub-a', driver: 'simulated', vcpus: 8, ramMb: 16_384, diskGb: 100,
        cpuAllocationRatio: 4, ramAllocationRatio: 1.5, diskAllocationRatio: 1,
      }, now)

      await migrateToLatest(first.db, database.schema)
      // As a restarted process would: a new connection.
      second = database.open()
      await migrateToLatest(second.db, database.schema)

      expect(await appliedMigrations(second.db)).toEqual(applied)
      expect(await tableShapes(second.db, database.schema)).toEqual(shapes)
      expect((await createStore(second).hosts.list()).map((host) => host.name)).toEqual(['compute-1'])
    } finally {
      await first.close()
      await second?.close()
      await database.dispose()
    }
  })

  it.runIf(engine === 'postgres')('apply each migration once when several nodes start together', async () => {
    const database = await emptyDatabase(engine)
    const handles = Array.from({ length: 4 }, () => database.open())
    try {
      await Promise.all(handles.map((handle) => migrateToLatest(handle.db, database.schema)))
      const applied = await appliedMigrations(handles[0].db)
      expect(applied.map((migration) => migration.name)).toEqual(migrationFiles())
      const { rows } = await sql<{ count: number }>`select count(*)::int as count from kysely_migration`.execute(handles[1].db)
      expect(rows[0].count).toBe(migrationFiles().length)
    } finally {
      await Promise.all(handles.map((handle) => handle.close()))
      await database.dispose()
    }
  })
})

describe('migrations on both engines', () => {
  it.runIf(engines.includes('postgres'))('produce the same tables, columns and nullability', async () => {
    const shapes: Record<string, Record<string, string[]>> = {}
    for (const engine of ['sqlite', 'postgres'] as const) {
      const database = await emptyDatabase(engine)
      const handle = database.open()
      try {
        await migrateToLatest(handle.db, database.schema)
        shapes[engine] = await tableShapes(handle.db, database.schema)
      } finally {
        await handle.close()
        await database.dispose()
      }
    }
    expect(shapes.postgres).toEqual(shapes.sqlite)
  })
})
