import type { Database } from './schema.ts'
import { prepare, type PreparedStatement } from './prepared.ts'

/**
 * A single-row INSERT of these columns, prepared once per SQL dialect; each call binds one row whose
 * keys are exactly `columns` (the row mappers of the repositories always give the same keys).
 */
export function preparedInsert<T extends keyof Database & string>(
  table: T, columns: readonly string[],
): PreparedStatement<Record<string, unknown>, never> {
  return prepare<Record<string, unknown>, never>((db, param) =>
    db.insertInto(table).values(Object.fromEntries(columns.map((column) => [column, param(column)])) as never))
}

/**
 * Prepared statements of a few fixed shapes chosen at run time (which columns an UPDATE sets, which
 * states it expects), one per shape key. Bounded: past `limit` shapes the statement is built per call.
 */
export class PreparedShapes<P extends Record<string, unknown>, R> {
  readonly #statements = new Map<string, PreparedStatement<P, R>>()
  readonly #limit: number
  constructor(limit = 256) {
    this.#limit = limit
  }

  get(key: string, create: () => PreparedStatement<P, R>): PreparedStatement<P, R> {
    const found = this.#statements.get(key)
    if (found) return found
    const statement = create()
    if (this.#statements.size < this.#limit) this.#statements.set(key, statement)
    return statement
  }
}
