import { createRequire } from 'node:module'
import type PgModule from 'pg'
import {
  Kysely, PostgresDialect, sql, type DatabaseIntrospector, type DatabaseMetadata, type DatabaseMetadataOptions,
  type PostgresDialectConfig, type SchemaMetadata, type TableMetadata,
} from 'kysely'

export interface PostgresOptions {
  readonly connectionString: string
  /** Schema to use (created if missing): lets test suites share one database without sharing tables. */
  readonly schema?: string
  readonly maxConnections?: number
}

/** pg (some 45 modules) is loaded when PostgreSQL is first used: a start on SQLite never needs it. */
let loadedPg: typeof PgModule | undefined
function pgModule(): typeof PgModule {
  loadedPg ??= createRequire(import.meta.url)('pg') as typeof PgModule
  return loadedPg
}

const INT8_OID = 20
const NUMERIC_OID = 1700

export function openPostgres<DB>(options: PostgresOptions): Kysely<DB> {
  const pg = pgModule()
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // Counters and epoch-millisecond timestamps are bigint columns; they stay far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID || oid === NUMERIC_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) as never,
    },
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  })
  const config = { pool }
  return new Kysely<DB>({ dialect: options.schema ? new SchemaScopedPostgresDialect(config, options.schema) : new PostgresDialect(config) })
}

/**
 * Kysely's PostgreSQL introspector reads every schema of the database and fails ("schema … does not
 * exist") when another schema is dropped while it reads, as test suites sharing one database do all the
 * time. The migrator introspects only to find its bookkeeping tables, so with a schema configured the
 * introspection stays inside that schema.
 */
class SchemaScopedPostgresDialect extends PostgresDialect {
  readonly #schema: string
  constructor(config: PostgresDialectConfig, schema: string) {
    super(config)
    this.#schema = schema
  }

  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SchemaIntrospector(db, this.#schema)
  }
}

class SchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<any>
  readonly #schema: string
  constructor(db: Kysely<any>, schema: string) {
    this.#db = db
    this.#schema = schema
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const rows = await this.#db.selectFrom('pg_catalog.pg_namespace').select('nspname')
      .where('nspname', '=', this.#schema).execute()
    return rows.map((row) => ({ name: String(row.nspname) }))
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const rows = await this.#db.selectFrom('pg_catalog.pg_attribute as a')
      .innerJoin('pg_catalog.pg_class as c', 'a.attrelid', 'c.oid')
      .innerJoin('pg_catalog.pg_namespace as ns', 'c.relnamespace', 'ns.oid')
      .innerJoin('pg_catalog.pg_type as typ', 'a.atttypid', 'typ.oid')
      .innerJoin('pg_catalog.pg_namespace as dtns', 'typ.typnamespace', 'dtns.oid')
      .leftJoin('pg_catalog.pg_attrdef as def', (join) => join.onRef('def.adrelid', '=', 'a.attrelid').onRef('def.adnum', '=', 'a.attnum'))
      .select([
        'a.attname as column', 'a.attnotnull as not_null', 'c.relname as table', 'c.relkind as table_type',
        'typ.typname as type', 'dtns.nspname as type_schema',
        sql<boolean>`def.adbin is not null`.as('has_default'),
        sql<boolean>`a.attidentity <> '' or coalesce(pg_get_expr(def.adbin, def.adrelid) like 'nextval(%', false)`.as('auto_incrementing'),
      ])
      .where('ns.nspname', '=', this.#schema)
      .where('c.relkind', 'in', ['r', 'v', 'p'])
      .where('a.attnum', '>', 0)
      .where('a.attisdropped', '=', false)
      .$if(!options.withInternalKyselyTables, (query) => query.where('c.relname', 'not in', ['kysely_migration', 'kysely_migration_lock']))
      .orderBy('c.relname').orderBy('a.attnum')
      .execute()
    const tables = new Map<string, TableMetadata>()
    for (const row of rows) {
      let table = tables.get(row.table)
      if (!table) {
        table = { name: row.table, schema: this.#schema, isView: row.table_type === 'v', columns: [] }
        tables.set(row.table, table)
      }
      table.columns.push({
        name: row.column, dataType: row.type, dataTypeSchema: row.type_schema, isNullable: !row.not_null,
        hasDefaultValue: row.has_default, isAutoIncrementing: row.auto_incrementing,
      })
    }
    return [...tables.values()]
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) }
  }
}

/** Creates the schema a connection's search_path names, before the pool uses it. */
export async function ensurePostgresSchema(connectionString: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`)
  const client = new (pgModule().Client)({ connectionString })
  await client.connect()
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  } finally {
    await client.end()
  }
}

export async function dropPostgresSchema(connectionString: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`)
  const client = new (pgModule().Client)({ connectionString })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}
