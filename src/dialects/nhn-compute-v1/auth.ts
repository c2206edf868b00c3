/**
 * X-Auth-Token on every call but the Token API (seed 000). Any token of the shared store is accepted
 * (one issued here, or by Keystone for the same project); its project must be the appkey's, otherwise
 * -3, which is also the answer for an appkey that does not exist, so that no answer tells the two apart.
 */
import type { FastifyRequest } from 'fastify'
import { DomainError } from '../../core/shared/errors.ts'
import type { IdentityService } from '../../core/projects/identity-service.ts'
import type { Owner } from '../../core/shared/owner.ts'
import { tokenIdOf } from './views/tokens.ts'

export function authenticateWith(identity: IdentityService) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers['x-auth-token']
    if (typeof header !== 'string' || header === '') {
      throw new DomainError('unauthorized', 'X-Auth-Token header is required.')
    }
    const auth = await identity.validateToken(tokenIdOf(header.trim()))
    const { appkey } = request.params as { appkey?: string }
    if (appkey !== auth.project.appkey) {
      throw new DomainError('forbidden', 'The token is not valid for this appkey.')
    }
    request.auth = { ...auth, owner: { ...auth.owner, requestId: request.id } }
  }
}

/** The caller of an authenticated route (set by the hook above before any handler runs). */
export function ownerOf(request: FastifyRequest): Owner {
  if (!request.auth) throw new DomainError('unauthorized', 'X-Auth-Token header is required.')
  return request.auth.owner
}
