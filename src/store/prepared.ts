import { CompiledQuery, type Compilable } from 'kysely'
import type { Executor } from './store.ts'

/**
 * A statement of fixed shape whose SQL Kysely builds and compiles once per SQL dialect; each call only
 * binds new values. Building and compiling a query (immutable node trees, frozen at every step) costs
 * more than SQLite takes to run a point lookup, so the hot reads and writes go through here.
 *
 * `build` receives `param(name)`, which stands for a value given at execution. Only fixed shapes
 * qualify: a list whose length varies (`in (…)`) changes the SQL and must stay a normal Kysely query.
 */
export interface PreparedStatement<P, R> {
  all(db: Executor, params: P): Promise<R[]>
  first(db: Executor, params: P): Promise<R | undefined>
  /** Runs a write and answers the number of rows it changed. */
  run(db: Executor, params: P): Promise<number>
}

export type ParamRef<P> = <K extends keyof P & string>(name: K) => P[K]

type Slot = { readonly name: string } | { readonly constant: unknown }

interface Template {
  readonly sql: string
  readonly slots: readonly Slot[]
}

// A value no caller passes: NUL cannot appear in identifiers or user text the API accepts.
const MARK = '\u0000gureum-param:'

export function prepare<P extends Record<string, unknown>, R>(
  build: (db: Executor, param: ParamRef<P>) => Compilable<R>,
): PreparedStatement<P, R> {
  // Keyed by the adapter's class: a transaction and its database compile alike, SQLite and PostgreSQL do not.
  const templates = new Map<unknown, Template>()

  const template = (db: Executor): Template => {
    const dialect = db.getExecutor().adapter.constructor
    let found = templates.get(dialect)
    if (!found) {
      const compiled = build(db, ((name: string) => MARK + name) as ParamRef<P>).compile()
      found = {
        sql: compiled.sql,
        slots: compiled.parameters.map((value) =>
          typeof value === 'string' && value.startsWith(MARK) ? { name: value.slice(MARK.length) } : { constant: value }),
      }
      templates.set(dialect, found)
    }
    return found
  }

  const execute = (db: Executor, params: P) => {
    const { sql, slots } = template(db)
    const values = slots.map((slot) => ('name' in slot ? params[slot.name] : slot.constant))
    return db.executeQuery<R>(CompiledQuery.raw(sql, values))
  }

  return {
    async all(db, params) {
      return (await execute(db, params)).rows
    },
    async first(db, params) {
      return (await execute(db, params)).rows[0]
    },
    async run(db, params) {
      return Number((await execute(db, params)).numAffectedRows ?? 0n)
    },
  }
}
