import type { DialectApp } from '../../shared/listener.ts'
import { baseUrl } from '../links.ts'
import { errorResponses } from '../schemas/common.ts'
import { ResourceList, VersionList } from '../schemas/versions.ts'

export const API_VERSION = 'v2.0'

/** The core resources `GET /v2.0` names (Neutron lists its core resources there, extensions elsewhere). */
const CORE_RESOURCES = [
  { name: 'subnet', collection: 'subnets' },
  { name: 'network', collection: 'networks' },
  { name: 'port', collection: 'ports' },
] as const

/** `GET /`: the version document, public as in Neutron (clients discover the API with it). */
export function versionRoutes(app: DialectApp): void {
  app.route({
    method: 'GET',
    url: '/',
    schema: { operationId: 'listApiVersions', tags: ['versions'], response: { 200: VersionList } },
    handler: async (request) => ({
      versions: [{ status: 'CURRENT', id: API_VERSION, links: [{ href: `${baseUrl(request)}/${API_VERSION}`, rel: 'self' }] }],
    }),
  })
}

/** `GET /v2.0`: the resources of the version. */
export function resourceListRoutes(api: DialectApp): void {
  api.route({
    method: 'GET',
    url: '/',
    schema: { operationId: 'showApiVersion', tags: ['versions'], response: { 200: ResourceList, ...errorResponses() } },
    handler: async (request) => ({
      resources: CORE_RESOURCES.map(({ name, collection }) => ({
        links: [{ href: `${baseUrl(request)}/${API_VERSION}/${collection}`, rel: 'self' }], name, collection,
      })),
    }),
  })
}
