/**
 * Kysely repositories of projects, users, tokens and SCP access keys. Rows convert to core types
 * explicitly: times are epoch-ms numbers, booleans 0/1.
 */
import type { Selectable } from 'kysely'
import type {
  AccessKey, AccessKeyRecord, AccessKeySession, TokenRecord, TokenSession,
} from '../../core/projects/credentials.ts'
import type {
  AccessKeyRepository, AccessKeyScope, IdentityRepositories, KeysetRequest, ProjectRepository, TokenRepository,
  UserRepository,
} from '../../core/projects/identity-repositories.ts'
import type { Project, ProjectPatch } from '../../core/projects/project.ts'
import type { User, UserPatch, UserRecord } from '../../core/projects/user.ts'
import type { Role } from '../../core/shared/owner.ts'
import type { Page } from '../../core/shared/page.ts'
import type { AccessKeysTable, ProjectsTable, TokensTable, UsersTable } from '../schema.ts'
import type { Executor } from '../store.ts'

type ProjectRow = Selectable<ProjectsTable>
type UserRow = Selectable<UsersTable>
type TokenRow = Selectable<TokensTable>
type AccessKeyRow = Selectable<AccessKeysTable>

const bool = (value: boolean): number => (value ? 1 : 0)

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    domainId: row.domain_id,
    appkey: row.appkey,
    enabled: row.enabled !== 0,
    strictNhn: row.strict_nhn !== 0,
    autoConfirmResizeSeconds: row.auto_confirm_resize_seconds,
    createdAt: new Date(Number(row.created_at)),
  }
}

function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    email: row.email,
    role: row.role as Role,
    enabled: row.enabled !== 0,
    passwordHash: row.password_hash,
    passwordChangedAt: new Date(Number(row.password_changed_at)),
    createdAt: new Date(Number(row.created_at)),
  }
}

function toUser(row: Omit<UserRow, 'password_hash'>): User {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    email: row.email,
    role: row.role as Role,
    enabled: row.enabled !== 0,
    passwordChangedAt: new Date(Number(row.password_changed_at)),
    createdAt: new Date(Number(row.created_at)),
  }
}

function toToken(row: TokenRow): TokenRecord {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    projectId: row.project_id,
    auditId: row.audit_id,
    issuedAt: new Date(Number(row.issued_at)),
    expiresAt: new Date(Number(row.expires_at)),
  }
}

function toAccessKey(row: Omit<AccessKeyRow, 'secret_salt' | 'secret_hash'>): AccessKey {
  return {
    accessKey: row.id,
    projectId: row.project_id,
    userId: row.user_id,
    description: row.description,
    enabled: row.enabled !== 0,
    expiresAt: row.expires_at === null ? null : new Date(Number(row.expires_at)),
    createdAt: new Date(Number(row.created_at)),
  }
}

function toAccessKeyRecord(row: AccessKeyRow): AccessKeyRecord {
  return { ...toAccessKey(row), secretSalt: row.secret_salt, secretHash: row.secret_hash }
}

/** Reads `limit + 1` rows to learn whether another page follows without counting. */
function toPage<Row, Item>(rows: Row[], limit: number, convert: (row: Row) => Item): Page<Item> {
  return { items: rows.slice(0, limit).map(convert), hasMore: rows.length > limit }
}

// Column lists for the per-request joins: each table's columns under a prefix, renamed back before
// conversion so that the converters above stay the only mapping from rows to core types.
const USER_COLUMNS = ['id', 'project_id', 'name', 'email', 'role', 'enabled', 'password_changed_at', 'created_at'] as const
const PROJECT_COLUMNS = [
  'id', 'name', 'description', 'domain_id', 'appkey', 'enabled', 'strict_nhn', 'auto_confirm_resize_seconds', 'created_at',
] as const

const userSelection = USER_COLUMNS.map((column) => `users.${column} as u_${column}` as const)
const projectSelection = PROJECT_COLUMNS.map((column) => `projects.${column} as p_${column}` as const)

function unprefix<T>(row: Record<string, unknown>, prefix: string, columns: readonly string[]): T {
  return Object.fromEntries(columns.map((column) => [column, row[`${prefix}${column}`]])) as T
}

function sessionUser(row: Record<string, unknown>): User {
  return toUser(unprefix<Omit<UserRow, 'password_hash'>>(row, 'u_', USER_COLUMNS))
}

function sessionProject(row: Record<string, unknown>): Project {
  return toProject(unprefix<ProjectRow>(row, 'p_', PROJECT_COLUMNS))
}

