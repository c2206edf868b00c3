/**
 * Users, their password logins and tokens, SCP access keys, and basic auth for the admin API.
 * Every authentication failure is the same 'unauthorized' error (see auth-context.ts), whichever part
 * was wrong.
 */
import { randomBytes } from 'node:crypto'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Store } from '../ports/store.ts'
import { badRequest, conflict, DomainError, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner, type Role } from '../shared/owner.ts'
import type { Page, PageRequest } from '../shared/page.ts'
import {
  assertMasterKey, deriveSecretKey, isWellFormedAccessKey, matchesSecretHash, newAccessKeyId, newSecretSalt,
  secretKeyHash,
} from './access-key-secret.ts'
import { AuthContextCache, type AuthContextCacheOptions } from './auth-context-cache.ts'
import {
  forbidden, unauthorized, type AuthContext, type IssuedToken, type ResolvedAccessKey,
} from './auth-context.ts'
import type { AccessKey, AccessKeyRecord, TokenRecord, TokenSession } from './credentials.ts'
import type { AccessKeyScope } from './identity-repositories.ts'
import { FIRST_PAGE, optionalBoolean, optionalText, requireName } from './identity-validation.ts'
import { keysetRequest } from '../shared/keyset.ts'
import { DEFAULT_SCRYPT_COST, hashPassword, verifyPassword, type ScryptCost } from './password-hash.ts'
import { projectRef, type Project } from './project.ts'
import { randomHex, sha256Hex } from './secure-random.ts'
import { isRole, rolesOf, withoutPasswordHash, type User, type UserPatch, type UserRecord } from './user.ts'

/** NHN Cloud's token lifetime. */
export const DEFAULT_TOKEN_TTL_MS = 12 * 60 * 60 * 1000

const MAX_USER_NAME = 255
const MAX_EMAIL = 255
const MAX_DESCRIPTION = 255
// Keystone's limit; bounds the work one login attempt can cause.
const MAX_PASSWORD = 4096
const TOKEN_PATTERN = /^[0-9a-f]{32}$/

export interface CreateUserInput {
  readonly projectId: string
  readonly name: string
  readonly password: string
  readonly role: Role
  readonly email?: string
}

export interface UpdateUserInput {
  readonly enabled?: boolean
  readonly email?: string | null
  readonly role?: Role
}

export interface AuthenticateInput {
  /** The user by name, or (Keystone v3 and v2.0 `userId`) by id; exactly one of the two. */
  readonly username?: string
  readonly userId?: string
  readonly password: string
  /** Optional scope checks: when given, the user's project must be this one. */
  readonly projectId?: string
  readonly projectName?: string
  readonly appkey?: string
}

/** Keystone's token method: a live token asks for a new one, optionally naming the scope it wants. */
export interface RescopeTokenInput {
  readonly token: string
  readonly projectId?: string
  readonly projectName?: string
}

export interface CreateAccessKeyInput {
  readonly userId: string
  readonly description?: string
  readonly expiresAt?: Date | null
}

/** A new access key with its secret: the only time the secret is handed out. */
export interface CreatedAccessKey extends AccessKey {
  readonly secretKey: string
}

export interface IdentityServiceDeps {
  readonly store: Store
  readonly clock: Clock
  readonly ids?: IdGenerator
  /** Shared with ProjectService by the composition root; by default the service makes its own. */
  readonly authCache?: AuthContextCache
}

export interface IdentityServiceOptions {
  /** Secret (≥ 32 bytes) from which every SCP secret key is derived; kept outside the database. */
  readonly accessKeyMasterKey: Buffer
  /** Default 12 h. */
  readonly tokenTtlMs?: number
  readonly passwordHashCost?: ScryptCost
  /** For the cache the service makes when deps.authCache is absent. */
  readonly tokenCache?: AuthContextCacheOptions
}

interface VerifiedLogin {
  readonly user: UserRecord
  readonly project: Project
}

export class IdentityService {
  readonly #store: Store
  readonly #clock: Clock
  readonly #ids: IdGenerator | undefined
  readonly #cache: AuthContextCache
  readonly #masterKey: Buffer
  readonly #tokenTtlMs: number
  readonly #hashCost: ScryptCost
  #dummyHash: Promise<string> | undefined

  constructor(deps: IdentityServiceDeps, options: IdentityServiceOptions) {
    assertMasterKey(options.accessKeyMasterKey)
    const tokenTtlMs = options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS
    if (!Number.isSafeInteger(tokenTtlMs) || tokenTtlMs <= 0) throw new RangeError('tokenTtlMs must be a positive integer')
    this.#store = deps.store
    this.#clock = deps.clock
    this.#ids = deps.ids
    this.#cache = deps.authCache ?? new AuthContextCache(deps.clock, options.tokenCache)
    this.#masterKey = Buffer.from(options.accessKeyMasterKey)
    this.#tokenTtlMs = tokenTtlMs
    this.#hashCost = options.passwordHashCost ?? DEFAULT_SCRYPT_COST
  }

