/** Image records: list, show, create, JSON-patch update, delete. */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { sendGlanceError } from '../errors.ts'
import { ImageCreateBody, ImageList, ImageListQuery, ImageParams, ImagePatchBody, ImageView, NoContent } from '../schemas/images.ts'
import { createInput, imageListView, imageView, listInput, pageSizeOf, patchInput } from '../views/images.ts'
import { glanceErrors } from './responses.ts'

export const JSON_PATCH_TYPE = 'application/openstack-images-v2.1-json-patch'

export function imageRoutes(app: DialectApp, { services: { images } }: DialectContext): void {
  app.route({
    method: 'GET',
    url: '/v2/images',
    schema: {
      operationId: 'listImages', tags: ['images'], querystring: ImageListQuery,
      response: { 200: ImageList, ...glanceErrors(400) },
    },
    handler: async (request) => {
      const query = listInput(request.query)
      const page = await images.list(request.auth!.owner, query)
      return imageListView(page, request.url.split('?')[1] ?? '', pageSizeOf(request.query.limit))
    },
  })

  app.route({
    method: 'GET',
    url: '/v2/images/:imageId',
    schema: { operationId: 'showImage', tags: ['images'], params: ImageParams, response: { 200: ImageView, ...glanceErrors(404) } },
    handler: async (request) => imageView(await images.get(request.auth!.owner, request.params.imageId)),
  })

  app.route({
    method: 'POST',
    url: '/v2/images',
    schema: {
      operationId: 'createImage', tags: ['images'], body: ImageCreateBody,
      response: { 201: ImageView, ...glanceErrors(400, 403, 409, 413) },
    },
    handler: async (request, reply) => {
      const owner = request.auth!.owner
      const image = await images.create(owner, createInput(request.body ?? {}, owner.projectId))
      return reply.status(201).header('Location', `/v2/images/${image.id}`).send(imageView(image))
    },
  })

  app.route({
    method: 'PATCH',
    url: '/v2/images/:imageId',
    // Glance accepts only its JSON-patch media type here.
    onRequest: async (request, reply) => {
      if (!request.headers['content-type']?.toLowerCase().startsWith(JSON_PATCH_TYPE)) {
        return sendGlanceError(request, reply, 415, `Unsupported Content-Type: use ${JSON_PATCH_TYPE}`)
      }
    },
    schema: {
      operationId: 'updateImage', tags: ['images'], params: ImageParams, body: ImagePatchBody,
      response: { 200: ImageView, ...glanceErrors(400, 403, 404, 409, 413, 415) },
    },
    handler: async (request) =>
      imageView(await images.update(request.auth!.owner, request.params.imageId, patchInput(request.body))),
  })

  app.route({
    method: 'DELETE',
    url: '/v2/images/:imageId',
    schema: { operationId: 'deleteImage', tags: ['images'], params: ImageParams, response: { 204: NoContent, ...glanceErrors(403, 404) } },
    handler: async (request, reply) => {
      await images.delete(request.auth!.owner, request.params.imageId)
      return reply.status(204).send(null)
    },
  })
}