class KyselyProjectRepository implements ProjectRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(project: Project): Promise<boolean> {
    const inserted = await this.#db.insertInto('projects')
      .values({
        id: project.id,
        name: project.name,
        description: project.description,
        domain_id: project.domainId,
        appkey: project.appkey,
        enabled: bool(project.enabled),
        strict_nhn: bool(project.strictNhn),
        auto_confirm_resize_seconds: project.autoConfirmResizeSeconds,
        created_at: project.createdAt.getTime(),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst()
    return inserted !== undefined
  }

  async findById(id: string): Promise<Project | null> {
    const row = await this.#db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toProject(row) : null
  }

  async findByAppkey(appkey: string): Promise<Project | null> {
    const row = await this.#db.selectFrom('projects').selectAll().where('appkey', '=', appkey).executeTakeFirst()
    return row ? toProject(row) : null
  }

  async findByName(name: string): Promise<Project | null> {
    const row = await this.#db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst()
    return row ? toProject(row) : null
  }

  async list({ limit, after }: KeysetRequest): Promise<Page<Project>> {
    let query = this.#db.selectFrom('projects').selectAll()
    if (after) {
      query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt.getTime(), after.id)))
    }
    const rows = await query.orderBy('created_at').orderBy('id').limit(limit + 1).execute()
    return toPage(rows, limit, toProject)
  }

  async update(id: string, patch: ProjectPatch): Promise<Project | null> {
    const values = {
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.enabled !== undefined && { enabled: bool(patch.enabled) }),
      ...(patch.strictNhn !== undefined && { strict_nhn: bool(patch.strictNhn) }),
      ...(patch.autoConfirmResizeSeconds !== undefined && { auto_confirm_resize_seconds: patch.autoConfirmResizeSeconds }),
    }
    if (Object.keys(values).length === 0) return this.findById(id)
    const row = await this.#db.updateTable('projects').set(values).where('id', '=', id).returningAll().executeTakeFirst()
    return row ? toProject(row) : null
  }
}

class KyselyUserRepository implements UserRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(user: UserRecord): Promise<boolean> {
    const inserted = await this.#db.insertInto('users')
      .values({
        id: user.id,
        project_id: user.projectId,
        name: user.name,
        email: user.email,
        password_hash: user.passwordHash,
        role: user.role,
        enabled: bool(user.enabled),
        password_changed_at: user.passwordChangedAt.getTime(),
        created_at: user.createdAt.getTime(),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst()
    return inserted !== undefined
  }

  async findById(id: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toUserRecord(row) : null
  }

  async findByName(name: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst()
    return row ? toUserRecord(row) : null
  }

  async listByProject(projectId: string, { limit, after }: KeysetRequest): Promise<Page<User>> {
    let query = this.#db.selectFrom('users').select(USER_COLUMNS).where('project_id', '=', projectId)
    if (after) {
      query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt.getTime(), after.id)))
    }
    const rows = await query.orderBy('created_at').orderBy('id').limit(limit + 1).execute()
    return toPage(rows, limit, toUser)
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord | null> {
    const values = {
      ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
      ...(patch.passwordChangedAt !== undefined && { password_changed_at: patch.passwordChangedAt.getTime() }),
      ...(patch.enabled !== undefined && { enabled: bool(patch.enabled) }),
      ...(patch.email !== undefined && { email: patch.email }),
      ...(patch.role !== undefined && { role: patch.role }),
    }
    if (Object.keys(values).length === 0) return this.findById(id)
    const row = await this.#db.updateTable('users').set(values).where('id', '=', id).returningAll().executeTakeFirst()
    return row ? toUserRecord(row) : null
  }
}

