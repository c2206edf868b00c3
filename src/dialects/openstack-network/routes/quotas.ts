import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { errorResponses } from '../schemas/common.ts'
import { ProjectParams, QuotaDetailsResponse, QuotaResponse, QuotaUpdateBody } from '../schemas/quotas.ts'
import { quotaDetailsView, quotaLimitsInput, quotaLimitsView } from '../views/quotas.ts'
import { neutronRoute, ownerOf } from './route.ts'

/** A project's own quotas; another project's need the admin role (Neutron's get_quota policy). */
export function quotaRoutes(api: DialectApp, { services: { quotas } }: DialectContext): void {
  const tags = ['quotas']
  neutronRoute(api, {
    method: 'GET',
    url: '/quotas/:project_id',
    schema: { operationId: 'showQuota', tags, params: ProjectParams, response: { 200: QuotaResponse, ...errorResponses(403, 404) } },
    handler: async (request) => {
      const { project_id: projectId } = request.params as ProjectParams
      return { quota: quotaLimitsView(await quotas.usage(ownerOf(request), projectId)) }
    },
  })
  neutronRoute(api, {
    method: 'GET',
    url: '/quotas/:project_id/details',
    schema: {
      operationId: 'showQuotaDetails', tags, params: ProjectParams, response: { 200: QuotaDetailsResponse, ...errorResponses(403, 404) },
    },
    handler: async (request) => {
      const { project_id: projectId } = request.params as ProjectParams
      return { quota: quotaDetailsView(await quotas.usage(ownerOf(request), projectId)) }
    },
  })
  neutronRoute(api, {
    method: 'PUT',
    url: '/quotas/:project_id',
    schema: {
      operationId: 'updateQuota', tags, params: ProjectParams, body: QuotaUpdateBody,
      response: { 200: QuotaResponse, ...errorResponses(400, 403, 404, 413) },
    },
    handler: async (request) => {
      const { project_id: projectId } = request.params as ProjectParams
      const limits = quotaLimitsInput((request.body as QuotaUpdateBody).quota)
      return { quota: quotaLimitsView(await quotas.setLimits(ownerOf(request), projectId, limits)) }
    },
  })
}