  // ---- users

  async createUser(input: CreateUserInput): Promise<User> {
    const name = requireName(input.name, 'name', MAX_USER_NAME)
    if (!isRole(input.role)) throw badRequest('role must be one of admin, member, reader', 'role')
    const email = optionalText(input.email, 'email', MAX_EMAIL) ?? null
    const passwordHash = await hashPassword(requirePassword(input.password), this.#hashCost)
    const now = this.#clock.now()
    const record: UserRecord = {
      id: this.#ids?.hex(32) ?? randomHex(16),
      projectId: input.projectId,
      name,
      email,
      role: input.role,
      enabled: true,
      passwordHash,
      passwordChangedAt: now,
      createdAt: now,
    }
    return this.#store.transaction(async (tx) => {
      if (!(await tx.projects.findById(input.projectId))) throw notFound('project', input.projectId)
      if (!(await tx.users.insert(record))) throw conflict('user', `A user named ${name} already exists.`)
      return withoutPasswordHash(record)
    })
  }

  async getUser(id: string): Promise<User> {
    const record = await this.#store.users.findById(id)
    if (!record) throw notFound('user', id)
    return withoutPasswordHash(record)
  }

  async getUserByName(name: string): Promise<User> {
    const record = await this.#store.users.findByName(name)
    if (!record) throw notFound('user', name)
    return withoutPasswordHash(record)
  }

  async listUsers(projectId: string, page: PageRequest = FIRST_PAGE): Promise<Page<User>> {
    const request = await keysetRequest(page, async (id) => {
      const marker = await this.#store.users.findById(id)
      return marker?.projectId === projectId ? marker : null
    })
    return this.#store.users.listByProject(projectId, request)
  }

  /** Disabling a user revokes its tokens, as Keystone does, so re-enabling does not revive them. */
  async updateUser(userId: string, input: UpdateUserInput): Promise<User> {
    if (input.role !== undefined && !isRole(input.role)) throw badRequest('role must be one of admin, member, reader', 'role')
    const patch: UserPatch = {
      enabled: optionalBoolean(input.enabled, 'enabled'),
      email: input.email === null ? null : optionalText(input.email, 'email', MAX_EMAIL),
      role: input.role,
    }
    try {
      return await this.#store.transaction(async (tx) => {
        const updated = await tx.users.update(userId, patch)
        if (!updated) throw notFound('user', userId)
        if (patch.enabled === false) await tx.tokens.deleteByUser(userId)
        return withoutPasswordHash(updated)
      })
    } finally {
      this.#cache.forgetUser(userId)
    }
  }

  /** Sets a new password and revokes every token of the user. */
  async changePassword(userId: string, newPassword: string): Promise<void> {
    const passwordHash = await hashPassword(requirePassword(newPassword), this.#hashCost)
    try {
      await this.#store.transaction(async (tx) => {
        const updated = await tx.users.update(userId, { passwordHash, passwordChangedAt: this.#clock.now() })
        if (!updated) throw notFound('user', userId)
        await tx.tokens.deleteByUser(userId)
      })
    } finally {
      this.#cache.forgetUser(userId)
    }
  }

  // ---- tokens

  async authenticate(input: AuthenticateInput): Promise<IssuedToken> {
    const { user, project } = await this.#verifyLogin(loginOf(input), input.password)
    if (input.projectId !== undefined && input.projectId !== project.id) throw unauthorized()
    if (input.projectName !== undefined && input.projectName !== project.name) throw unauthorized()
    if (input.appkey !== undefined && input.appkey !== project.appkey) throw unauthorized()
    const issuedAt = this.#clock.now()
    return this.#issueToken(user, project, issuedAt, new Date(issuedAt.getTime() + this.#tokenTtlMs))
  }

  /**
   * A new token from a live one, without the password (Keystone's token method). Users have a role in
   * their own project only, so that is the only scope there is; the new token expires when the old one
   * does, as Keystone's re-scoped tokens do, so chaining re-scopes never extends a login.
   */
  async rescopeToken(input: RescopeTokenInput): Promise<IssuedToken> {
    if (typeof input.token !== 'string' || !TOKEN_PATTERN.test(input.token)) throw unauthorized()
    const session = await this.#store.tokens.findSession(sha256Hex(input.token))
    if (!session || !this.#isLive(session)) throw unauthorized()
    const { project } = session
    if (input.projectId !== undefined && input.projectId !== project.id) throw unauthorized()
    if (input.projectName !== undefined && input.projectName !== project.name) throw unauthorized()
    // The hash read now is the one the new token is bound to: a password change after the old token was
    // issued revokes it here, and one racing this call makes the conditional insert fail.
    const user = await this.#store.users.findById(session.user.id)
    if (!user || session.token.issuedAt.getTime() < user.passwordChangedAt.getTime()) throw unauthorized()
    return this.#issueToken(user, project, this.#clock.now(), session.token.expiresAt)
  }

  /** The per-request check; see auth-context-cache.ts for what the cache trades for speed. */
  async validateToken(token: string): Promise<AuthContext> {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw unauthorized()
    const idHash = sha256Hex(token)
    const cached = this.#cache.get(idHash)
    if (cached) return cached
    const session = await this.#store.tokens.findSession(idHash)
    if (!session || !this.#isLive(session)) throw unauthorized()
    const context = authContext(session.user, session.project, session.token)
    this.#cache.set(idHash, context)
    return context
  }

  async revokeToken(token: string): Promise<void> {
    const idHash = typeof token === 'string' && TOKEN_PATTERN.test(token) ? sha256Hex(token) : null
    const deleted = idHash !== null && (await this.#store.transaction((tx) => tx.tokens.deleteByHash(idHash)))
    if (idHash !== null) this.#cache.forgetToken(idHash)
    if (!deleted) throw new DomainError('not_found', 'Token could not be found.', { resource: 'token' })
  }

  /** Housekeeping: deletes expired tokens; returns how many. */
  async purgeExpiredTokens(): Promise<number> {
    return this.#store.transaction((tx) => tx.tokens.deleteExpired(this.#clock.now()))
  }

  /**
   * HTTP basic auth for the Gureum admin API: a valid login of an admin-role user. Each request is its
   * own authentication, so the context is issued and expires now, with a fresh audit id.
   */
  async authenticateAdminBasic(username: string, password: string): Promise<AuthContext> {
    const { user, project } = await this.#verifyLogin(loginOf({ username }), password)
    if (user.role !== 'admin') throw forbidden('The admin API requires a user with the admin role.')
    const now = this.#clock.now()
    return authContext(user, project, { issuedAt: now, expiresAt: now, auditId: newAuditId() })
  }

  // ---- SCP access keys

  async createAccessKey(input: CreateAccessKeyInput): Promise<CreatedAccessKey> {
    const description = optionalText(input.description, 'description', MAX_DESCRIPTION) ?? ''
    const now = this.#clock.now()
    const expiresAt = input.expiresAt ?? null
    if (expiresAt !== null && (!(expiresAt instanceof Date) || !(expiresAt.getTime() > now.getTime()))) {
      throw badRequest('expiresAt must be a time in the future', 'expiresAt')
    }
    const accessKey = newAccessKeyId()
    const secretSalt = newSecretSalt()
    const secretKey = deriveSecretKey(this.#masterKey, accessKey, secretSalt)
    return this.#store.transaction(async (tx) => {
      const user = await tx.users.findById(input.userId)
      if (!user) throw notFound('user', input.userId)
      const record: AccessKeyRecord = {
        accessKey, projectId: user.projectId, userId: user.id, description, enabled: true, expiresAt, createdAt: now,
        secretSalt, secretHash: secretKeyHash(secretKey),
      }
      await tx.accessKeys.insert(record)
      return { ...accessKeyView(record), secretKey }
    })
  }

  /**
   * The per-request check of SCP signature auth: re-derives the secret and proves it is the one issued
   * (a different master key, or a tampered row, fails here rather than yielding a wrong secret).
   */
  async resolveAccessKey(accessKey: string): Promise<ResolvedAccessKey> {
    if (typeof accessKey !== 'string' || !isWellFormedAccessKey(accessKey)) throw unauthorized()
    const session = await this.#store.accessKeys.findSession(accessKey)
    if (!session) throw unauthorized()
    const { key, user, project } = session
    const secretKey = deriveSecretKey(this.#masterKey, key.accessKey, key.secretSalt)
    if (!matchesSecretHash(secretKey, key.secretHash)) throw unauthorized()
    const expired = key.expiresAt !== null && this.#clock.nowMs() >= key.expiresAt.getTime()
    if (!key.enabled || expired || !user.enabled || !project.enabled) throw unauthorized()
    return {
      accessKey: key.accessKey,
      secretKey,
      owner: { projectId: project.id, userId: user.id, roles: rolesOf(user) },
      project: projectRef(project),
    }
  }

  async listAccessKeys(userId: string, page: PageRequest = FIRST_PAGE): Promise<Page<AccessKey>> {
    const request = await keysetRequest(page, async (id) => {
      const marker = await this.#store.accessKeys.findById(id)
      return marker?.userId === userId ? { createdAt: marker.createdAt, id: marker.accessKey } : null
    })
    return this.#store.accessKeys.listByUser(userId, request)
  }

  /** A project admin may delete any key of its project; other users only their own. */
  async deleteAccessKey(owner: Owner, accessKey: string): Promise<void> {
    const deleted = await this.#store.transaction((tx) => tx.accessKeys.delete(accessKeyScope(owner), accessKey))
    if (!deleted) throw notFound('access_key', accessKey, 'access key')
  }

  async setAccessKeyEnabled(owner: Owner, accessKey: string, enabled: boolean): Promise<void> {
    const changed = await this.#store.transaction((tx) => tx.accessKeys.setEnabled(accessKeyScope(owner), accessKey, enabled))
    if (!changed) throw notFound('access_key', accessKey, 'access key')
  }

  async disableAccessKey(owner: Owner, accessKey: string): Promise<void> {
    await this.setAccessKeyEnabled(owner, accessKey, false)
  }

  // ---- internals

  async #issueToken(user: UserRecord, project: Project, issuedAt: Date, expiresAt: Date): Promise<IssuedToken> {
    const token = randomHex(16)
    const record: TokenRecord = {
      idHash: sha256Hex(token),
      userId: user.id,
      projectId: project.id,
      auditId: newAuditId(),
      issuedAt,
      expiresAt,
    }
    const issued = await this.#store.transaction((tx) => tx.tokens.issue(record, user.passwordHash))
    if (!issued) throw unauthorized()
    return { token, ...authContext(user, project, record) }
  }

  /**
   * Checks a user (by name or id) and password. An unknown user is checked against a dummy hash, so that
   * the answer takes the same scrypt work whether or not the user exists.
   */
  async #verifyLogin(login: Login | null, password: string): Promise<VerifiedLogin> {
    if (login === null || typeof password !== 'string' || password.length > MAX_PASSWORD) {
      throw unauthorized()
    }
    const user = login.value === ''
      ? null
      : await (login.by === 'name' ? this.#store.users.findByName(login.value) : this.#store.users.findById(login.value))
    const passwordMatches = await verifyPassword(password, user?.passwordHash ?? (await this.#dummyPasswordHash()))
    if (!user || !passwordMatches || !user.enabled) throw unauthorized()
    const project = await this.#store.projects.findById(user.projectId)
    if (!project || !project.enabled) throw unauthorized()
    return { user, project }
  }

  #dummyPasswordHash(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomHex(16), this.#hashCost)
    return this.#dummyHash
  }

  #isLive({ token, user, project }: TokenSession): boolean {
    return this.#clock.nowMs() < token.expiresAt.getTime()
      && user.enabled
      && project.enabled
      && token.issuedAt.getTime() >= user.passwordChangedAt.getTime()
  }
}

interface Login {
  readonly by: 'name' | 'id'
  readonly value: string
}

/** Which user a login names; null (a failed login) unless exactly one of name and id is a string. */
function loginOf(input: { readonly username?: unknown; readonly userId?: unknown }): Login | null {
  const { username, userId } = input
  if (typeof username === 'string' && userId === undefined) return { by: 'name', value: username }
  if (typeof userId === 'string' && username === undefined) return { by: 'id', value: userId }
  return null
}

function requirePassword(password: unknown): string {
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD) {
    throw badRequest(`password must be a string of 1 to ${MAX_PASSWORD} characters`, 'password')
  }
  return password
}

/** Keystone's audit id form: 16 random bytes, URL-safe base64 (22 characters). */
function newAuditId(): string {
  return randomBytes(16).toString('base64url')
}

function authContext(
  user: User,
  project: Project,
  token: Pick<TokenRecord, 'issuedAt' | 'expiresAt' | 'auditId'>,
): AuthContext {
  const roles = rolesOf(user)
  return {
    owner: { projectId: project.id, userId: user.id, roles },
    user: { id: user.id, name: user.name, roles },
    project: projectRef(project),
    issuedAt: token.issuedAt,
    expiresAt: token.expiresAt,
    auditId: token.auditId,
  }
}

function accessKeyScope(owner: Owner): AccessKeyScope {
  return { projectId: owner.projectId, userId: isAdmin(owner) ? null : owner.userId }
}

function accessKeyView(record: AccessKeyRecord): AccessKey {
  const { secretSalt: _salt, secretHash: _hash, ...key } = record
  return key
}
