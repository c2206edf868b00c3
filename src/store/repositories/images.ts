import { PostgresAdapter, sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely'
import type { Image, ImageMember, ImageMemberStatus, ImageStatus, ImageVisibility } from '../../core/images/image.ts'
import type {
  ImageChanges, ImageMemberRepository, ImageQuery, ImageRepositories, ImageRepository,
} from '../../core/images/image-repositories.ts'
import type { DirectedKeysetRequest as KeysetRequest } from '../../core/shared/keyset.ts'
import type { Database, ImageMembersTable, ImagesTable } from '../schema.ts'
import type { Executor } from '../store.ts'
import { afterCursor, fromBool, toBool, toDate, toJsonObject } from './storage.ts'

export function createImageRepositories(db: Executor): ImageRepositories {
  return {
    images: new KyselyImageRepository(db),
    imageMembers: new KyselyImageMemberRepository(db),
  }
}

/**
 * The images table has no column for the SHA-512 (Glance's os_hash_value), so it is kept in the
 * properties JSON under Glance's own name; the core reserves that name, so no client property clashes.
 */
const SHA512_PROPERTY = 'os_hash_value'

function imageFromRow(row: Selectable<ImagesTable>): Image {
  const { [SHA512_PROPERTY]: sha512, ...properties } = toJsonObject(row.properties)
  return {
    id: row.id,
    ownerProjectId: row.owner_project_id,
    name: row.name,
    status: row.status as ImageStatus,
    visibility: row.visibility as ImageVisibility,
    diskFormat: row.disk_format as Image['diskFormat'],
    containerFormat: row.container_format as Image['containerFormat'],
    minDiskGb: Number(row.min_disk_gb),
    minRamMb: Number(row.min_ram_mb),
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    virtualSizeBytes: row.virtual_size_bytes === null ? null : Number(row.virtual_size_bytes),
    checksumMd5: row.checksum,
    sha512: sha512 ?? null,
    protected: toBool(row.protected),
    osType: row.os_type === 'windows' ? 'windows' : 'linux',
    properties,
    tags: JSON.parse(row.tags) as string[],
    filePath: row.file_path,
    sourceServerId: row.source_server_id,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

function propertiesColumn(properties: Readonly<Record<string, string>>, sha512: string | null): string {
  return JSON.stringify(sha512 === null ? properties : { ...properties, [SHA512_PROPERTY]: sha512 })
}

type ImageWhere = ExpressionBuilder<Database, 'images'>

class KyselyImageRepository implements ImageRepository {
  readonly #db: Executor
  readonly #postgres: boolean
  constructor(db: Executor) {
    this.#db = db
    this.#postgres = db.getExecutor().adapter instanceof PostgresAdapter
  }

  async insert(image: Image): Promise<boolean> {
    const inserted = await this.#db.insertInto('images').values({
      id: image.id,
      owner_project_id: image.ownerProjectId,
      name: image.name,
      status: image.status,
      visibility: image.visibility,
      disk_format: image.diskFormat,
      container_format: image.containerFormat,
      min_disk_gb: image.minDiskGb,
      min_ram_mb: image.minRamMb,
      size_bytes: image.sizeBytes,
      virtual_size_bytes: image.virtualSizeBytes,
      checksum: image.checksumMd5,
      protected: fromBool(image.protected),
      os_type: image.osType,
      properties: propertiesColumn(image.properties, image.sha512),
      tags: JSON.stringify(image.tags),
      file_path: image.filePath,
      source_server_id: image.sourceServerId,
      created_at: image.createdAt.getTime(),
      updated_at: image.updatedAt.getTime(),
    }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst()
    return inserted !== undefined
  }

  async get(id: string): Promise<Image | null> {
    const row = await this.#db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? imageFromRow(row) : null
  }

  async lockById(id: string): Promise<Image | null> {
    // A no-op UPDATE takes the row lock on PostgreSQL (SQLite's write transaction already excludes others).
    const row = await this.#db.updateTable('images').set({ updated_at: sql`updated_at` }).where('id', '=', id)
      .returningAll().executeTakeFirst()
    return row ? imageFromRow(row) : null
  }

  async findPublicByName(name: string): Promise<Image | null> {
    const row = await this.#db.selectFrom('images').selectAll()
      .where('visibility', '=', 'public').where('owner_project_id', 'is', null).where('name', '=', name)
      .orderBy('created_at').orderBy('id').executeTakeFirst()
    return row ? imageFromRow(row) : null
  }

  async list(query: ImageQuery, page: KeysetRequest): Promise<Image[]> {
    let select = this.#db.selectFrom('images').selectAll().where((eb) => this.#visibleTo(eb, query))
    if (query.name !== undefined) select = select.where('name', '=', query.name)
    if (query.status !== undefined) select = select.where('status', '=', query.status)
    if (query.ownerProjectId !== undefined) select = select.where('owner_project_id', '=', query.ownerProjectId)
    for (const tag of query.tags ?? []) select = select.where(this.#hasTag(tag))
    for (const [key, value] of Object.entries(query.properties ?? {})) select = select.where(this.#hasProperty(key, value))
    const after = afterCursor('images', page)
    if (after) select = select.where(after)
    const rows = await select.orderBy('created_at', page.direction).orderBy('id', page.direction)
      .limit(page.fetch).execute()
    return rows.map(imageFromRow)
  }

  async update(id: string, changes: ImageChanges, expected?: readonly ImageStatus[]): Promise<Image | null> {
    let properties: string | undefined
    if (changes.properties !== undefined || changes.sha512 !== undefined) {
      // Both live in one JSON column: read it under the row lock, then write both back.
      const current = await this.lockById(id)
      if (!current) return null
      properties = propertiesColumn(changes.properties ?? current.properties,
        changes.sha512 === undefined ? current.sha512 : changes.sha512)
    }
    let update = this.#db.updateTable('images').set({
      name: changes.name,
      status: changes.status,
      visibility: changes.visibility,
      disk_format: changes.diskFormat,
      container_format: changes.containerFormat,
      min_disk_gb: changes.minDiskGb,
      min_ram_mb: changes.minRamMb,
      size_bytes: changes.sizeBytes,
      virtual_size_bytes: changes.virtualSizeBytes,
      checksum: changes.checksumMd5,
      protected: changes.protected === undefined ? undefined : fromBool(changes.protected),
      os_type: changes.osType,
      properties,
      tags: changes.tags === undefined ? undefined : JSON.stringify(changes.tags),
      file_path: changes.filePath,
      updated_at: changes.updatedAt.getTime(),
    }).where('id', '=', id)
    if (expected) update = update.where('status', 'in', [...expected])
    const row = await update.returningAll().executeTakeFirst()
    return row ? imageFromRow(row) : null
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('images').where('id', '=', id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }

  /** The visibility rules of ImageScope, as one condition. */
  #visibleTo(eb: ImageWhere, query: ImageQuery): Expression<SqlBool> {
    const own = eb('images.owner_project_id', '=', query.projectId)
    const membership = eb.exists(eb.selectFrom('image_members')
      .select(sql`1`.as('one'))
      .whereRef('image_members.image_id', '=', 'images.id')
      .where('image_members.member_project_id', '=', query.projectId)
      .$if(query.memberStatus !== 'all', (members) =>
        members.where('image_members.status', '=', query.memberStatus as ImageMemberStatus)))
    const sharedWithMe = eb.and([eb('images.visibility', '=', 'shared'), membership])
    switch (query.scope) {
      case 'default':
        return eb.or([eb('images.visibility', '=', 'public'), own, sharedWithMe])
      case 'all':
        return eb.or([eb('images.visibility', 'in', ['public', 'community']), own, sharedWithMe])
      case 'public':
      case 'community':
        return eb('images.visibility', '=', query.scope)
      case 'private':
        return eb.and([eb('images.visibility', '=', 'private'), own])
      case 'shared':
        return eb.and([eb('images.visibility', '=', 'shared'), eb.or([own, membership])])
    }
  }

  #hasTag(tag: string): Expression<SqlBool> {
    return this.#postgres
      ? sql<SqlBool>`(images.tags::jsonb @> jsonb_build_array(${tag}::text))`
      : sql<SqlBool>`exists (select 1 from json_each(images.tags) where json_each.value = ${tag})`
  }

  #hasProperty(key: string, value: string): Expression<SqlBool> {
    return this.#postgres
      ? sql<SqlBool>`((images.properties::jsonb ->> ${key}::text) = ${value}::text)`
      : sql<SqlBool>`exists (select 1 from json_each(images.properties) where json_each.key = ${key} and json_each.value = ${value})`
  }
}

