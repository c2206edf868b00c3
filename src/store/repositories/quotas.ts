import { sql } from 'kysely'
import type { QuotaRepository, QuotaResource, QuotaUsage } from '../../core/quotas/quota-repository.ts'
import type { Executor } from '../store.ts'

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
    // One conditional UPDATE: the row lock (PostgreSQL) or the write lock (SQLite) makes check-and-add atomic.
    const updated = await this.#db.updateTable('quotas')
      .set({ in_use: sql`in_use + ${amount}` })
      .where('project_id', '=', projectId)
      .where('resource', '=', resource)
      .where((eb) => eb.or([eb('hard_limit', '<', 0), eb(sql`in_use + ${amount}`, '<=', eb.ref('hard_limit'))]))
      .returning('in_use')
      .executeTakeFirst()
    if (updated) return null
    const row = await this.#db.selectFrom('quotas').selectAll()
      .where('project_id', '=', projectId).where('resource', '=', resource).executeTakeFirst()
    // A project without a row for this resource has no limit configured for it: treat as zero allowed.
    return { resource, limit: row?.hard_limit ?? 0, inUse: row?.in_use ?? 0 }
  }

  async release(projectId: string, resource: QuotaResource, amount: number): Promise<void> {
    await this.#db.updateTable('quotas')
      .set({ in_use: sql`case when in_use >= ${amount} then in_use - ${amount} else 0 end` })
      .where('project_id', '=', projectId)
      .where('resource', '=', resource)
      .execute()
  }
}
