/**
 * Server groups (Nova os-server-groups, not in the NHN seeds): affinity and anti-affinity groups of the
 * caller's project. Groups SCP made with its partition policy are listed with `policies: ["partition"]`.
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { TenantParams } from '../schemas/common.ts'
import { withStrictBodies } from '../schemas/strict-body.ts'
import { faultResponses, NoBody } from '../schemas/responses.ts'
import {
  ServerGroupCreateBody, ServerGroupList, ServerGroupListQuery, ServerGroupParams, ServerGroupShow,
} from '../schemas/server-groups.ts'
import { serverGroupCreateInput, serverGroupList, serverGroupPage, serverGroupView } from '../views/server-groups.ts'

const tags = ['server-groups']

export function serverGroupRoutes(api: DialectApp, { services }: DialectContext): void {
  const { serverGroups } = services

  api.get('/:tenantId/os-server-groups', {
    schema: {
      operationId: 'listServerGroups', tags, params: TenantParams, querystring: ServerGroupListQuery,
      response: { 200: ServerGroupList, ...faultResponses() },
    },
  }, async (request) => {
    const { page, offset } = serverGroupPage(request.query)
    return serverGroupList(await serverGroups.list(request.auth!.owner, page), offset, request.microversion)
  })

  api.get('/:tenantId/os-server-groups/:serverGroupId', {
    schema: {
      operationId: 'showServerGroup', tags, params: ServerGroupParams,
      response: { 200: ServerGroupShow, ...faultResponses(404) },
    },
  }, async (request) => ({
    server_group: serverGroupView(await serverGroups.get(request.auth!.owner, request.params.serverGroupId), request.microversion),
  }))

  api.delete('/:tenantId/os-server-groups/:serverGroupId', {
    schema: {
      operationId: 'deleteServerGroup', tags, params: ServerGroupParams,
      response: { 204: NoBody, ...faultResponses(403, 404) },
    },
  }, async (request, reply) => {
    await serverGroups.delete(request.auth!.owner, request.params.serverGroupId)
    return reply.status(204).send(undefined)
  })

  // Bodies are checked as sent, without type coercion, as Nova does (schemas/strict-body.ts).
  withStrictBodies(api, (strict) => {
    strict.post('/:tenantId/os-server-groups', {
      schema: {
        operationId: 'createServerGroup', tags, params: TenantParams, body: ServerGroupCreateBody,
        response: { 200: ServerGroupShow, ...faultResponses(403, 413) },
      },
    }, async (request) => ({
      server_group: serverGroupView(
        await serverGroups.create(request.auth!.owner, serverGroupCreateInput(request.body)), request.microversion,
      ),
    }))
  })
}
