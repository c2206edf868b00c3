/**
 * Servers (seeds 001–003 N-8…N-13): brief and detailed lists with Nova's filters and limit/marker pages,
 * show, create (202), update (200) and delete (204), and Nova's `/ips` views of a server's addresses.
 */
import type { FastifyRequest } from 'fastify'
import type { Server } from '../../../core/servers/server.ts'
import { DomainError } from '../../../core/shared/errors.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { TenantParams } from '../schemas/common.ts'
import { faultResponses, NoBody } from '../schemas/responses.ts'
import {
  ServerCreateBody, ServerCreated, ServerDetailList, ServerIps, ServerList, ServerListQuery, ServerNetworkParams,
  ServerParams, ServerShow, ServerUpdateBody, IpAddresses,
} from '../schemas/servers.ts'
import { withStrictBodies } from '../schemas/strict-body.ts'
import {
  createServersCommand, selfLink, serverCreated, serverDetail, serverDetailList, serverDetailListJson, serverIps, serverList,
  serverListQuery, serverViewContext, unknownReferencesAsBadRequest, updateServerCommand,
} from '../views/servers.ts'

const tags = ['servers']

export function serverRoutes(api: DialectApp, { services }: DialectContext): void {
  const { servers } = services

  const describe = async (request: FastifyRequest, server: Server) =>
    (await servers.describe(request.auth!.owner, [server])).get(server.id)

  const page = async (request: FastifyRequest<{ Querystring: ServerListQuery }>) => {
    const query = serverListQuery(request.query)
    return query === null ? { items: [], hasMore: false } : servers.list(request.auth!.owner, query)
  }

  withStrictBodies(api, (scope) => {
    scope.get('/:tenantId/servers', {
      schema: {
        operationId: 'listServers', tags, params: TenantParams, querystring: ServerListQuery,
        response: { 200: ServerList, ...faultResponses() },
      },
    }, async (request) => serverList(serverViewContext(request, request.params.tenantId), await page(request)))

    scope.get('/:tenantId/servers/detail', {
      schema: {
        operationId: 'listServersDetail', tags, params: TenantParams, querystring: ServerListQuery,
        response: { 200: ServerDetailList, ...faultResponses() },
      },
    }, async (request, reply) => {
      const found = await page(request)
      const descriptions = await servers.describe(request.auth!.owner, found.items)
      const body = serverDetailList(serverViewContext(request, request.params.tenantId), found, descriptions)
      // The schema still documents and types the body; serverDetailListJson writes the same text faster.
      return reply.type('application/json; charset=utf-8').serializer(serverDetailListJson).send(body)
    })

    scope.get('/:tenantId/servers/:serverId', {
      schema: {
        operationId: 'showServer', tags, params: ServerParams,
        response: { 200: ServerShow, ...faultResponses(404) },
      },
    }, async (request) => {
      const server = await servers.get(request.auth!.owner, request.params.serverId)
      return { server: serverDetail(serverViewContext(request, request.params.tenantId), server, await describe(request, server)) }
    })

    scope.post('/:tenantId/servers', {
      schema: {
        operationId: 'createServer', tags, params: TenantParams, body: ServerCreateBody,
        response: { 202: ServerCreated, ...faultResponses(403, 409, 413) },
      },
    }, async (request, reply) => {
      const ctx = serverViewContext(request, request.params.tenantId)
      const created = await unknownReferencesAsBadRequest(servers.create(request.auth!.owner,
        createServersCommand(request.body, ctx.version, request.auth!.project.strictNhn)))
      const body = serverCreated(ctx, request.body, created)
      if (body.server) reply.header('Location', selfLink(ctx, body.server.id))
      return reply.status(202).send(body)
    })

    scope.put('/:tenantId/servers/:serverId', {
      schema: {
        operationId: 'updateServer', tags, params: ServerParams, body: ServerUpdateBody,
        response: { 200: ServerShow, ...faultResponses(404, 409, 413) },
      },
    }, async (request) => {
      const ctx = serverViewContext(request, request.params.tenantId)
      const server = await servers.update(request.auth!.owner, request.params.serverId, updateServerCommand(request.body, ctx.version))
      return { server: serverDetail(ctx, server, await describe(request, server)) }
    })

    scope.delete('/:tenantId/servers/:serverId', {
      schema: {
        operationId: 'deleteServer', tags, params: ServerParams,
        response: { 204: NoBody, ...faultResponses(404, 409) },
      },
    }, async (request, reply) => {
      await servers.delete(request.auth!.owner, request.params.serverId)
      return reply.status(204).send()
    })

    scope.get('/:tenantId/servers/:serverId/ips', {
      schema: {
        operationId: 'listServerIps', tags, params: ServerParams,
        response: { 200: ServerIps, ...faultResponses(404) },
      },
    }, async (request) => {
      const server = await servers.get(request.auth!.owner, request.params.serverId)
      return { addresses: serverIps(await describe(request, server)) }
    })

    scope.get('/:tenantId/servers/:serverId/ips/:networkLabel', {
      schema: {
        operationId: 'showServerIpsOfNetwork', tags, params: ServerNetworkParams,
        response: { 200: IpAddresses, ...faultResponses(404) },
      },
    }, async (request) => {
      const server = await servers.get(request.auth!.owner, request.params.serverId)
      const addresses = serverIps(await describe(request, server))[request.params.networkLabel]
      if (!addresses) {
        throw new DomainError('not_found', 'Instance is not a member of specified network', { resource: 'network', id: request.params.networkLabel })
      }
      return { [request.params.networkLabel]: addresses }
    })
  })
}
