import { sql, type RawBuilder, type Selectable, type SelectQueryBuilder, type SqlBool } from 'kysely'
import type { DirectedKeysetRequest as KeysetRequest } from '../../core/shared/keyset.ts'
import type {
  NewVolume, NewVolumeType, SnapshotChanges, SnapshotFilter, SnapshotRepository, StorageRepositories,
  VolumeAttachmentRepository, VolumeChanges, VolumeFilter, VolumeRepository, VolumeTypeRepository,
} from '../../core/volumes/storage-repositories.ts'
import type {
  Attachment, AttachmentStatus, Snapshot, SnapshotStatus, Volume, VolumeStatus, VolumeType,
} from '../../core/volumes/volume.ts'
import type { Database, SnapshotsTable, VolumeAttachmentsTable, VolumeTypesTable, VolumesTable } from '../schema.ts'
import type { Executor } from '../store.ts'
import { prepare } from '../prepared.ts'

export function createStorageRepositories(db: Executor): StorageRepositories {
  return {
    volumes: new KyselyVolumeRepository(db),
    volumeTypes: new KyselyVolumeTypeRepository(db),
    volumeAttachments: new KyselyVolumeAttachmentRepository(db),
    snapshots: new KyselySnapshotRepository(db),
  }
}

// Row conversions shared with the image repositories (images.ts).
export const toBool = (value: number): boolean => value !== 0
export const fromBool = (value: boolean): number => (value ? 1 : 0)
export const toDate = (millis: number): Date => new Date(Number(millis))
export const toJsonObject = (text: string): Record<string, string> => JSON.parse(text) as Record<string, string>

/**
 * The keyset condition of a page: rows after the cursor's (created_at, id) in the page's direction, as
 * one row-value comparison that the (…, created_at, id) indexes serve on both engines.
 */
export function afterCursor(table: string, page: KeysetRequest): RawBuilder<SqlBool> | null {
  if (page.after === null) return null
  const operator = page.direction === 'asc' ? sql`>` : sql`<`
  return sql<SqlBool>`(${sql.ref(`${table}.created_at`)}, ${sql.ref(`${table}.id`)}) ${operator} (${page.after.createdAt.getTime()}, ${page.after.id})`
}

// ---------------------------------------------------------------------------------------------- volumes

type VolumeRow = Selectable<VolumesTable> & { volume_type_name: string | null }

