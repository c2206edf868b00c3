/**
 * Token authentication as keystonemiddleware does it in front of every OpenStack service: the token in
 * `X-Auth-Token`, and a 401 with Keystone's JSON error body (whatever the service's own error format) when
 * it is missing, unknown, revoked or expired.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { AuthContext } from '../../core/projects/auth-context.ts'
import { AUTHENTICATION_REQUIRED } from '../../core/projects/auth-context.ts'
import { isDomainError } from '../../core/shared/errors.ts'
import type { IdentityService } from '../../core/projects/identity-service.ts'

export const KeystoneUnauthorized = Type.Object({
  error: Type.Object({
    code: Type.Literal(401),
    title: Type.Literal('Unauthorized'),
    message: Type.String(),
  }, { additionalProperties: false }),
}, { additionalProperties: false })

export function sendKeystoneUnauthorized(reply: FastifyReply, identityUrl: string): FastifyReply {
  return reply.status(401)
    .header('WWW-Authenticate', `Keystone uri="${identityUrl}"`)
    .type('application/json')
    .send({ error: { code: 401, title: 'Unauthorized', message: AUTHENTICATION_REQUIRED } })
}

/**
 * The request's authentication, with the request id on its owner; null when the token is missing or not
 * valid (the caller answers 401). Other failures propagate.
 */
export async function authenticateToken(request: FastifyRequest, identity: IdentityService): Promise<AuthContext | null> {
  const token = request.headers['x-auth-token']
  if (typeof token !== 'string' || token === '') return null
  try {
    const auth = await identity.validateToken(token)
    return { ...auth, owner: { ...auth.owner, requestId: request.id } }
  } catch (error) {
    if (isDomainError(error) && error.kind === 'unauthorized') return null
    throw error
  }
}
