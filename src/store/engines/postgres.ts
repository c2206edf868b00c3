import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'

export interface PostgresOptions {
  readonly connectionString: string
  /** Schema to use (created if missing): lets test suites share one database without sharing tables. */
  readonly schema?: string
  readonly maxConnections?: number
}

const INT8_OID = 20
const NUMERIC_OID = 1700

export function openPostgres<DB>(options: PostgresOptions): Kysely<DB> {
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
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
}

/** Creates the schema a connection's search_path names, before the pool uses it. */
export async function ensurePostgresSchema(connectionString: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`)
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  } finally {
    await client.end()
  }
}

export async function dropPostgresSchema(connectionString: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`)
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}
