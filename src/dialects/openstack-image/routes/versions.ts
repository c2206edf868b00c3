/**
 * Glance's version discovery: `GET /` answers 300 Multiple Choices and `GET /versions` 200, both with
 * the version list and no token needed. Gureum serves the v2 API as Glance v2.5 does (image sharing,
 * deactivation, JSON-patch 2.1); later versions add the import and multi-store APIs it does not have.
 */
import type { FastifyRequest } from 'fastify'
import type { DialectApp } from '../../shared/listener.ts'
import { requestBaseUrl } from '../../shared/request-base-url.ts'
import { VersionList } from '../schemas/versions.ts'

export const CURRENT_VERSION = 'v2.5'
const VERSIONS = ['v2.5', 'v2.4', 'v2.3', 'v2.2', 'v2.1', 'v2.0']

function versionList(request: FastifyRequest) {
  const href = `${requestBaseUrl(request)}/v2/`
  return {
    versions: VERSIONS.map((id) => ({
      id, status: id === CURRENT_VERSION ? 'CURRENT' as const : 'SUPPORTED' as const, links: [{ rel: 'self' as const, href }],
    })),
  }
}

export function versionRoutes(app: DialectApp): void {
  app.route({
    method: 'GET',
    url: '/',
    schema: { operationId: 'listImageApiVersionsRoot', tags: ['versions'], response: { 300: VersionList } },
    handler: async (request, reply) => reply.status(300).send(versionList(request)),
  })
  app.route({
    method: 'GET',
    url: '/versions',
    schema: { operationId: 'listImageApiVersions', tags: ['versions'], response: { 200: VersionList } },
    handler: async (request) => versionList(request),
  })
}
