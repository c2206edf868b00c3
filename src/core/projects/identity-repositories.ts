/**
 * Store ports of the identity area. Lists are keyset pages ordered by (createdAt, id): the service
 * resolves a marker id to its cursor (so an unknown marker is a bad request) and the repository
 * continues strictly after it.
 */
import type { Page } from '../shared/page.ts'
import type { Project, ProjectPatch } from './project.ts'
import type { User, UserPatch, UserRecord } from './user.ts'
import type { AccessKey, AccessKeyRecord, AccessKeySession, TokenRecord, TokenSession } from './credentials.ts'

import type { KeysetRequest } from '../shared/keyset.ts'
export type { KeysetRequest } from '../shared/keyset.ts'

/** Which access keys a caller may change: its project's, and only its own unless `userId` is null. */
export interface AccessKeyScope {
  readonly projectId: string
  readonly userId: string | null
}

export interface ProjectRepository {
  /** False when the name is already taken (atomic insert-if-absent). */
  insert(project: Project): Promise<boolean>
  findById(id: string): Promise<Project | null>
  findByAppkey(appkey: string): Promise<Project | null>
  findByName(name: string): Promise<Project | null>
  list(request: KeysetRequest): Promise<Page<Project>>
  /** Null when no project has this id. */
  update(id: string, patch: ProjectPatch): Promise<Project | null>
}

export interface UserRepository {
  /** False when the name is already taken (atomic insert-if-absent). */
  insert(user: UserRecord): Promise<boolean>
  findById(id: string): Promise<UserRecord | null>
  findByName(name: string): Promise<UserRecord | null>
  listByProject(projectId: string, request: KeysetRequest): Promise<Page<User>>
  /** Null when no user has this id. */
  update(id: string, patch: UserPatch): Promise<UserRecord | null>
}

export interface TokenRepository {
  /**
   * Stores the token only if its user is still enabled, in an enabled project, with the password hash
   * the caller verified: a password change racing a login cannot leave a token for the old password.
   */
  issue(token: TokenRecord, verifiedPasswordHash: string): Promise<boolean>
  findByHash(idHash: string): Promise<TokenRecord | null>
  /** The token, its user and its project in one indexed lookup (the per-request path). */
  findSession(idHash: string): Promise<TokenSession | null>
  deleteByHash(idHash: string): Promise<boolean>
  deleteByUser(userId: string): Promise<number>
  /** Removes tokens whose expiry is at or before `now`; returns how many. */
  deleteExpired(now: Date): Promise<number>
}

export interface AccessKeyRepository {
  insert(key: AccessKeyRecord): Promise<void>
  findById(accessKey: string): Promise<AccessKey | null>
  /** The key, its user and its project in one indexed lookup (the per-request path). */
  findSession(accessKey: string): Promise<AccessKeySession | null>
  listByUser(userId: string, request: KeysetRequest): Promise<Page<AccessKey>>
  /** False when no key in scope has this id. */
  delete(scope: AccessKeyScope, accessKey: string): Promise<boolean>
  /** False when no key in scope has this id. */
  setEnabled(scope: AccessKeyScope, accessKey: string, enabled: boolean): Promise<boolean>
}

export interface IdentityRepositories {
  readonly projects: ProjectRepository
  readonly users: UserRepository
  readonly tokens: TokenRepository
  readonly accessKeys: AccessKeyRepository
}
