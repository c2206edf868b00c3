/** `GET /v3/projects/{projectId}` and `GET /v3/users/{userId}/projects`, under Keystone's policies. */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { requestBaseUrl } from '../../shared/request-base-url.ts'
import { callerOf, tokenAuthentication } from '../authentication.ts'
import { projectsOfUser, readableProject } from '../policy.ts'
import { errorResponses } from '../schemas/common.ts'
import { ProjectParams, UserParams, V3ProjectList, V3ProjectResponse } from '../schemas/v3.ts'
import { v3ProjectList, v3ProjectResponse } from '../views/v3-projects.ts'

export function v3ProjectRoutes(app: DialectApp, context: DialectContext): void {
  const { services } = context

  app.get('/v3/projects/:projectId', {
    onRequest: tokenAuthentication(services.identity),
    schema: {
      operationId: 'showProject', tags: ['projects'], params: ProjectParams,
      response: { 200: V3ProjectResponse, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => v3ProjectResponse(
    await readableProject(services, callerOf(request), request.params.projectId), requestBaseUrl(request)))

  app.get('/v3/users/:userId/projects', {
    onRequest: tokenAuthentication(services.identity),
    schema: {
      operationId: 'listUserProjects', tags: ['projects'], params: UserParams,
      response: { 200: V3ProjectList, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => v3ProjectList(
    await projectsOfUser(services, callerOf(request), request.params.userId),
    requestBaseUrl(request), `/v3/users/${encodeURIComponent(request.params.userId)}/projects`))
}
