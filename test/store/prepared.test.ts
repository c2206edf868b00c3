/**
 * Prepared statements: built once per SQL dialect, they bind each call's own values (never a previous
 * call's), keep the constants written into the query, work inside transactions, and report changed rows.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle, type Engine } from '../../src/store/database.ts'
import { dropPostgresSchema, ensurePostgresSchema } from '../../src/store/engines/postgres.ts'
import { prepare } from '../../src/store/prepared.ts'
import type { Database } from '../../src/store/schema.ts'
import { TEST_PG_URL, testEngines } from '../support/stores.ts'

interface Fruit { id: string; name: string; deleted: number; weight: number }
// The statements are written against a scratch table the schema does not know.
type Scratch = Kysely<{ fruits: Fruit }>
const scratch = (db: unknown) => db as Scratch

const byId = prepare<{ id: string }, Fruit>((db, param) =>
  scratch(db).selectFrom('fruits').selectAll().where('id', '=', param('id')).where('deleted', '=', 0))
const heavierThan = prepare<{ weight: number }, Pick<Fruit, 'id'>>((db, param) =>
  scratch(db).selectFrom('fruits').select('id').where('weight', '>', param('weight')).orderBy('id'))
const rename = prepare<{ id: string; name: string }, never>((db, param) =>
  scratch(db).updateTable('fruits').set({ name: param('name') }).where('id', '=', param('id')))

describe.each(await testEngines())('prepared statements on %s', (engine: Engine) => {
  let handle: DatabaseHandle
  let dispose: () => Promise<void>

  beforeAll(async () => {
    if (engine === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'gureum-prepared-'))
      handle = openDatabase(join(dir, 'gureum.db'))
      dispose = async () => { await handle.close(); rmSync(dir, { recursive: true, force: true }) }
    } else {
      const schema = `t_${randomBytes(6).toString('hex')}`
      await ensurePostgresSchema(TEST_PG_URL, schema)
      handle = openDatabase(TEST_PG_URL, { pgSchema: schema })
      dispose = async () => { await handle.close(); await dropPostgresSchema(TEST_PG_URL, schema) }
    }
    await sql`create table fruits (id text primary key, name text not null, deleted integer not null, weight integer not null)`
      .execute(handle.db)
    await scratch(handle.db).insertInto('fruits').values([
      { id: 'a', name: 'apple', deleted: 0, weight: 150 },
      { id: 'b', name: 'banana', deleted: 0, weight: 120 },
      { id: 'c', name: 'cherry', deleted: 1, weight: 5 },
    ]).execute()
  })
  afterAll(() => dispose())

  it('binds each call its own values and keeps the query constants', async () => {
    expect(await byId.first(handle.db, { id: 'a' })).toMatchObject({ name: 'apple' })
    expect(await byId.first(handle.db, { id: 'b' })).toMatchObject({ name: 'banana' })
    // `deleted = 0` is written into the statement, not a parameter of the call.
    expect(await byId.first(handle.db, { id: 'c' })).toBeUndefined()
    expect(await byId.first(handle.db, { id: 'zzz' })).toBeUndefined()
  })

  it('answers every row, with numeric parameters', async () => {
    expect(await heavierThan.all(handle.db as Kysely<Database>, { weight: 100 })).toEqual([{ id: 'a' }, { id: 'b' }])
    expect(await heavierThan.all(handle.db, { weight: 130 })).toEqual([{ id: 'a' }])
    expect(await heavierThan.all(handle.db, { weight: 1000 })).toEqual([])
  })

  it('runs writes inside a transaction and counts the changed rows', async () => {
    await expect(handle.db.transaction().execute(async (trx) => {
      expect(await rename.run(trx, { id: 'b', name: 'plantain' })).toBe(1)
      expect(await byId.first(trx, { id: 'b' })).toMatchObject({ name: 'plantain' })
      throw new Error('roll back')
    })).rejects.toThrow('roll back')
    expect(await byId.first(handle.db, { id: 'b' })).toMatchObject({ name: 'banana' })
    expect(await rename.run(handle.db, { id: 'nope', name: 'x' })).toBe(0)
    expect(await rename.run(handle.db, { id: 'a', name: 'crab apple' })).toBe(1)
    expect(await byId.first(handle.db, { id: 'a' })).toMatchObject({ name: 'crab apple' })
  })
})
