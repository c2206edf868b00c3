/** Volume metadata: the whole set (merge with POST, replace with PUT) and single keys. */
import { DomainError, badRequest } from '../../../core/shared/errors.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { NoContent, sendEmpty, cinderErrors } from '../schemas/common.ts'
import { MetaItemBody, MetadataBody, VolumeMetadataKeyParams, VolumeParams } from '../schemas/volumes.ts'

function missingKey(key: string): DomainError {
  return new DomainError('not_found', `Metadata item was not found: ${key}`, { resource: 'volume' })
}

export function volumeMetadataRoutes(app: DialectApp, { services: { volumes } }: DialectContext): void {
  app.route({
    method: 'GET',
    url: '/volumes/:volumeId/metadata',
    schema: { operationId: 'listVolumeMetadata', tags: ['volume metadata'], params: VolumeParams, response: { 200: MetadataBody, ...cinderErrors(404) } },
    handler: async (request) => ({ metadata: { ...(await volumes.get(request.auth!.owner, request.params.volumeId)).metadata } }),
  })

  for (const [method, mode] of [['POST', 'merge'], ['PUT', 'replace']] as const) {
    app.route({
      method,
      url: '/volumes/:volumeId/metadata',
      schema: {
        operationId: mode === 'merge' ? 'createVolumeMetadata' : 'replaceVolumeMetadata', tags: ['volume metadata'],
        params: VolumeParams, body: MetadataBody, response: { 200: MetadataBody, ...cinderErrors(404) },
      },
      handler: async (request) => ({
        metadata: { ...(await volumes.setMetadata(request.auth!.owner, request.params.volumeId, request.body.metadata, mode)).metadata },
      }),
    })
  }

  app.route({
    method: 'GET',
    url: '/volumes/:volumeId/metadata/:key',
    schema: { operationId: 'showVolumeMetadataItem', tags: ['volume metadata'], params: VolumeMetadataKeyParams, response: { 200: MetaItemBody, ...cinderErrors(404) } },
    handler: async (request) => {
      const { metadata } = await volumes.get(request.auth!.owner, request.params.volumeId)
      const value = metadata[request.params.key]
      if (value === undefined) throw missingKey(request.params.key)
      return { meta: { [request.params.key]: value } }
    },
  })

  app.route({
    method: 'PUT',
    url: '/volumes/:volumeId/metadata/:key',
    schema: { operationId: 'updateVolumeMetadataItem', tags: ['volume metadata'], params: VolumeMetadataKeyParams, body: MetaItemBody, response: { 200: MetaItemBody, ...cinderErrors(404) } },
    handler: async (request) => {
      const { key } = request.params
      if (!(key in request.body.meta)) throw badRequest('Request body and URI mismatch', 'meta')
      const value = request.body.meta[key]
      await volumes.setMetadata(request.auth!.owner, request.params.volumeId, { [key]: value }, 'merge')
      return { meta: { [key]: value } }
    },
  })

  app.route({
    method: 'DELETE',
    url: '/volumes/:volumeId/metadata/:key',
    schema: { operationId: 'deleteVolumeMetadataItem', tags: ['volume metadata'], params: VolumeMetadataKeyParams, response: { 200: NoContent, ...cinderErrors(404) } },
    handler: async (request, reply) => {
      await volumes.deleteMetadataItem(request.auth!.owner, request.params.volumeId, request.params.key)
      return sendEmpty(reply, 200)
    },
  })
}
