/**
 * OpenStack Image service v2 (Glance), the subset real clients call around a server, at the root of the
 * image listener. Version discovery is public; everything under /v2 needs a Keystone token. Errors are
 * Glance's (errors.ts); image data is streamed both ways.
 */
import type { DialectContext, DialectPlugin } from '../shared/context.ts'
import type { DialectApp } from '../shared/listener.ts'
import { MalformedJsonError } from '../shared/listener.ts'
import { authenticateToken, sendKeystoneUnauthorized } from '../shared/keystone-token.ts'
import { glanceErrorHandler, sendGlanceError } from './errors.ts'
import { versionRoutes } from './routes/versions.ts'
import { imageRoutes, JSON_PATCH_TYPE } from './routes/images.ts'
import { imageDataRoutes, OCTET_STREAM } from './routes/image-data.ts'
import { imageTagRoutes } from './routes/image-tags.ts'
import { imageActionRoutes } from './routes/image-actions.ts'
import { imageMemberRoutes } from './routes/image-members.ts'
import { schemaRoutes } from './routes/schemas.ts'

export const openstackImage: DialectPlugin = async (app: DialectApp, context: DialectContext) => {
  const identityUrl = context.publicUrls.identity
  app.setErrorHandler(glanceErrorHandler(identityUrl))
  app.setNotFoundHandler((request, reply) => sendGlanceError(request, reply, 404, 'The resource could not be found.'))
  app.addContentTypeParser(JSON_PATCH_TYPE, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(typeof body === 'string' ? body : body.toString('utf8')))
    } catch (error) {
      done(new MalformedJsonError((error as Error).message), undefined)
    }
  })
  // Image data is handed to the route as the raw stream; the upload route enforces its own size limit.
  app.addContentTypeParser(OCTET_STREAM, (_request, payload, done) => done(null, payload))
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Openstack-Request-Id', request.id)
  })

  versionRoutes(app)
  await app.register(async (api: DialectApp) => {
    api.addHook('onRequest', async (request, reply) => {
      const auth = await authenticateToken(request, context.services.identity)
      if (!auth) return sendKeystoneUnauthorized(reply, identityUrl)
      request.auth = auth
    })
    imageRoutes(api, context)
    imageDataRoutes(api, context)
    imageTagRoutes(api, context)
    imageActionRoutes(api, context)
    imageMemberRoutes(api, context)
    schemaRoutes(api)
  })
}
