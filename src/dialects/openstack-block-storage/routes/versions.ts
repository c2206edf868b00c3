/**
 * Cinder's version discovery: `GET /` answers 300 Multiple Choices with both APIs; `GET /v3/` and
 * `GET /v2/` describe one. No token is needed.
 */
import type { FastifyRequest } from 'fastify'
import type { DialectApp } from '../../shared/listener.ts'
import { requestBaseUrl } from '../../shared/request-base-url.ts'
import { MAX_VERSION, MIN_VERSION, formatVersion } from '../microversion.ts'
import { VersionList } from '../schemas/catalog.ts'

function versionView(request: FastifyRequest, major: 2 | 3) {
  return {
    id: `v${major}.0`,
    status: major === 3 ? 'CURRENT' : 'DEPRECATED',
    version: major === 3 ? formatVersion(MAX_VERSION) : '',
    min_version: major === 3 ? formatVersion(MIN_VERSION) : '',
    updated: major === 3 ? '2021-03-31T00:00:00Z' : '2017-02-25T12:00:00Z',
    links: [
      { href: 'https://docs.openstack.org/', type: 'text/html', rel: 'describedby' },
      { href: `${requestBaseUrl(request)}/v${major}/`, rel: 'self' },
    ],
    'media-types': [{ base: 'application/json', type: `application/vnd.openstack.volume+json;version=${major}` }],
  }
}

export function versionRoutes(app: DialectApp): void {
  app.route({
    method: 'GET',
    url: '/',
    schema: { operationId: 'listVolumeApiVersions', tags: ['versions'], response: { 300: VersionList } },
    handler: async (request, reply) => reply.status(300).send({ versions: [versionView(request, 3), versionView(request, 2)] }),
  })
  for (const major of [3, 2] as const) {
    app.route({
      method: 'GET',
      url: `/v${major}`,
      schema: { operationId: `showVolumeApiV${major}`, tags: ['versions'], response: { 200: VersionList } },
      handler: async (request) => ({ versions: [versionView(request, major)] }),
    })
  }
}
