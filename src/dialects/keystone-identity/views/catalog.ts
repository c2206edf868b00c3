/**
 * The service catalog of a token: every OpenStack-style Gureum endpoint, with the project's tenant id
 * where the service puts it in its URL (Nova, Cinder), as NHN Cloud's catalog does. Base URLs come from
 * configuration (the listeners' public URLs); one region; the same URL for every interface.
 */
import type { ListenerName } from '../../shared/context.ts'
import type { V2CatalogEntry, V3CatalogEntry, V3CatalogResponse } from '../schemas/catalog.ts'
import { stableId } from './stable-ids.ts'

export interface CatalogSource {
  readonly publicUrls: Readonly<Record<ListenerName, string>>
  readonly region: string
}

/** One service of the catalog, before either version's shape. */
export interface CatalogService {
  readonly type: string
  readonly name: string
  readonly url: string
}

/** Where the identity entry points: the version the token was asked for. */
export type IdentityPath = 'v3' | 'v2.0'

const INTERFACES = ['public', 'internal', 'admin'] as const

export function catalogServices(source: CatalogSource, projectId: string, identityPath: IdentityPath): CatalogService[] {
  const url = source.publicUrls
  return [
    { type: 'identity', name: 'keystone', url: `${url.identity}/${identityPath}` },
    { type: 'compute', name: 'nova', url: `${url.compute}/v2/${projectId}` },
    { type: 'image', name: 'glance', url: url.image },
    { type: 'network', name: 'neutron', url: url.network },
    { type: 'volumev2', name: 'cinderv2', url: `${url.volume}/v2/${projectId}` },
    { type: 'volumev3', name: 'cinderv3', url: `${url.volume}/v3/${projectId}` },
    { type: 'block-storage', name: 'cinder', url: `${url.volume}/v3/${projectId}` },
  ]
}

export function v2ServiceCatalog(services: readonly CatalogService[], region: string): V2CatalogEntry[] {
  return services.map((service) => ({
    type: service.type,
    name: service.name,
    endpoints: [{
      id: stableId('endpoint', service.type, region),
      region,
      publicURL: service.url,
      internalURL: service.url,
      adminURL: service.url,
    }],
    endpoints_links: [],
  }))
}

export function v3Catalog(services: readonly CatalogService[], region: string): V3CatalogEntry[] {
  return services.map((service) => ({
    id: stableId('service', service.type),
    type: service.type,
    name: service.name,
    endpoints: INTERFACES.map((face) => ({
      id: stableId('endpoint', service.type, region, face),
      interface: face,
      region,
      region_id: region,
      url: service.url,
    })),
  }))
}

export function v3CatalogResponse(catalog: V3CatalogEntry[], selfUrl: string): V3CatalogResponse {
  return { catalog, links: { self: selfUrl, previous: null, next: null } }
}
