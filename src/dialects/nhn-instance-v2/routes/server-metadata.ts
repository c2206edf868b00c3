/**
 * Server metadata (Nova): show all, replace all (PUT), merge (POST), and one item by key (show, set,
 * delete). The metadata_items quota bounds the number of keys (403 when exceeded).
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { faultResponses, NoBody } from '../schemas/responses.ts'
import { MetadataItemParams, ServerMetadata, ServerMetadataItem } from '../schemas/server-metadata.ts'
import { ServerParams } from '../schemas/servers.ts'
import { withStrictBodies } from '../schemas/strict-body.ts'
import { existingItem, metadataItem } from '../views/server-metadata.ts'

const tags = ['server-metadata']

export function serverMetadataRoutes(api: DialectApp, { services }: DialectContext): void {
  const { servers } = services

  withStrictBodies(api, (scope) => {
    scope.get('/:tenantId/servers/:serverId/metadata', {
      schema: {
        operationId: 'listServerMetadata', tags, params: ServerParams,
        response: { 200: ServerMetadata, ...faultResponses(404) },
      },
    }, async (request) => ({ metadata: { ...(await servers.get(request.auth!.owner, request.params.serverId)).metadata } }))

    scope.put('/:tenantId/servers/:serverId/metadata', {
      schema: {
        operationId: 'replaceServerMetadata', tags, params: ServerParams, body: ServerMetadata,
        response: { 200: ServerMetadata, ...faultResponses(403, 404, 409, 413) },
      },
    }, async (request) => ({
      metadata: await servers.setMetadata(request.auth!.owner, request.params.serverId, request.body.metadata, true),
    }))

    scope.post('/:tenantId/servers/:serverId/metadata', {
      schema: {
        operationId: 'updateServerMetadata', tags, params: ServerParams, body: ServerMetadata,
        response: { 200: ServerMetadata, ...faultResponses(403, 404, 409, 413) },
      },
    }, async (request) => ({
      metadata: await servers.setMetadata(request.auth!.owner, request.params.serverId, request.body.metadata, false),
    }))

    scope.get('/:tenantId/servers/:serverId/metadata/:key', {
      schema: {
        operationId: 'showServerMetadataItem', tags, params: MetadataItemParams,
        response: { 200: ServerMetadataItem, ...faultResponses(404) },
      },
    }, async (request) => existingItem((await servers.get(request.auth!.owner, request.params.serverId)).metadata, request.params.key))

    scope.put('/:tenantId/servers/:serverId/metadata/:key', {
      schema: {
        operationId: 'setServerMetadataItem', tags, params: MetadataItemParams, body: ServerMetadataItem,
        response: { 200: ServerMetadataItem, ...faultResponses(403, 404, 409, 413) },
      },
    }, async (request) => {
      const item = metadataItem(request.body, request.params.key)
      await servers.setMetadata(request.auth!.owner, request.params.serverId, item, false)
      return { meta: item }
    })

    scope.delete('/:tenantId/servers/:serverId/metadata/:key', {
      schema: {
        operationId: 'deleteServerMetadataItem', tags, params: MetadataItemParams,
        response: { 204: NoBody, ...faultResponses(404, 409) },
      },
    }, async (request, reply) => {
      await servers.deleteMetadataItem(request.auth!.owner, request.params.serverId, request.params.key)
      return reply.status(204).send()
    })
  })
}
