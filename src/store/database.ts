import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'
import { openSqlite } from './engines/sqlite.ts'
import { openPostgres } from './engines/postgres.ts'

export type Engine = 'sqlite' | 'postgres'

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly engine: Engine
  close(): Promise<void>
}

/**
 * Opens the database a URL names: `postgres://…`/`postgresql://…` for PostgreSQL, `sqlite:<path>` or a
 * plain path for SQLite (`:memory:` for a throwaway database).
 */
export function openDatabase(url: string, options: { pgSchema?: string; maxConnections?: number } = {}): DatabaseHandle {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const db = openPostgres<Database>({ connectionString: url, schema: options.pgSchema, maxConnections: options.maxConnections })
    return { db, engine: 'postgres', close: () => db.destroy() }
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url
  const db = openSqlite<Database>({ path })
  return { db, engine: 'sqlite', close: () => db.destroy() }
}
