/** Glance's image actions: deactivate and reactivate (204; 403 in a status that does not allow it). */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { ImageParams, NoContent } from '../schemas/images.ts'
import { glanceErrors } from './responses.ts'

export function imageActionRoutes(app: DialectApp, { services: { images } }: DialectContext): void {
  app.route({
    method: 'POST',
    url: '/v2/images/:imageId/actions/deactivate',
    schema: { operationId: 'deactivateImage', tags: ['image actions'], params: ImageParams, response: { 204: NoContent, ...glanceErrors(403, 404) } },
    handler: async (request, reply) => {
      await images.deactivate(request.auth!.owner, request.params.imageId)
      return reply.status(204).send(null)
    },
  })
  app.route({
    method: 'POST',
    url: '/v2/images/:imageId/actions/reactivate',
    schema: { operationId: 'reactivateImage', tags: ['image actions'], params: ImageParams, response: { 204: NoContent, ...glanceErrors(403, 404) } },
    handler: async (request, reply) => {
      await images.reactivate(request.auth!.owner, request.params.imageId)
      return reply.status(204).send(null)
    },
  })
}
