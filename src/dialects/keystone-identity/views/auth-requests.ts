/**
 * Token requests of both Keystone versions, read into one neutral request. The schemas have checked the
 * types; this checks which members must be there together, with Keystone's 400 messages, and the
 * choices Keystone makes when a request names something twice (a name wins over an id, as in Keystone).
 * Empty strings count as absent, as Keystone's truthiness tests treat them.
 */
import { unauthorized } from '../../../core/projects/auth-context.ts'
import { DEFAULT_DOMAIN_ID } from '../../../core/projects/project.ts'
import { expectingToFind, unsupportedAuthMethod } from '../errors.ts'
import type { DomainSelector } from '../schemas/common.ts'
import type { V2AuthRequest } from '../schemas/v2.ts'
import type { V3AuthRequest } from '../schemas/v3.ts'
import { DEFAULT_DOMAIN_NAME } from './domains.ts'

/** The project a token is asked for; empty = the user's own project (Gureum users have one). */
export interface ProjectScope {
  readonly projectId?: string
  readonly projectName?: string
}

export type TokenRequest =
  | {
    readonly method: 'password'
    readonly username?: string
    readonly userId?: string
    readonly password: string
    readonly scope: ProjectScope
  }
  | { readonly method: 'token'; readonly token: string; readonly scope: ProjectScope }

const given = (value: string | undefined): value is string => value !== undefined && value !== ''

export function v2TokenRequest({ auth }: V2AuthRequest): TokenRequest {
  const scope: ProjectScope = given(auth.tenantName) ? { projectName: auth.tenantName }
    : given(auth.tenantId) ? { projectId: auth.tenantId }
    : {}
  if (auth.token !== undefined) {
    if (!given(auth.token.id)) throw expectingToFind('id', 'token')
    return { method: 'token', token: auth.token.id, scope }
  }
  const credentials = auth.passwordCredentials
  if (credentials === undefined) throw expectingToFind('passwordCredentials', 'auth')
  if (credentials.password === undefined) throw expectingToFind('password', 'passwordCredentials')
  const user = given(credentials.username) ? { username: credentials.username }
    : given(credentials.userId) ? { userId: credentials.userId }
    : null
  if (user === null) throw expectingToFind('username or userId', 'passwordCredentials')
  return { method: 'password', ...user, password: credentials.password, scope }
}

const SUPPORTED_METHODS: ReadonlySet<string> = new Set(['password', 'token'])

export function v3TokenRequest({ auth }: V3AuthRequest): TokenRequest {
  const { identity } = auth
  if (identity.methods.length === 0) throw expectingToFind('methods', 'identity')
  if (!identity.methods.every((method) => SUPPORTED_METHODS.has(method))) throw unsupportedAuthMethod()
  for (const method of identity.methods) {
    if (identity[method as 'password' | 'token'] === undefined) throw expectingToFind(method, 'identity')
  }
  const scope = v3Scope(auth.scope)
  // With both methods listed, the password decides: it proves at least as much as the token.
  if (identity.password !== undefined && identity.methods.includes('password')) {
    const { user } = identity.password
    if (user === undefined) throw expectingToFind('user', 'password')
    if (!given(user.id) && !given(user.name)) throw expectingToFind('id or name', 'user')
    if (user.password === undefined) throw expectingToFind('password', 'user')
    if (given(user.name)) {
      if (user.domain === undefined) throw expectingToFind('domain', 'user')
      requireDefaultDomain(user.domain)
      return { method: 'password', username: user.name, password: user.password, scope }
    }
    return { method: 'password', userId: user.id, password: user.password, scope }
  }
  const token = identity.token
  if (token === undefined || !given(token.id)) throw expectingToFind('id', 'token')
  return { method: 'token', token: token.id, scope }
}

type V3Scope = V3AuthRequest['auth']['scope']

const SCOPE_KINDS = ['project', 'domain', 'OS-TRUST:trust', 'system'] as const

function v3Scope(scope: V3Scope): ProjectScope {
  if (scope === undefined || scope === 'unscoped') return {}
  if (typeof scope === 'string') throw expectingToFind('project, domain, OS-TRUST:trust or system', 'scope')
  const kinds = SCOPE_KINDS.filter((kind) => scope[kind] !== undefined)
  if (kinds.length !== 1) throw expectingToFind('project, domain, OS-TRUST:trust or system', 'scope')
  // Users hold roles on their project only: no domain or system role assignments, no trusts.
  const project = scope.project
  if (project === undefined) throw unauthorized()
  if (given(project.name)) {
    if (project.domain === undefined) throw expectingToFind('domain', 'project')
    requireDefaultDomain(project.domain)
    return { projectName: project.name }
  }
  if (!given(project.id)) throw expectingToFind('id or name', 'project')
  return { projectId: project.id }
}

/**
 * Gureum has Keystone's default domain only: id `default`, name `Default` (the name compared without
 * case, as Keystone on MySQL does). Another domain does not exist, which Keystone answers with 401.
 */
function requireDefaultDomain(domain: DomainSelector): void {
  if (given(domain.name)) {
    if (domain.name.toLowerCase() !== DEFAULT_DOMAIN_NAME.toLowerCase()) throw unauthorized()
    return
  }
  if (!given(domain.id)) throw expectingToFind('id or name', 'domain')
  if (domain.id !== DEFAULT_DOMAIN_ID) throw unauthorized()
}