class KyselyTokenRepository implements TokenRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async issue(token: TokenRecord, verifiedPasswordHash: string): Promise<boolean> {
    // INSERT … SELECT from the user row: the conditions and the insert are one statement, so a password
    // change or a disable committed after the caller's check leaves no token behind.
    const result = await this.#db.insertInto('tokens')
      .columns(['id_hash', 'user_id', 'project_id', 'audit_id', 'issued_at', 'expires_at'])
      .expression((eb) => eb.selectFrom('users')
        .innerJoin('projects', 'projects.id', 'users.project_id')
        .select([
          eb.cast<string>(eb.val(token.idHash), 'text').as('id_hash'),
          'users.id as user_id',
          'projects.id as project_id',
          eb.cast<string>(eb.val(token.auditId), 'text').as('audit_id'),
          eb.cast<number>(eb.val(token.issuedAt.getTime()), 'bigint').as('issued_at'),
          eb.cast<number>(eb.val(token.expiresAt.getTime()), 'bigint').as('expires_at'),
        ])
        .where('users.id', '=', token.userId)
        .where('projects.id', '=', token.projectId)
        .where('users.password_hash', '=', verifiedPasswordHash)
        .where('users.enabled', '=', 1)
        .where('projects.enabled', '=', 1))
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1
  }

  async findByHash(idHash: string): Promise<TokenRecord | null> {
    const row = await this.#db.selectFrom('tokens').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
    return row ? toToken(row) : null
  }

  async findSession(idHash: string): Promise<TokenSession | null> {
    const row = await this.#db.selectFrom('tokens')
      .innerJoin('users', 'users.id', 'tokens.user_id')
      .innerJoin('projects', 'projects.id', 'tokens.project_id')
      .selectAll('tokens')
      .select(userSelection)
      .select(projectSelection)
      .where('tokens.id_hash', '=', idHash)
      .executeTakeFirst()
    if (!row) return null
    return { token: toToken(row), user: sessionUser(row), project: sessionProject(row) }
  }

  async deleteByHash(idHash: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('tokens').where('id_hash', '=', idHash).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async deleteByUser(userId: string): Promise<number> {
    const result = await this.#db.deleteFrom('tokens').where('user_id', '=', userId).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.#db.deleteFrom('tokens').where('expires_at', '<=', now.getTime()).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}

const ACCESS_KEY_COLUMNS = ['id', 'project_id', 'user_id', 'description', 'enabled', 'expires_at', 'created_at'] as const

class KyselyAccessKeyRepository implements AccessKeyRepository {
  readonly #db: Executor
  constructor(db: Executor) {
    this.#db = db
  }

  async insert(key: AccessKeyRecord): Promise<void> {
    await this.#db.insertInto('access_keys')
      .values({
        id: key.accessKey,
        project_id: key.projectId,
        user_id: key.userId,
        secret_salt: key.secretSalt,
        secret_hash: key.secretHash,
        description: key.description,
        enabled: bool(key.enabled),
        expires_at: key.expiresAt === null ? null : key.expiresAt.getTime(),
        created_at: key.createdAt.getTime(),
      })
      .execute()
  }

  async findById(accessKey: string): Promise<AccessKey | null> {
    const row = await this.#db.selectFrom('access_keys').select(ACCESS_KEY_COLUMNS).where('id', '=', accessKey)
      .executeTakeFirst()
    return row ? toAccessKey(row) : null
  }

  async findSession(accessKey: string): Promise<AccessKeySession | null> {
    const row = await this.#db.selectFrom('access_keys')
      .innerJoin('users', 'users.id', 'access_keys.user_id')
      .innerJoin('projects', 'projects.id', 'access_keys.project_id')
      .selectAll('access_keys')
      .select(userSelection)
      .select(projectSelection)
      .where('access_keys.id', '=', accessKey)
      .executeTakeFirst()
    if (!row) return null
    return { key: toAccessKeyRecord(row), user: sessionUser(row), project: sessionProject(row) }
  }

  async listByUser(userId: string, { limit, after }: KeysetRequest): Promise<Page<AccessKey>> {
    let query = this.#db.selectFrom('access_keys').select(ACCESS_KEY_COLUMNS).where('user_id', '=', userId)
    if (after) {
      query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt.getTime(), after.id)))
    }
    const rows = await query.orderBy('created_at').orderBy('id').limit(limit + 1).execute()
    return toPage(rows, limit, toAccessKey)
  }

  async delete(scope: AccessKeyScope, accessKey: string): Promise<boolean> {
    let query = this.#db.deleteFrom('access_keys').where('id', '=', accessKey).where('project_id', '=', scope.projectId)
    if (scope.userId !== null) query = query.where('user_id', '=', scope.userId)
    const result = await query.executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async setEnabled(scope: AccessKeyScope, accessKey: string, enabled: boolean): Promise<boolean> {
    let query = this.#db.updateTable('access_keys').set({ enabled: bool(enabled) })
      .where('id', '=', accessKey).where('project_id', '=', scope.projectId)
    if (scope.userId !== null) query = query.where('user_id', '=', scope.userId)
    const result = await query.executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }
}

export function createIdentityRepositories(db: Executor): IdentityRepositories {
  return {
    projects: new KyselyProjectRepository(db),
    users: new KyselyUserRepository(db),
    tokens: new KyselyTokenRepository(db),
    accessKeys: new KyselyAccessKeyRepository(db),
  }
}
