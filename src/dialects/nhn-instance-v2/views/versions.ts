/**
 * Nova's version documents (nova/api/openstack/compute/views/versions.py): `GET /` lists both API
 * versions with a self link each; `/v2` and `/v2.1` describe one, adding the docs link and media types.
 *
 * Both advertise the microversions this dialect serves (2.1 to MAX_MICROVERSION; seed 003's example says
 * "2.3" for v2.1 and "" for v2.0). Nova's legacy /v2 has none, but here /v2 is the same API as /v2.1 and
 * honours microversion headers; and NHN's catalog URL is /v2/{tenantId}, so keystoneauth discovers through
 * `/v2/` and novaclient through the tenant URL: with "" there, openstackclient refuses every option that
 * needs a microversion (`keypair create --type`, `keypair list --limit`) and novaclient falls back to 2.0.
 */
import type { FastifyRequest } from 'fastify'
import { formatMicroversion, MAX_MICROVERSION, MIN_MICROVERSION } from '../microversion.ts'
import { baseUrl } from '../links.ts'
import type { VersionDocument, VersionList, VersionSummary } from '../schemas/versions.ts'

export type ApiVersionId = 'v2.0' | 'v2.1'

interface ApiVersion {
  readonly id: ApiVersionId
  /** The path segment the version is served under. */
  readonly segment: 'v2' | 'v2.1'
  readonly status: 'SUPPORTED' | 'CURRENT'
  readonly version: string
  readonly minVersion: string
  readonly updated: string
  readonly mediaType: string
}

const API_VERSIONS: readonly ApiVersion[] = [
  {
    id: 'v2.0', segment: 'v2', status: 'SUPPORTED', version: formatMicroversion(MAX_MICROVERSION),
    minVersion: formatMicroversion(MIN_MICROVERSION), updated: '2011-01-21T11:33:21Z',
    mediaType: 'application/vnd.openstack.compute+json;version=2',
  },
  {
    id: 'v2.1', segment: 'v2.1', status: 'CURRENT', version: formatMicroversion(MAX_MICROVERSION),
    minVersion: formatMicroversion(MIN_MICROVERSION), updated: '2013-07-23T11:33:21Z',
    mediaType: 'application/vnd.openstack.compute+json;version=2.1',
  },
]

function summary(request: FastifyRequest, version: ApiVersion): VersionSummary {
  return {
    id: version.id,
    status: version.status,
    version: version.version,
    min_version: version.minVersion,
    updated: version.updated,
    links: [{ href: `${baseUrl(request)}/${version.segment}/`, rel: 'self' }],
  }
}

export function versionList(request: FastifyRequest): VersionList {
  return { versions: API_VERSIONS.map((version) => summary(request, version)) }
}

/** The version a path is under: `/v2.1…` is v2.1, `/v2…` the legacy v2.0 (as Nova's /v2 answers). */
export function versionOfPath(url: string): ApiVersionId {
  return url.startsWith('/v2.1') ? 'v2.1' : 'v2.0'
}

export function versionDocument(request: FastifyRequest, id: ApiVersionId): VersionDocument {
  const version = API_VERSIONS.find((candidate) => candidate.id === id) ?? API_VERSIONS[API_VERSIONS.length - 1]
  const base = summary(request, version)
  return {
    version: {
      ...base,
      links: [...base.links, { href: 'https://docs.openstack.org/', rel: 'describedby', type: 'text/html' }],
      'media-types': [{ base: 'application/json', type: version.mediaType }],
    },
  }
}
