import type { Kysely } from 'kysely'

/**
 * Indexes found missing by the benchmark (bench/README.md), each for a query that otherwise reads every
 * row of a project on each call:
 * - server lists with `changes-since` include deleted servers, so (project_id, deleted, created_at, id)
 *   cannot order them and every page sorted all the project's servers; (project_id, created_at, id) can;
 * - a status filter that matches few servers (`status=BUILD`, what clients poll) walked the whole
 *   project in created order to find them; with vm_state in the key it reads only the matches;
 * - a server's ports (NHN v1.0 server views list them by device_id within the project) were found by
 *   walking the project's ports in created order, as SQLite prefers the index that gives the order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('servers_project_created_all').on('servers').columns(['project_id', 'created_at', 'id']).execute()
  await db.schema.createIndex('servers_project_state_created').on('servers')
    .columns(['project_id', 'deleted', 'vm_state', 'created_at', 'id']).execute()
  await db.schema.createIndex('ports_project_device_created').on('ports').columns(['project_id', 'device_id', 'created_at', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ports_project_device_created').execute()
  await db.schema.dropIndex('servers_project_state_created').execute()
  await db.schema.dropIndex('servers_project_created_all').execute()
}
