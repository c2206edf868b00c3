/**
 * OpenStack Block Storage (Cinder) v3 and v2, the subset real clients call around a server, at the root
 * of the volume listener: `/v3/{project_id}/…` and `/v2/{project_id}/…` carry the same routes. Version
 * discovery is public; everything else needs a Keystone token whose project is the URL's (another
 * project in the URL is Cinder's 400 "Malformed request url"). Microversions are read on /v3 only, and
 * the OpenAPI document describes /v3 (the /v2 twins are aliases).
 */
import type { DialectContext, DialectPlugin } from '../shared/context.ts'
import type { DialectApp } from '../shared/listener.ts'
import { authenticateToken, sendKeystoneUnauthorized } from '../shared/keystone-token.ts'
import { markAliasRoutes } from '../shared/route-aliases.ts'
import { cinderErrorHandler, sendFault } from './errors.ts'
import { MIN_VERSION, VolumeVersionError, echoVersion, requestedVersion } from './microversion.ts'
import { versionRoutes } from './routes/versions.ts'
import { volumeRoutes } from './routes/volumes.ts'
import { volumeActionRoutes } from './routes/volume-actions.ts'
import { volumeMetadataRoutes } from './routes/volume-metadata.ts'
import { snapshotRoutes } from './routes/snapshots.ts'
import { catalogRoutes } from './routes/catalog.ts'

export const openstackBlockStorage: DialectPlugin = async (app: DialectApp, context: DialectContext) => {
  const identityUrl = context.publicUrls.identity
  app.decorateRequest('volumeApiVersion', { getter: () => MIN_VERSION })
  app.setErrorHandler(cinderErrorHandler(identityUrl))
  app.setNotFoundHandler((_request, reply) => sendFault(reply, 404, 'The resource could not be found.'))
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Openstack-Request-Id', request.id)
  })

  versionRoutes(app)
  for (const major of [3, 2] as const) {
    await app.register(async (api: DialectApp) => {
      api.addHook('onRequest', async (request, reply) => {
        if (major === 3) {
          try {
            Object.defineProperty(request, 'volumeApiVersion', { value: requestedVersion(request.headers['openstack-api-version']), configurable: true })
          } catch (error) {
            if (error instanceof VolumeVersionError) return sendFault(reply, error.statusCode, error.message)
            throw error
          }
          echoVersion(request, reply)
        }
        const auth = await authenticateToken(request, context.services.identity)
        if (!auth) return sendKeystoneUnauthorized(reply, identityUrl)
        const projectId = (request.params as { projectId?: string }).projectId
        if (projectId !== undefined && projectId !== auth.project.id) return sendFault(reply, 400, 'Malformed request url')
        request.auth = auth
      })
      if (major === 2) markAliasRoutes(api, 'V2')
      volumeRoutes(api, context)
      volumeActionRoutes(api, context)
      volumeMetadataRoutes(api, context)
      snapshotRoutes(api, context)
      catalogRoutes(api, context)
    }, { prefix: `/v${major}/:projectId` })
  }
}
