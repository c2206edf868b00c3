/**
 * Flavors (NHN "instance types", seeds 001–003 N-1, N-2): lists of NHN's instance types sorted by id
 * with minDisk/minRam/is_public filters and limit/marker pages, one flavor by id, its extra specs, and
 * the admin-only create and delete Nova has (not in the seeds).
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { TenantParams } from '../schemas/common.ts'
import {
  ExtraSpec, ExtraSpecParams, ExtraSpecs, FlavorCreateBody, FlavorDetailList, FlavorList, FlavorListQuery,
  FlavorParams, FlavorShow,
} from '../schemas/flavors.ts'
import { withStrictBodies } from '../schemas/strict-body.ts'
import { faultResponses, NoBody } from '../schemas/responses.ts'
import {
  extraSpecView, flavorCreateInput, flavorDetail, flavorDetailList, flavorList, flavorListInput,
} from '../views/flavors.ts'

const tags = ['flavors']

export function flavorRoutes(api: DialectApp, { services }: DialectContext): void {
  const { flavors } = services

  api.get('/:tenantId/flavors', {
    schema: {
      operationId: 'listFlavors', tags, params: TenantParams, querystring: FlavorListQuery,
      response: { 200: FlavorList, ...faultResponses() },
    },
  }, async (request) => {
    const { filter, page } = flavorListInput(request.query)
    return flavorList(request, request.params.tenantId, await flavors.list(request.auth!.owner, filter, page))
  })

  api.get('/:tenantId/flavors/detail', {
    schema: {
      operationId: 'listFlavorsDetail', tags, params: TenantParams, querystring: FlavorListQuery,
      response: { 200: FlavorDetailList, ...faultResponses() },
    },
  }, async (request) => {
    const { filter, page } = flavorListInput(request.query)
    return flavorDetailList(request, request.params.tenantId, await flavors.list(request.auth!.owner, filter, page))
  })

  api.get('/:tenantId/flavors/:flavorId', {
    schema: {
      operationId: 'showFlavor', tags, params: FlavorParams,
      response: { 200: FlavorShow, ...faultResponses(404) },
    },
  }, async (request) => ({
    flavor: flavorDetail(request, request.params.tenantId, await flavors.get(request.auth!.owner, request.params.flavorId)),
  }))

  api.get('/:tenantId/flavors/:flavorId/os-extra_specs', {
    schema: {
      operationId: 'listFlavorExtraSpecs', tags, params: FlavorParams,
      response: { 200: ExtraSpecs, ...faultResponses(404) },
    },
  }, async (request) => ({
    extra_specs: { ...(await flavors.get(request.auth!.owner, request.params.flavorId)).extraSpecs },
  }))

  api.get('/:tenantId/flavors/:flavorId/os-extra_specs/:key', {
    schema: {
      operationId: 'showFlavorExtraSpec', tags, params: ExtraSpecParams,
      response: { 200: ExtraSpec, ...faultResponses(404) },
    },
  }, async (request) => extraSpecView(await flavors.get(request.auth!.owner, request.params.flavorId), request.params.key))

  api.delete('/:tenantId/flavors/:flavorId', {
    schema: {
      operationId: 'deleteFlavor', tags, params: FlavorParams,
      response: { 202: NoBody, ...faultResponses(403, 404) },
    },
  }, async (request, reply) => {
    await flavors.delete(request.auth!.owner, request.params.flavorId)
    return reply.status(202).send(undefined)
  })

  // Bodies are checked as sent, without type coercion, as Nova does (schemas/strict-body.ts).
  withStrictBodies(api, (strict) => {
    strict.post('/:tenantId/flavors', {
      schema: {
        operationId: 'createFlavor', tags, params: TenantParams, body: FlavorCreateBody,
        response: { 200: FlavorShow, ...faultResponses(403, 409, 413) },
      },
    }, async (request) => ({
      flavor: flavorDetail(request, request.params.tenantId, await flavors.create(request.auth!.owner, flavorCreateInput(request.body))),
    }))
  })
}
