/**
 * Image data: upload streams the request body into the image file store (never buffered, limited to
 * the configured image size, checked up front from Content-Length and again while streaming); download
 * streams the file back with Glance's hex Content-MD5, or 204 when the image has no data.
 */
import { Readable } from 'node:stream'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { sendGlanceError } from '../errors.ts'
import { ImageData, ImageParams, NoContent } from '../schemas/images.ts'
import { glanceErrors } from './responses.ts'

export const OCTET_STREAM = 'application/octet-stream'

export function imageDataRoutes(app: DialectApp, context: DialectContext): void {
  const { services: { images }, imageSizeLimitBytes } = context

  app.route({
    method: 'PUT',
    url: '/v2/images/:imageId/file',
    bodyLimit: imageSizeLimitBytes,
    onRequest: async (request, reply) => {
      if (!request.headers['content-type']?.toLowerCase().startsWith(OCTET_STREAM)) {
        return sendGlanceError(request, reply, 415, `Content-Type must be ${OCTET_STREAM}`)
      }
      const length = Number(request.headers['content-length'])
      if (Number.isFinite(length) && length > imageSizeLimitBytes) {
        return sendGlanceError(request, reply, 413, `Image exceeds the storage limit of ${imageSizeLimitBytes} bytes`)
      }
    },
    schema: {
      operationId: 'uploadImageData', tags: ['image data'], params: ImageParams,
      response: { 204: NoContent, ...glanceErrors(400, 403, 404, 409, 413, 415) },
    },
    handler: async (request, reply) => {
      await images.upload(request.auth!.owner, request.params.imageId, request.body as AsyncIterable<Uint8Array>)
      return reply.status(204).send(null)
    },
  })

  app.route({
    method: 'GET',
    url: '/v2/images/:imageId/file',
    schema: {
      operationId: 'downloadImageData', tags: ['image data'], params: ImageParams,
      response: { 200: ImageData, 204: NoContent, ...glanceErrors(403, 404) },
    },
    handler: async (request, reply) => {
      const { image, data } = await images.download(request.auth!.owner, request.params.imageId)
      if (data === null) return reply.status(204).send(null)
      if (image.checksumMd5 !== null) reply.header('Content-MD5', image.checksumMd5)
      if (image.sizeBytes !== null) reply.header('Content-Length', image.sizeBytes)
      return reply.status(200).type(OCTET_STREAM).send(Readable.from(data))
    },
  })
}
