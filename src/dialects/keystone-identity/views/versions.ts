/**
 * Keystone's version documents (keystone/api/discovery.py): `GET /` lists v3 and v2.0 (300 Multiple
 * Choices); `/v3` and `/v2.0` describe one each. keystoneauth and gophercloud discover from these and then
 * use the `self` link, which is built from the request so that it works behind any address.
 */
import type { IdentityVersion, VersionDocument, VersionList } from '../schemas/versions.ts'

export type IdentityVersionId = 'v3' | 'v2.0'

interface VersionFacts {
  readonly id: string
  readonly status: string
  readonly updated: string
  readonly mediaType: string
  readonly documented: boolean
}

const VERSIONS: Readonly<Record<IdentityVersionId, VersionFacts>> = {
  v3: {
    id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z',
    mediaType: 'application/vnd.openstack.identity-v3+json', documented: false,
  },
  // Stable rather than Keystone's late "deprecated": it is NHN Cloud's documented identity API and fully
  // served here, and gophercloud only picks versions marked current, supported or stable.
  'v2.0': {
    id: 'v2.0', status: 'stable', updated: '2014-04-17T00:00:00Z',
    mediaType: 'application/vnd.openstack.identity-v2.0+json', documented: true,
  },
}

export function identityVersion(baseUrl: string, version: IdentityVersionId): IdentityVersion {
  const facts = VERSIONS[version]
  return {
    id: facts.id,
    status: facts.status,
    updated: facts.updated,
    links: [
      { rel: 'self', href: `${baseUrl}/${version}/` },
      ...(facts.documented ? [{ rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' }] : []),
    ],
    'media-types': [{ base: 'application/json', type: facts.mediaType }],
  }
}

export function versionList(baseUrl: string): VersionList {
  return { versions: { values: [identityVersion(baseUrl, 'v3'), identityVersion(baseUrl, 'v2.0')] } }
}

export function versionDocument(baseUrl: string, version: IdentityVersionId): VersionDocument {
  return { version: identityVersion(baseUrl, version) }
}
