/**
 * NHN Cloud Instance API v2 and the older TOAST Compute API (seeds 001–003), OpenStack Nova compatible,
 * at the root of the compute listener: `/v2/{tenantId}/…` (and `/v2.1/{tenantId}/…`, the same API), plus
 * the version documents. Auth is a Keystone token in X-Auth-Token whose project must be the URL's.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { DomainError } from '../../core/shared/errors.ts'
import type { DialectContext, DialectPlugin } from '../shared/context.ts'
import type { DialectApp } from '../shared/listener.ts'
import { fault, novaErrorHandler, sendUnauthorized } from './errors.ts'
import { echoMicroversion, MicroversionError, MIN_MICROVERSION, requestedMicroversion } from './microversion.ts'
import { computeRoutes } from './routes/index.ts'

/** Path prefixes of the tenant-scoped API; both carry the same routes. */
export const API_PREFIXES = ['/v2', '/v2.1'] as const

async function authenticate(request: FastifyRequest, reply: FastifyReply, context: DialectContext): Promise<void> {
  const token = request.headers['x-auth-token']
  if (typeof token !== 'string' || token === '') {
    await sendUnauthorized(reply)
    return reply
  }
  let auth
  try {
    auth = await context.services.identity.validateToken(token)
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'unauthorized') {
      await sendUnauthorized(reply)
      return reply
    }
    throw error
  }
  const tenantId = (request.params as { tenantId?: string }).tenantId
  if (tenantId !== undefined && tenantId !== auth.project.id) {
    // Nova refuses a URL naming another project than the token's (400 "Malformed request URL").
    await reply.status(400).send(fault(400,
      `Malformed request URL: URL's project_id '${tenantId}' doesn't match Context's project_id '${auth.project.id}'`))
    return reply
  }
  request.auth = { ...auth, owner: { ...auth.owner, requestId: request.id } }
}

export const nhnInstanceV2: DialectPlugin = async (app: DialectApp, context: DialectContext) => {
  app.decorateRequest('microversion', { getter: () => MIN_MICROVERSION })
  app.setErrorHandler(novaErrorHandler)
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(fault(404, 'The resource could not be found.')))
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Compute-Request-Id', request.id)
    reply.header('X-Openstack-Request-Id', request.id)
    try {
      const version = requestedMicroversion(request.headers)
      Object.defineProperty(request, 'microversion', { value: version, configurable: true })
    } catch (error) {
      if (error instanceof MicroversionError) {
        await reply.status(error.statusCode).send(fault(error.statusCode, error.message))
        return reply
      }
      throw error
    }
    echoMicroversion(request, reply)
  })
  await computeRoutes(app, context, { authenticate: (request, reply) => authenticate(request, reply, context) })
}