function volumeFromRow(row: VolumeRow): Volume {
  return {
    id: row.id,
    projectId: row.project_id,
    userId: row.user_id,
    name: row.name,
    description: row.description,
    sizeGb: Number(row.size_gb),
    volumeTypeId: row.volume_type,
    volumeTypeName: row.volume_type_name ?? row.volume_type,
    status: row.status as VolumeStatus,
    bootable: toBool(row.bootable),
    multiattach: toBool(row.multiattach),
    imageId: row.image_id,
    snapshotId: row.snapshot_id,
    sourceVolumeId: row.source_volume_id,
    availabilityZone: row.availability_zone,
    metadata: toJsonObject(row.metadata),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

/** The type's name beside each volume row (volumes keep the type's id). */
const volumeTypeName = sql<string | null>`(select vt.name from volume_types vt where vt.id = volumes.volume_type)`

class KyselyVolumeRepository implements VolumeRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  #select() {
    return this.#db.selectFrom('volumes').selectAll('volumes').select(volumeTypeName.as('volume_type_name'))
  }

  async insert(volume: NewVolume): Promise<void> {
    await this.#db.insertInto('volumes').values({
      id: volume.id,
      project_id: volume.projectId,
      user_id: volume.userId,
      name: volume.name,
      description: volume.description,
      size_gb: volume.sizeGb,
      volume_type: volume.volumeTypeId,
      status: volume.status,
      bootable: fromBool(volume.bootable),
      multiattach: fromBool(volume.multiattach),
      image_id: volume.imageId,
      snapshot_id: volume.snapshotId,
      source_volume_id: volume.sourceVolumeId,
      availability_zone: volume.availabilityZone,
      metadata: JSON.stringify(volume.metadata),
      created_at: volume.createdAt.getTime(),
      updated_at: volume.updatedAt.getTime(),
    }).execute()
  }

  async get(projectId: string, id: string): Promise<Volume | null> {
    const row = await this.#select().where('volumes.id', '=', id).where('volumes.project_id', '=', projectId)
      .executeTakeFirst()
    return row ? volumeFromRow(row) : null
  }

  async getById(id: string): Promise<Volume | null> {
    const row = await this.#select().where('volumes.id', '=', id).executeTakeFirst()
    return row ? volumeFromRow(row) : null
  }

  async getByIds(ids: readonly string[]): Promise<Volume[]> {
    if (ids.length === 0) return []
    const rows = await this.#select().where('volumes.id', 'in', [...new Set(ids)]).execute()
    return rows.map(volumeFromRow)
  }

  async lockById(id: string): Promise<Volume | null> {
    // A no-op UPDATE takes the row lock on PostgreSQL (SQLite's write transaction already excludes others).
    const row = await this.#db.updateTable('volumes').set({ updated_at: sql`updated_at` }).where('id', '=', id)
      .returningAll().returning(volumeTypeName.as('volume_type_name')).executeTakeFirst()
    return row ? volumeFromRow(row) : null
  }

  async list(projectId: string, filter: VolumeFilter, page: KeysetRequest): Promise<Volume[]> {
    let query = this.#select().where('volumes.project_id', '=', projectId)
    if (filter.name !== undefined) query = query.where('volumes.name', '=', filter.name)
    if (filter.status !== undefined) query = query.where('volumes.status', '=', filter.status)
    if (filter.bootable !== undefined) query = query.where('volumes.bootable', '=', fromBool(filter.bootable))
    const after = afterCursor('volumes', page)
    if (after) query = query.where(after)
    const rows = await query.orderBy('volumes.created_at', page.direction).orderBy('volumes.id', page.direction)
      .limit(page.fetch).execute()
    return rows.map(volumeFromRow)
  }

  async update(id: string, changes: VolumeChanges, expected?: readonly VolumeStatus[]): Promise<Volume | null> {
    let query = this.#db.updateTable('volumes').set({
      name: changes.name,
      description: changes.description,
      metadata: changes.metadata === undefined ? undefined : JSON.stringify(changes.metadata),
      bootable: changes.bootable === undefined ? undefined : fromBool(changes.bootable),
      size_gb: changes.sizeGb,
      status: changes.status,
      updated_at: changes.updatedAt.getTime(),
    }).where('id', '=', id)
    if (expected) query = query.where('status', 'in', [...expected])
    const row = await query.returningAll().returning(volumeTypeName.as('volume_type_name')).executeTakeFirst()
    return row ? volumeFromRow(row) : null
  }

  async delete(id: string, expected: readonly VolumeStatus[]): Promise<boolean> {
    const result = await this.#db.deleteFrom('volumes').where('id', '=', id).where('status', 'in', [...expected])
      .executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

// ----------------------------------------------------------------------------------------- volume types

function volumeTypeFromRow(row: Selectable<VolumeTypesTable>): VolumeType {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isDefault: toBool(row.is_default),
    isPublic: toBool(row.is_public),
    extraSpecs: toJsonObject(row.extra_specs),
    createdAt: toDate(row.created_at),
  }
}

class KyselyVolumeTypeRepository implements VolumeTypeRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(type: NewVolumeType): Promise<boolean> {
    // No conflict target: a clash on the id or on the unique name both skip the insert.
    const inserted = await this.#db.insertInto('volume_types').values({
      id: type.id,
      name: type.name,
      description: type.description,
      is_default: fromBool(type.isDefault),
      is_public: fromBool(type.isPublic),
      extra_specs: JSON.stringify(type.extraSpecs),
      created_at: type.createdAt.getTime(),
    }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst()
    return inserted !== undefined
  }

  async get(id: string): Promise<VolumeType | null> {
    const row = await this.#db.selectFrom('volume_types').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? volumeTypeFromRow(row) : null
  }

  async getByName(name: string): Promise<VolumeType | null> {
    const row = await this.#db.selectFrom('volume_types').selectAll().where('name', '=', name).executeTakeFirst()
    return row ? volumeTypeFromRow(row) : null
  }

  async getDefault(): Promise<VolumeType | null> {
    const row = await this.#db.selectFrom('volume_types').selectAll().where('is_default', '=', 1).orderBy('name')
      .executeTakeFirst()
    return row ? volumeTypeFromRow(row) : null
  }

  async list(publicOnly: boolean): Promise<VolumeType[]> {
    let query = this.#db.selectFrom('volume_types').selectAll()
    if (publicOnly) query = query.where('is_public', '=', 1)
    const rows = await query.orderBy('name').execute()
    return rows.map(volumeTypeFromRow)
  }

  async setDefault(id: string): Promise<void> {
    await this.#db.updateTable('volume_types')
      .set({ is_default: sql<number>`case when id = ${id} then 1 else 0 end` })
      .execute()
  }
}

