/**
 * Links are built from the host the client used (so they work behind any address), as Nova does:
 * `self` = <base>/v2/<tenant>/<collection>/<id>, `bookmark` = <base>/<tenant>/<collection>/<id>.
 */
import type { FastifyRequest } from 'fastify'

/** Links use the scheme and host the client used; one helper serves every dialect. */
import { requestBaseUrl as baseUrl } from '../shared/request-base-url.ts'

export { baseUrl }

/** The version segment the request came in on (`v2` or `v2.1`), kept in self links. */
export function versionSegment(request: FastifyRequest): string {
  return request.url.startsWith('/v2.1/') ? 'v2.1' : 'v2'
}

export interface Link {
  readonly href: string
  readonly rel: 'self' | 'bookmark' | 'next'
}

export function resourceLinks(request: FastifyRequest, tenantId: string, collection: string, id: string): Link[] {
  const base = baseUrl(request)
  return [
    { href: `${base}/${versionSegment(request)}/${tenantId}/${collection}/${id}`, rel: 'self' },
    { href: `${base}/${tenantId}/${collection}/${id}`, rel: 'bookmark' },
  ]
}

export function bookmarkLinks(request: FastifyRequest, tenantId: string, collection: string, id: string): Link[] {
  return [{ href: `${baseUrl(request)}/${tenantId}/${collection}/${id}`, rel: 'bookmark' }]
}

/**
 * Nova's `<collection>_links` (e.g. `flavors_links`): one `next` link repeating the request's query with
 * `marker` set to the last item of this page; none on the last page.
 */
export function nextPageLinks(request: FastifyRequest, tenantId: string, collection: string, lastId: string): Link[] {
  const queryStart = request.url.indexOf('?')
  const query = new URLSearchParams(queryStart < 0 ? '' : request.url.slice(queryStart + 1))
  query.set('marker', lastId)
  return [{ href: `${baseUrl(request)}/${versionSegment(request)}/${tenantId}/${collection}?${query.toString()}`, rel: 'next' }]
}
