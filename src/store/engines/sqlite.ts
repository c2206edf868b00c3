import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  CompiledQuery, Kysely, SqliteAdapter, SqliteDriver, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type SqliteDatabase, type SqliteStatement,
} from 'kysely'

/**
 * Kysely over node:sqlite (no native addon to build). Kysely's SqliteDialect expects better-sqlite3's
 * statement shape; this adapter provides it and caches prepared statements, since preparing is the
 * largest per-query cost on hot paths.
 */
class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, SqliteStatement>()

  constructor(db: DatabaseSync) {
    this.#db = db
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.#statements.get(sql)
    if (cached) return cached
    const statement = wrapStatement(this.#db.prepare(sql))
    if (this.#statements.size >= 2000) this.#statements.clear()
    this.#statements.set(sql, statement)
    return statement
  }

  close(): void {
    this.#statements.clear()
    this.#db.close()
  }
}

function wrapStatement(statement: StatementSync): SqliteStatement {
  const columns = statement.columns().map((column) => column.name)
  const reader = columns.length > 0
  const toRow = reader ? rowBuilder(columns) : null
  if (toRow) statement.setReturnArrays(true)
  const rowsOf = toRow
    ? (parameters: readonly unknown[]) => (statement.all(...(parameters as never[])) as unknown as unknown[][]).map(toRow)
    : (parameters: readonly unknown[]) => statement.all(...(parameters as never[])) as unknown[]
  return {
    reader,
    all: rowsOf,
    run: (parameters) => {
      const { changes, lastInsertRowid } = statement.run(...(parameters as never[]))
      return { changes, lastInsertRowid }
    },
    iterate: toRow
      ? function* (parameters) {
        for (const values of statement.iterate(...(parameters as never[]))) yield toRow(values as unknown as unknown[])
      }
      : (parameters) => statement.iterate(...(parameters as never[])) as IterableIterator<unknown>,
  }
}

/**
 * node:sqlite's row objects have a null prototype and dictionary properties: every read of a column
 * from them is a hash lookup, and building them costs more than the rows' values. A statement that
 * returns arrays and one object literal per statement (its column names, fixed) give rows of a single
 * hidden class: a page of 1,000 servers read and converted in 4 ms instead of 10. Duplicate names keep
 * the last value, as node:sqlite's objects do. A column named `__proto__` (which a literal would take as
 * the prototype) keeps node:sqlite's own objects.
 */
function rowBuilder(columns: readonly string[]): ((values: unknown[]) => unknown) | null {
  if (columns.includes('__proto__')) return null
  const fields = columns.map((name, index) => `${JSON.stringify(name)}: values[${index}]`)
  // The source holds only the quoted column names.
  return new Function('values', `return { ${fields.join(', ')} }`) as (values: unknown[]) => unknown
}

/**
 * `BEGIN IMMEDIATE` takes the write lock at the start of a transaction. With Kysely's plain `BEGIN`, two
 * processes on one file can both read and then deadlock on the upgrade to a write lock, which
 * busy_timeout cannot resolve.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class NodeSqliteDialect implements Dialect {
  readonly #database: SqliteDatabase
  constructor(database: SqliteDatabase) {
    this.#database = database
  }
  createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database })
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler()
  }
  createAdapter() {
    return new SqliteAdapter()
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db)
  }
}

export interface SqliteOptions {
  /** A file path, or ':memory:'. */
  readonly path: string
  readonly busyTimeoutMs?: number
}

export function openSqlite<DB>(options: SqliteOptions): Kysely<DB> {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
  const db = new DatabaseSync(options.path, { timeout: options.busyTimeoutMs ?? 5000 })
  db.exec('PRAGMA journal_mode = WAL')
  // NORMAL in WAL mode keeps every commit atomic and durable against process crashes; only an OS crash
  // can lose the last commits, as documented by SQLite.
  db.exec('PRAGMA synchronous = NORMAL')
  db.exec('PRAGMA foreign_keys = ON')
  // SQLite's default page cache is 2 MiB: a page of 1,000 servers with their ports already touches more
  // pages than that, so every list re-read them from the OS. Up to 64 MiB, filled only as pages are read.
  db.exec('PRAGMA cache_size = -65536')
  // SQLite parses `x REGEXP y` but ships no implementation; PostgreSQL's `~` is the counterpart.
  const patterns = new Map<string, RegExp>()
  db.function('regexp', { deterministic: true }, (pattern, value) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0
    let regex = patterns.get(pattern)
    if (!regex) {
      regex = new RegExp(pattern)
      if (patterns.size > 100) patterns.clear()
      patterns.set(pattern, regex)
    }
    return regex.test(value) ? 1 : 0
  })
  return new Kysely<DB>({ dialect: new NodeSqliteDialect(new NodeSqliteDatabase(db)) })
}
