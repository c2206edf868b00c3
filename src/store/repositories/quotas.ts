import { sql, type RawBuilder } from 'kysely'
import type { QuotaAmount, QuotaRepository, QuotaResource, QuotaUsage } from '../../core/quotas/quota-repository.ts'
import { prepare, type PreparedStatement } from '../prepared.ts'
import type { Executor } from '../store.ts'

// One conditional UPDATE: the row lock (PostgreSQL) or the write lock (SQLite) makes check-and-add atomic.
const consumeOne = prepare<{ projectId: string; resource: string; amount: number }, { in_use: number }>((db, param) =>
  db.updateTable('quotas')
    .set({ in_use: sql`in_use + ${param('amount')}` })
    .where('project_id', '=', param('projectId'))
    .where('resource', '=', param('resource'))
    .where((eb) => eb.or([eb('hard_limit', '<', 0), eb(sql`in_use + ${param('amount')}`, '<=', eb.ref('hard_limit'))]))
    .returning('in_use'))

const usageOf = prepare<{ projectId: string; resource: string }, { hard_limit: number; in_use: number }>((db, param) =>
  db.selectFrom('quotas').select(['hard_limit', 'in_use'])
    .where('project_id', '=', param('projectId')).where('resource', '=', param('resource')))

const releaseOne = prepare<{ projectId: string; resource: string; amount: number }, never>((db, param) =>
  db.updateTable('quotas')
    .set({ in_use: sql`case when in_use >= ${param('amount')} then in_use - ${param('amount')} else 0 end` })
    .where('project_id', '=', param('projectId'))
    .where('resource', '=', param('resource')))

type ConsumeAllParams = Record<string, string | number>

/**
 * The several-resource consume, one statement per list of resources (a server create always asks for
 * the same four): each row gets its own amount through a CASE on the resource, and only the rows that
 * stay within their limit change. The resource names are part of the statement; the amounts are bound.
 */
const consumeAllByResources = new Map<string, PreparedStatement<ConsumeAllParams, { resource: string }>>()

function consumeAllFor(resources: readonly QuotaResource[]): PreparedStatement<ConsumeAllParams, { resource: string }> {
  const key = resources.join(',')
  let statement = consumeAllByResources.get(key)
  if (!statement) {
    statement = prepare<ConsumeAllParams, { resource: string }>((db, param) => {
      const delta: RawBuilder<number> = sql`case ${sql.ref('resource')} ${sql.join(resources.map((resource, index) =>
        sql`when ${resource} then cast(${param(`amount${index}`)} as integer)`), sql` `)} end`
      return db.updateTable('quotas')
        .set({ in_use: sql`in_use + ${delta}` })
        .where('project_id', '=', param('projectId') as string)
        .where('resource', 'in', [...resources])
        .where((eb) => eb.or([eb('hard_limit', '<', 0), eb(sql`in_use + ${delta}`, '<=', eb.ref('hard_limit'))]))
        .returning('resource')
    })
    consumeAllByResources.set(key, statement)
  }
  return statement
}

export class KyselyQuotaRepository implements QuotaRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async setLimit(projectId: string, resource: QuotaResource, limit: number): Promise<void> {
    await this.#db.insertInto('quotas')
      .values({ project_id: projectId, resource, hard_limit: limit, in_use: 0 })
      .onConflict((oc) => oc.columns(['project_id', 'resource']).doUpdateSet({ hard_limit: limit }))
      .execute()
  }

  async list(projectId: string): Promise<QuotaUsage[]> {
    const rows = await this.#db.selectFrom('quotas').selectAll().where('project_id', '=', projectId)
      .orderBy('resource').execute()
    return rows.map((row) => ({ resource: row.resource as QuotaResource, limit: row.hard_limit, inUse: row.in_use }))
  }

  async tryConsume(projectId: string, resource: QuotaResource, amount: number): Promise<QuotaUsage | null> {
    if (await consumeOne.first(this.#db, { projectId, resource, amount })) return null
    return this.#usage(projectId, resource)
  }

  async tryConsumeAll(projectId: string, amounts: readonly QuotaAmount[]): Promise<QuotaUsage | null> {
    const resources = amounts.map((item) => item.resource)
    if (new Set(resources).size !== resources.length) throw new Error('tryConsumeAll: a resource is listed twice')
    const params: ConsumeAllParams = { projectId }
    amounts.forEach((item, index) => {
      params[`amount${index}`] = item.amount
    })
    const changed = new Set((await consumeAllFor(resources).all(this.#db, params)).map((row) => row.resource))
    const refused = resources.find((resource) => !changed.has(resource))
    return refused === undefined ? null : this.#usage(projectId, refused)
  }

  async release(projectId: string, resource: QuotaResource, amount: number): Promise<void> {
    await releaseOne.run(this.#db, { projectId, resource, amount })
  }

  async #usage(projectId: string, resource: QuotaResource): Promise<QuotaUsage> {
    const row = await usageOf.first(this.#db, { projectId, resource })
    // A project without a row for this resource has no limit configured for it: treat as zero allowed.
    return { resource, limit: row?.hard_limit ?? 0, inUse: row?.in_use ?? 0 }
  }
}
