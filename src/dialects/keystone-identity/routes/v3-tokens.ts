/**
 * Keystone v3 `/v3/auth/tokens`: POST issues (201, the token in X-Subject-Token), GET validates (HEAD
 * checks, from Fastify's HEAD routes) and DELETE revokes the token named by X-Subject-Token. Validating
 * and revoking need a token of an admin or of the subject token's own user.
 */
import { Type } from 'typebox'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { callerOf, subjectToken, subjectTokenHeader, tokenAuthentication } from '../authentication.ts'
import { requireAdminOrTokenSubject } from '../policy.ts'
import { errorResponses, SubjectTokenHeaders } from '../schemas/common.ts'
import { CatalogQuery, V3AuthRequest, V3Token } from '../schemas/v3.ts'
import { issueToken, methodsOf } from '../token-issuer.ts'
import { v3TokenRequest } from '../views/auth-requests.ts'
import { catalogServices, v3Catalog } from '../views/catalog.ts'
import { v3Token } from '../views/v3-tokens.ts'

export function v3TokenRoutes(app: DialectApp, context: DialectContext): void {
  const { services, region } = context
  const catalogOf = (projectId: string, query: { nocatalog?: string }) =>
    query.nocatalog === undefined ? v3Catalog(catalogServices(context, projectId, 'v3'), region) : null

  app.post('/v3/auth/tokens', {
    schema: {
      operationId: 'issueTokenV3', tags: ['tokens'], body: V3AuthRequest, querystring: CatalogQuery,
      response: { 201: V3Token, ...errorResponses(400, 401, 413) },
    },
  }, async (request, reply) => {
    const tokenRequest = v3TokenRequest(request.body)
    const issued = await issueToken(services, tokenRequest)
    return reply.status(201).header('X-Subject-Token', issued.token)
      .send(v3Token(issued, methodsOf(tokenRequest), catalogOf(issued.project.id, request.query)))
  })

  app.get('/v3/auth/tokens', {
    onRequest: tokenAuthentication(services.identity),
    schema: {
      operationId: 'validateTokenV3', tags: ['tokens'], headers: SubjectTokenHeaders, querystring: CatalogQuery,
      response: { 200: V3Token, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const token = subjectTokenHeader(request)
    const subject = await subjectToken(services.identity, token)
    requireAdminOrTokenSubject(callerOf(request), subject, 'identity:validate_token')
    return reply.header('X-Subject-Token', token).send(v3Token(subject, ['password'], catalogOf(subject.project.id, request.query)))
  })

  app.delete('/v3/auth/tokens', {
    onRequest: tokenAuthentication(services.identity),
    schema: {
      operationId: 'revokeTokenV3', tags: ['tokens'], headers: SubjectTokenHeaders,
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const token = subjectTokenHeader(request)
    requireAdminOrTokenSubject(callerOf(request), await subjectToken(services.identity, token), 'identity:revoke_token')
    await services.identity.revokeToken(token)
    return reply.status(204).send(null)
  })
}
