/**
 * Server API (seed 000): brief and detail lists, show, create (PUT, as documented: CATALOG §6 A4) and
 * delete. With `count` > 1 the answer's `server` is the first server created (§6 A11); all of them
 * share one reservation.
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import type { Server } from '../../../core/servers/server.ts'
import { ownerOf } from '../auth.ts'
import type { ServerReads } from '../server-reads.ts'
import { AppkeyParams, AuthHeaders, HeaderOnly, ServerParams, TAGS, v1Responses } from '../schemas/common.ts'
import {
  ServerBriefListBody, ServerCreateBody, ServerCreatedBody, ServerDetailBody, ServerDetailListBody, type ServerCreateRequest,
} from '../schemas/servers.ts'
import { headerOnly, success } from '../views/envelope.ts'
import { briefView, checkWindowsName, createCommand, detailView } from '../views/servers.ts'

export function serverRoutes(app: DialectApp, { services }: DialectContext, reads: ServerReads): void {
  const { servers, images } = services

  /** The v1.0 create: the project's strict-NHN switch, v1.0's own name rule, then the core's create. */
  async function create(owner: Owner, strictNhn: boolean, request: ServerCreateRequest): Promise<Server> {
    const image = await images.get(owner, request.image)
    checkWindowsName(request.name, image.osType)
    const created = await servers.create(owner, createCommand(request, strictNhn))
    return servers.get(owner, created.serverIds[0])
  }

  app.route({
    method: 'GET',
    url: '/servers',
    schema: {
      operationId: 'listServers', tags: [TAGS.servers], params: AppkeyParams, headers: AuthHeaders,
      response: v1Responses(ServerBriefListBody),
    },
    handler: async (request) => success({ servers: (await reads.all(ownerOf(request))).map(briefView) }),
  })

  app.route({
    method: 'GET',
    url: '/servers/detail',
    schema: {
      operationId: 'listServersDetail', tags: [TAGS.servers], params: AppkeyParams, headers: AuthHeaders,
      response: v1Responses(ServerDetailListBody),
    },
    handler: async (request) => success({ servers: (await reads.allFacts(ownerOf(request))).map(detailView) }),
  })

  app.route({
    method: 'GET',
    url: '/servers/:serverId',
    schema: {
      operationId: 'showServer', tags: [TAGS.servers], params: ServerParams, headers: AuthHeaders,
      response: v1Responses(ServerDetailBody),
    },
    handler: async (request) => success({ server: detailView(await reads.one(ownerOf(request), request.params.serverId)) }),
  })

  app.route({
    method: 'PUT',
    url: '/servers',
    schema: {
      operationId: 'createServer', tags: [TAGS.servers], params: AppkeyParams, headers: AuthHeaders, body: ServerCreateBody,
      response: v1Responses(ServerCreatedBody),
    },
    handler: async (request) => success({ server: briefView(await create(ownerOf(request), request.auth!.project.strictNhn, request.body.server)) }),
  })

  app.route({
    method: 'DELETE',
    url: '/servers/:serverId',
    schema: {
      operationId: 'deleteServer', tags: [TAGS.servers], params: ServerParams, headers: AuthHeaders,
      response: v1Responses(HeaderOnly),
    },
    handler: async (request) => {
      await servers.delete(ownerOf(request), request.params.serverId)
      return headerOnly()
    },
  })
}
