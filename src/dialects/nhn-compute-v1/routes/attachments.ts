/**
 * Block storage attach and detach (seed 000). The seed writes the attach URL as
 * `infrastructure/v1.0/appkeys/{appkey}/…` (CATALOG §6 A3), so both routes are also served under
 * `/infrastructure`; the plugin registers this file once per prefix with its own operation ids.
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { ownerOf } from '../auth.ts'
import { AuthHeaders, HeaderOnly, ServerParams, TAGS, v1Responses } from '../schemas/common.ts'
import { AttachBody, AttachmentBody, AttachmentParams } from '../schemas/attachments.ts'
import { headerOnly, success } from '../views/envelope.ts'

export function attachmentRoutes(app: DialectApp, { services }: DialectContext, operationIdSuffix = ''): void {
  const { servers } = services

  app.route({
    method: 'POST',
    url: '/servers/:serverId/attachments',
    schema: {
      operationId: `attachVolume${operationIdSuffix}`, tags: [TAGS.servers], params: ServerParams, headers: AuthHeaders,
      body: AttachBody, response: v1Responses(AttachmentBody),
    },
    handler: async (request) => {
      const { volumeId } = request.body.attachment
      const attached = await servers.attachVolume(ownerOf(request), request.params.serverId,
        { volumeId, device: null, deleteOnTermination: false })
      return success({ attachment: { device: attached.device, id: attached.volumeId, volumeId: attached.volumeId } })
    },
  })

  app.route({
    method: 'DELETE',
    url: '/servers/:serverId/attachments/:volumeId',
    schema: {
      operationId: `detachVolume${operationIdSuffix}`, tags: [TAGS.servers], params: AttachmentParams, headers: AuthHeaders,
      response: v1Responses(HeaderOnly),
    },
    handler: async (request) => {
      await servers.detachVolume(ownerOf(request), request.params.serverId, request.params.volumeId)
      return headerOnly()
    },
  })
}
