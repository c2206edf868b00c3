import type { Kysely } from 'kysely'

/**
 * Indexes for the identity lists, which are keyset pages ordered by (created_at, id): projects overall,
 * users per project, access keys per user. Without them each page would sort the whole table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('projects_created').on('projects').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('users_project_created').on('users').columns(['project_id', 'created_at', 'id']).execute()
  await db.schema.createIndex('access_keys_user_created').on('access_keys').columns(['user_id', 'created_at', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('access_keys_user_created').execute()
  await db.schema.dropIndex('users_project_created').execute()
  await db.schema.dropIndex('projects_created').execute()
}