function memberFromRow(row: Selectable<ImageMembersTable>): ImageMember {
  return {
    imageId: row.image_id,
    memberProjectId: row.member_project_id,
    status: row.status as ImageMemberStatus,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

class KyselyImageMemberRepository implements ImageMemberRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(member: ImageMember): Promise<boolean> {
    const inserted = await this.#db.insertInto('image_members').values({
      image_id: member.imageId,
      member_project_id: member.memberProjectId,
      status: member.status,
      created_at: member.createdAt.getTime(),
      updated_at: member.updatedAt.getTime(),
    }).onConflict((oc) => oc.columns(['image_id', 'member_project_id']).doNothing()).returning('image_id')
      .executeTakeFirst()
    return inserted !== undefined
  }

  async get(imageId: string, memberProjectId: string): Promise<ImageMember | null> {
    const row = await this.#db.selectFrom('image_members').selectAll()
      .where('image_id', '=', imageId).where('member_project_id', '=', memberProjectId).executeTakeFirst()
    return row ? memberFromRow(row) : null
  }

  async list(imageId: string): Promise<ImageMember[]> {
    const rows = await this.#db.selectFrom('image_members').selectAll().where('image_id', '=', imageId)
      .orderBy('created_at').orderBy('member_project_id').execute()
    return rows.map(memberFromRow)
  }

  async count(imageId: string): Promise<number> {
    const row = await this.#db.selectFrom('image_members').select((eb) => eb.fn.countAll<number>().as('count'))
      .where('image_id', '=', imageId).executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async setStatus(imageId: string, memberProjectId: string, status: ImageMemberStatus, updatedAt: Date): Promise<ImageMember | null> {
    const row = await this.#db.updateTable('image_members').set({ status, updated_at: updatedAt.getTime() })
      .where('image_id', '=', imageId).where('member_project_id', '=', memberProjectId)
      .returningAll().executeTakeFirst()
    return row ? memberFromRow(row) : null
  }

  async delete(imageId: string, memberProjectId: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('image_members')
      .where('image_id', '=', imageId).where('member_project_id', '=', memberProjectId).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}
