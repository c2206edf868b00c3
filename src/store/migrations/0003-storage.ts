import type { Kysely } from 'kysely'

/**
 * One device name per server: two volumes attached to one server at the same moment cannot both get
 * /dev/vdb, because the second insert conflicts and picks the next free device
 * (reserveVolumeAttachment), instead of relying on a read of the server's devices.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('volume_attachments_server_device').ifNotExists().unique().on('volume_attachments')
    .columns(['server_id', 'device']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('volume_attachments_server_device').ifExists().execute()
}