// ------------------------------------------------------------------------------------------ attachments

/** A server's attachments in boot order, then by device (vdb before vdaa). */
function attachmentOrder(query: SelectQueryBuilder<Database, 'volume_attachments', Selectable<VolumeAttachmentsTable>>) {
  return query.orderBy('server_id')
    .orderBy(sql`case when boot_index is null then 1 else 0 end`)
    .orderBy('boot_index')
    .orderBy(sql`length(device)`)
    .orderBy('device')
}
const attachmentsOfServer = prepare<{ serverId: string }, Selectable<VolumeAttachmentsTable>>((db, param) =>
  attachmentOrder(db.selectFrom('volume_attachments').selectAll().where('server_id', '=', param('serverId'))))

function attachmentFromRow(row: Selectable<VolumeAttachmentsTable>): Attachment {
  return {
    id: row.id,
    projectId: row.project_id,
    volumeId: row.volume_id,
    serverId: row.server_id,
    device: row.device,
    bootIndex: row.boot_index === null ? null : Number(row.boot_index),
    deleteOnTermination: toBool(row.delete_on_termination),
    status: row.status as AttachmentStatus,
    createdAt: toDate(row.created_at),
  }
}

class KyselyVolumeAttachmentRepository implements VolumeAttachmentRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(attachment: Attachment): Promise<boolean> {
    // No conflict target: the (volume, server) pair and, with migration 0002, the (server, device) pair
    // are unique; either clash skips the insert and the caller finds out which.
    const inserted = await this.#db.insertInto('volume_attachments').values({
      id: attachment.id,
      project_id: attachment.projectId,
      volume_id: attachment.volumeId,
      server_id: attachment.serverId,
      device: attachment.device,
      boot_index: attachment.bootIndex,
      delete_on_termination: fromBool(attachment.deleteOnTermination),
      status: attachment.status,
      created_at: attachment.createdAt.getTime(),
    }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst()
    return inserted !== undefined
  }

  async get(id: string): Promise<Attachment | null> {
    const row = await this.#db.selectFrom('volume_attachments').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? attachmentFromRow(row) : null
  }

  async find(volumeId: string, serverId: string): Promise<Attachment | null> {
    const row = await this.#db.selectFrom('volume_attachments').selectAll()
      .where('volume_id', '=', volumeId).where('server_id', '=', serverId).executeTakeFirst()
    return row ? attachmentFromRow(row) : null
  }

  async listByVolume(volumeId: string): Promise<Attachment[]> {
    return this.listByVolumes([volumeId])
  }

  async listByVolumes(volumeIds: readonly string[]): Promise<Attachment[]> {
    if (volumeIds.length === 0) return []
    const rows = await this.#db.selectFrom('volume_attachments').selectAll()
      .where('volume_id', 'in', [...new Set(volumeIds)]).orderBy('created_at').orderBy('id').execute()
    return rows.map(attachmentFromRow)
  }

  async listByServers(serverIds: readonly string[]): Promise<Attachment[]> {
    if (serverIds.length === 0) return []
    const distinct = [...new Set(serverIds)]
    const rows = distinct.length === 1
      ? await attachmentsOfServer.all(this.#db, { serverId: distinct[0] })
      : await attachmentOrder(this.#db.selectFrom('volume_attachments').selectAll().where('server_id', 'in', distinct)).execute()
    return rows.map(attachmentFromRow)
  }

  async setStatus(id: string, status: AttachmentStatus, expected: readonly AttachmentStatus[]): Promise<Attachment | null> {
    const row = await this.#db.updateTable('volume_attachments').set({ status })
      .where('id', '=', id).where('status', 'in', [...expected]).returningAll().executeTakeFirst()
    return row ? attachmentFromRow(row) : null
  }

  async setDeleteOnTermination(id: string, deleteOnTermination: boolean): Promise<Attachment | null> {
    const row = await this.#db.updateTable('volume_attachments')
      .set({ delete_on_termination: fromBool(deleteOnTermination) })
      .where('id', '=', id).returningAll().executeTakeFirst()
    return row ? attachmentFromRow(row) : null
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('volume_attachments').where('id', '=', id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

// -------------------------------------------------------------------------------------------- snapshots

function snapshotFromRow(row: Selectable<SnapshotsTable>): Snapshot {
  return {
    id: row.id,
    projectId: row.project_id,
    volumeId: row.volume_id,
    name: row.name,
    description: row.description,
    sizeGb: Number(row.size_gb),
    status: row.status as SnapshotStatus,
    metadata: toJsonObject(row.metadata),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

class KyselySnapshotRepository implements SnapshotRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(snapshot: Snapshot): Promise<void> {
    await this.#db.insertInto('snapshots').values({
      id: snapshot.id,
      project_id: snapshot.projectId,
      volume_id: snapshot.volumeId,
      name: snapshot.name,
      description: snapshot.description,
      size_gb: snapshot.sizeGb,
      status: snapshot.status,
      metadata: JSON.stringify(snapshot.metadata),
      created_at: snapshot.createdAt.getTime(),
      updated_at: snapshot.updatedAt.getTime(),
    }).execute()
  }

  async get(projectId: string, id: string): Promise<Snapshot | null> {
    const row = await this.#db.selectFrom('snapshots').selectAll()
      .where('id', '=', id).where('project_id', '=', projectId).executeTakeFirst()
    return row ? snapshotFromRow(row) : null
  }

  async list(projectId: string, filter: SnapshotFilter, page: KeysetRequest): Promise<Snapshot[]> {
    let query = this.#db.selectFrom('snapshots').selectAll().where('project_id', '=', projectId)
    if (filter.name !== undefined) query = query.where('name', '=', filter.name)
    if (filter.status !== undefined) query = query.where('status', '=', filter.status)
    if (filter.volumeId !== undefined) query = query.where('volume_id', '=', filter.volumeId)
    const after = afterCursor('snapshots', page)
    if (after) query = query.where(after)
    const rows = await query.orderBy('created_at', page.direction).orderBy('id', page.direction)
      .limit(page.fetch).execute()
    return rows.map(snapshotFromRow)
  }

  async listByVolume(volumeId: string): Promise<Snapshot[]> {
    const rows = await this.#db.selectFrom('snapshots').selectAll().where('volume_id', '=', volumeId)
      .orderBy('created_at').orderBy('id').execute()
    return rows.map(snapshotFromRow)
  }

  async countByVolume(volumeId: string): Promise<number> {
    const row = await this.#db.selectFrom('snapshots').select((eb) => eb.fn.countAll<number>().as('count'))
      .where('volume_id', '=', volumeId).executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async update(id: string, changes: SnapshotChanges, expected?: readonly SnapshotStatus[]): Promise<Snapshot | null> {
    let query = this.#db.updateTable('snapshots').set({
      name: changes.name,
      description: changes.description,
      metadata: changes.metadata === undefined ? undefined : JSON.stringify(changes.metadata),
      status: changes.status,
      updated_at: changes.updatedAt.getTime(),
    }).where('id', '=', id)
    if (expected) query = query.where('status', 'in', [...expected])
    const row = await query.returningAll().executeTakeFirst()
    return row ? snapshotFromRow(row) : null
  }

  async delete(id: string, expected: readonly SnapshotStatus[]): Promise<boolean> {
    const result = await this.#db.deleteFrom('snapshots').where('id', '=', id).where('status', 'in', [...expected])
      .executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}
