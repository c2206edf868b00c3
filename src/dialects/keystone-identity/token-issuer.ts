/**
 * Issuing a token for a token request of either version: a password login or a re-scope of a live
 * token, in the core; and the facts each version's answer needs besides the token.
 */
import type { IssuedToken } from '../../core/projects/auth-context.ts'
import type { Project } from '../../core/projects/project.ts'
import type { CoreServices } from '../shared/context.ts'
import type { TokenRequest } from './views/auth-requests.ts'

export function issueToken(services: CoreServices, request: TokenRequest): Promise<IssuedToken> {
  return request.method === 'password'
    ? services.identity.authenticate({
      username: request.username, userId: request.userId, password: request.password, ...request.scope,
    })
    : services.identity.rescopeToken({ token: request.token, ...request.scope })
}

/** Keystone v3 `methods` of a token issued for this request. */
export function methodsOf(request: TokenRequest): string[] {
  return request.method === 'password' ? ['password'] : ['token', 'password']
}

/** A v2.0 token names its tenant in full (description, enabled), which the token context does not carry. */
export async function issueTokenWithProject(services: CoreServices, request: TokenRequest): Promise<{ issued: IssuedToken; project: Project }> {
  const issued = await issueToken(services, request)
  return { issued, project: await services.projects.getProject(issued.project.id) }
}
