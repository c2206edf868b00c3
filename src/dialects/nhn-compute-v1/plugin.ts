/**
 * NHN Cloud Compute & Network API v1.0 (seed 000) at the root of the nhnV1 listener:
 * `/v1.0/appkeys/{appkey}/…` with X-Auth-Token, every answer HTTP 200 with the `header` envelope,
 * failures included (errors.ts). Servers are the core's, so they are the same servers the other
 * dialects show.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DialectContext, DialectPlugin } from '../shared/context.ts'
import type { DialectApp } from '../shared/listener.ts'
import { authenticateWith } from './auth.ts'
import { v1ErrorHandler, v1NotFoundHandler } from './errors.ts'
import { ServerReads } from './server-reads.ts'
import { attachmentRoutes } from './routes/attachments.ts'
import { serverActionRoutes } from './routes/server-actions.ts'
import { serverRoutes } from './routes/servers.ts'
import { tokenRoutes } from './routes/tokens.ts'

export const nhnComputeV1: DialectPlugin = async (app: DialectApp, context: DialectContext) => {
  app.setErrorHandler(v1ErrorHandler)
  app.setNotFoundHandler(v1NotFoundHandler)
  tokenRoutes(app, context)

  const authenticate = authenticateWith(context.services.identity)
  const reads = new ServerReads(context.services)
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>() as unknown as DialectApp
    api.addHook('onRequest', authenticate)
    serverRoutes(api, context, reads)
    serverActionRoutes(api, context)
    attachmentRoutes(api, context)
  }, { prefix: '/v1.0/appkeys/:appkey' })
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>() as unknown as DialectApp
    api.addHook('onRequest', authenticate)
    attachmentRoutes(api, context, 'Infrastructure')
  }, { prefix: '/infrastructure/v1.0/appkeys/:appkey' })
}
