/**
 * Keystone v2.0 tokens: `POST /v2.0/tokens` (password, or a live token to re-scope) and the admin
 * validation `GET /v2.0/tokens/{tokenId}` (HEAD too, from Fastify's HEAD routes).
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { callerOf, subjectToken, tokenAuthentication } from '../authentication.ts'
import { unauthorized } from '../../../core/projects/auth-context.ts'
import { requireAdmin } from '../policy.ts'
import { errorResponses } from '../schemas/common.ts'
import { V2Access, V2AuthRequest, V2TokenParams, V2TokenQuery } from '../schemas/v2.ts'
import { issueTokenWithProject } from '../token-issuer.ts'
import { v2TokenRequest } from '../views/auth-requests.ts'
import { catalogServices, v2ServiceCatalog } from '../views/catalog.ts'
import { v2Access } from '../views/v2-tokens.ts'

export function v2TokenRoutes(app: DialectApp, context: DialectContext): void {
  const { services, region } = context
  const catalogOf = (projectId: string) => v2ServiceCatalog(catalogServices(context, projectId, 'v2.0'), region)

  app.post('/v2.0/tokens', {
    schema: {
      operationId: 'issueTokenV2', tags: ['tokens'], body: V2AuthRequest,
      response: { 200: V2Access, ...errorResponses(400, 401, 413) },
    },
  }, async (request) => {
    const { issued, project } = await issueTokenWithProject(services, v2TokenRequest(request.body))
    return v2Access(issued.token, issued, project, catalogOf(project.id))
  })

  app.get('/v2.0/tokens/:tokenId', {
    onRequest: tokenAuthentication(services.identity),
    schema: {
      operationId: 'validateTokenV2', tags: ['tokens'], params: V2TokenParams, querystring: V2TokenQuery,
      response: { 200: V2Access, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    requireAdmin(callerOf(request), 'identity:validate_token')
    const subject = await subjectToken(services.identity, request.params.tokenId)
    // Keystone's belongsTo answers a token of another tenant with 401.
    if (request.query.belongsTo !== undefined && request.query.belongsTo !== subject.project.id) throw unauthorized()
    const project = await services.projects.getProject(subject.project.id)
    return v2Access(request.params.tokenId, subject, project, catalogOf(project.id))
  })
}
