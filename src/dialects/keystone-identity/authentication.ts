/**
 * Who is asking, and about which token. The caller's token comes in X-Auth-Token and is checked before
 * anything else (401 in Keystone's body); the token asked about (X-Subject-Token, or the v2.0 path) is
 * "not found" when it is not a live token, whatever the reason.
 */
import type { FastifyRequest } from 'fastify'
import { unauthorized, type AuthContext } from '../../core/projects/auth-context.ts'
import type { IdentityService } from '../../core/projects/identity-service.ts'
import { isDomainError } from '../../core/shared/errors.ts'
import { tokenNotFound } from './errors.ts'

/** An onRequest hook: the request's X-Auth-Token must be a live token. */
export function tokenAuthentication(identity: IdentityService) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = request.headers['x-auth-token']
    if (typeof token !== 'string' || token === '') throw unauthorized()
    const context = await identity.validateToken(token)
    request.auth = { ...context, owner: { ...context.owner, requestId: request.id } }
  }
}

/** The authenticated caller of a route behind tokenAuthentication. */
export function callerOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new Error('route registered without tokenAuthentication')
  return request.auth
}

/** The live token `token` names; not_found (Keystone's 404) for anything else. */
export async function subjectToken(identity: IdentityService, token: unknown): Promise<AuthContext> {
  if (typeof token !== 'string' || token === '') throw tokenNotFound()
  try {
    return await identity.validateToken(token)
  } catch (error) {
    if (isDomainError(error) && error.kind === 'unauthorized') throw tokenNotFound()
    throw error
  }
}

/** The X-Subject-Token header of a request (absent: an empty string, which no token is). */
export function subjectTokenHeader(request: FastifyRequest): string {
  const header = request.headers['x-subject-token']
  return typeof header === 'string' ? header : ''
}
