/**
 * Limits and quotas (Nova, not in the seeds; `openstack limits show`, `openstack quota show/set` and
 * `nova absolute-limits` use them). Anyone reads their own project; admins read and change any project's.
 */
import { defaultQuotaLimits } from '../../../core/quotas/quotas.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { TenantParams } from '../schemas/common.ts'
import {
  Limits, LimitsQuery, QuotaParams, QuotaQuery, QuotaSet, QuotaSetDetail, QuotaUpdateBody,
} from '../schemas/limits.ts'
import { withStrictBodies } from '../schemas/strict-body.ts'
import { faultResponses, NoBody } from '../schemas/responses.ts'
import {
  defaultQuotaUsages, limitsView, quotaLimitsInput, quotaSetDetailView, quotaSetView,
} from '../views/limits.ts'

const tags = ['limits']

export function limitRoutes(api: DialectApp, { services }: DialectContext): void {
  const { quotas } = services

  api.get('/:tenantId/limits', {
    schema: {
      operationId: 'showLimits', tags, params: TenantParams, querystring: LimitsQuery,
      response: { 200: Limits, ...faultResponses(403, 404) },
    },
  }, async (request) => limitsView(await quotas.usage(request.auth!.owner, request.query.tenant_id), request.microversion))

  api.get('/:tenantId/os-quota-sets/:projectId', {
    schema: {
      operationId: 'showQuotaSet', tags, params: QuotaParams, querystring: QuotaQuery,
      response: { 200: QuotaSet, ...faultResponses(403, 404) },
    },
  }, async (request) => quotaSetView(
    await quotas.usage(request.auth!.owner, request.params.projectId), request.params.projectId, request.microversion,
  ))

  api.get('/:tenantId/os-quota-sets/:projectId/detail', {
    schema: {
      operationId: 'showQuotaSetDetail', tags, params: QuotaParams, querystring: QuotaQuery,
      response: { 200: QuotaSetDetail, ...faultResponses(403, 404) },
    },
  }, async (request) => quotaSetDetailView(
    await quotas.usage(request.auth!.owner, request.params.projectId), request.params.projectId, request.microversion,
  ))

  api.get('/:tenantId/os-quota-sets/:projectId/defaults', {
    schema: {
      operationId: 'showDefaultQuotaSet', tags, params: QuotaParams,
      response: { 200: QuotaSet, ...faultResponses() },
    },
  }, async (request) => quotaSetView(defaultQuotaUsages(), request.params.projectId, request.microversion))

  api.delete('/:tenantId/os-quota-sets/:projectId', {
    schema: {
      operationId: 'revertQuotaSet', tags, params: QuotaParams, querystring: QuotaQuery,
      response: { 202: NoBody, ...faultResponses(403, 404) },
    },
  }, async (request, reply) => {
    await quotas.setLimits(request.auth!.owner, request.params.projectId, { ...defaultQuotaLimits })
    return reply.status(202).send(undefined)
  })

  // Bodies are checked as sent, without type coercion, as Nova does (schemas/strict-body.ts).
  withStrictBodies(api, (strict) => {
    strict.put('/:tenantId/os-quota-sets/:projectId', {
      schema: {
        operationId: 'updateQuotaSet', tags, params: QuotaParams, querystring: QuotaQuery, body: QuotaUpdateBody,
        response: { 200: QuotaSet, ...faultResponses(403, 404, 413) },
      },
    }, async (request) => quotaSetView(
      await quotas.setLimits(request.auth!.owner, request.params.projectId, quotaLimitsInput(request.body, request.microversion)),
      null, request.microversion,
    ))
  })
}
