/** Keystone v2.0 `GET /v2.0/tenants`: the projects the token's user has a role on (its one project). */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { callerOf, tokenAuthentication } from '../authentication.ts'
import { projectsOfUser } from '../policy.ts'
import { errorResponses } from '../schemas/common.ts'
import { V2TenantList, V2TenantsQuery } from '../schemas/v2.ts'
import { v2TenantList } from '../views/v2-tokens.ts'

export function v2TenantRoutes(app: DialectApp, context: DialectContext): void {
  const { services } = context
  app.get('/v2.0/tenants', {
    onRequest: tokenAuthentication(services.identity),
    schema: {
      operationId: 'listTenantsV2', tags: ['tenants'], querystring: V2TenantsQuery,
      response: { 200: V2TenantList, ...errorResponses(400, 401) },
    },
  }, async (request) => {
    const caller = callerOf(request)
    return v2TenantList(await projectsOfUser(services, caller, caller.user.id))
  })
}
