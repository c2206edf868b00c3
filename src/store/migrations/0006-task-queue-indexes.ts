import { sql, type Kysely } from 'kysely'

/**
 * The task queue's indexes hold only the tasks they serve. Keyed on status, every task had an entry in
 * both, rewritten on each status change and kept forever after it finished; partial indexes hold the
 * queued tasks (in the claim's order) and the running ones (for the reaper): enqueueing adds one entry,
 * a claim moves it from one to the other, finishing drops it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index tasks_due on tasks (run_after, created_at, id) where status = 'queued'`.execute(db)
  await sql`create index tasks_leased on tasks (lease_expires_at) where status = 'running'`.execute(db)
  await db.schema.dropIndex('tasks_ready').execute()
  await db.schema.dropIndex('tasks_lease').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tasks_ready').on('tasks').columns(['status', 'run_after']).execute()
  await db.schema.createIndex('tasks_lease').on('tasks').columns(['status', 'lease_expires_at']).execute()
  await db.schema.dropIndex('tasks_leased').execute()
  await db.schema.dropIndex('tasks_due').execute()
}
