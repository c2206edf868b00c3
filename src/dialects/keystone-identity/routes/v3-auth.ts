/** What a v3 token gives access to: `GET /v3/auth/catalog` and `GET /v3/auth/projects`. */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { requestBaseUrl } from '../../shared/request-base-url.ts'
import { callerOf, tokenAuthentication } from '../authentication.ts'
import { projectsOfUser } from '../policy.ts'
import { V3CatalogResponse } from '../schemas/catalog.ts'
import { errorResponses } from '../schemas/common.ts'
import { V3ProjectList } from '../schemas/v3.ts'
import { catalogServices, v3Catalog, v3CatalogResponse } from '../views/catalog.ts'
import { v3ProjectList } from '../views/v3-projects.ts'

export function v3AuthRoutes(app: DialectApp, context: DialectContext): void {
  const { services, region } = context

  app.get('/v3/auth/catalog', {
    onRequest: tokenAuthentication(services.identity),
    schema: {
      operationId: 'showAuthCatalog', tags: ['auth'],
      response: { 200: V3CatalogResponse, ...errorResponses(401) },
    },
  }, async (request) => v3CatalogResponse(
    v3Catalog(catalogServices(context, callerOf(request).project.id, 'v3'), region), `${requestBaseUrl(request)}/v3/auth/catalog`))

  app.get('/v3/auth/projects', {
    onRequest: tokenAuthentication(services.identity),
    schema: {
      operationId: 'listAuthProjects', tags: ['auth'],
      response: { 200: V3ProjectList, ...errorResponses(401) },
    },
  }, async (request) => {
    const caller = callerOf(request)
    return v3ProjectList(await projectsOfUser(services, caller, caller.user.id), requestBaseUrl(request), '/v3/auth/projects')
  })
}
