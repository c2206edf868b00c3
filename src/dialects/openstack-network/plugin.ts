/**
 * The OpenStack Networking API v2.0 (Neutron) subset real clients call around servers, at the root of
 * the network listener: the version document, networks, subnets, ports, floating IPs, security groups
 * and rules, quotas, extensions, and NHN Cloud's read-only VPC views. Auth is a Keystone token in
 * X-Auth-Token; only the version document is public.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { DomainError } from '../../core/shared/errors.ts'
import { canWrite } from '../../core/shared/owner.ts'
import type { DialectContext, DialectPlugin } from '../shared/context.ts'
import type { DialectApp } from '../shared/listener.ts'
import { badResourceRequest, neutronBody, neutronErrorHandler, sendUnauthorized } from './errors.ts'
import { networkApiRoutes } from './routes/index.ts'

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

async function authenticate(request: FastifyRequest, reply: FastifyReply, context: DialectContext): Promise<unknown> {
  const token = request.headers['x-auth-token']
  if (typeof token !== 'string' || token === '') return sendUnauthorized(reply, context.publicUrls.identity)
  let auth
  try {
    auth = await context.services.identity.validateToken(token)
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'unauthorized') return sendUnauthorized(reply, context.publicUrls.identity)
    throw error
  }
  // Neutron's default policies let readers list and show, and members (or admins) change things.
  if (!READ_METHODS.has(request.method) && !canWrite(auth.owner)) {
    return reply.status(403).send(neutronBody('PolicyNotAuthorized',
      `rule:${request.method.toLowerCase()} is disallowed by policy: the reader role cannot change resources.`))
  }
  request.auth = { ...auth, owner: { ...auth.owner, requestId: request.id } }
  checkRevisionConstraint(request)
  return undefined
}

/**
 * Gureum keeps no revision numbers, so it answers an `If-Match: revision_number=N` constraint as
 * Neutron does without the revision-if-match extension, rather than ignoring it.
 */
function checkRevisionConstraint(request: FastifyRequest): void {
  const ifMatch = request.headers['if-match']
  if (typeof ifMatch === 'string' && ifMatch.includes('revision_number=')) {
    throw badResourceRequest('if-match', 'This server does not support constraining operations based on revision numbers')
  }
}

export const openstackNetwork: DialectPlugin = async (app: DialectApp, context: DialectContext) => {
  app.setErrorHandler(neutronErrorHandler(context.publicUrls.identity))
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send(neutronBody('HTTPNotFound', 'The resource could not be found.')))
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Openstack-Request-Id', request.id)
  })
  await networkApiRoutes(app, context, { authenticate: (request, reply) => authenticate(request, reply, context) })
}
