/** Image tags: adding is idempotent, removing a missing tag is 404 (Glance). */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { NoContent, TagParams } from '../schemas/images.ts'
import { glanceErrors } from './responses.ts'

export function imageTagRoutes(app: DialectApp, { services: { images } }: DialectContext): void {
  app.route({
    method: 'PUT',
    url: '/v2/images/:imageId/tags/:tag',
    schema: { operationId: 'addImageTag', tags: ['image tags'], params: TagParams, response: { 204: NoContent, ...glanceErrors(400, 403, 404, 413) } },
    handler: async (request, reply) => {
      await images.addTag(request.auth!.owner, request.params.imageId, request.params.tag)
      return reply.status(204).send(null)
    },
  })
  app.route({
    method: 'DELETE',
    url: '/v2/images/:imageId/tags/:tag',
    schema: { operationId: 'deleteImageTag', tags: ['image tags'], params: TagParams, response: { 204: NoContent, ...glanceErrors(403, 404) } },
    handler: async (request, reply) => {
      await images.removeTag(request.auth!.owner, request.params.imageId, request.params.tag)
      return reply.status(204).send(null)
    },
  })
}
