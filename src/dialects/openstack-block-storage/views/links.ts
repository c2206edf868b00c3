/**
 * Cinder's links, built from the host the client used and the API version segment of the request:
 * `self` = <base>/v3/<project>/<collection>/<id>, `bookmark` = <base>/<project>/<collection>/<id>, and a
 * `next` link carrying the caller's query with the new marker.
 */
import type { FastifyRequest } from 'fastify'
import { requestBaseUrl } from '../../shared/request-base-url.ts'
import type { Link } from '../schemas/common.ts'

export function apiSegment(request: FastifyRequest): 'v2' | 'v3' {
  return request.url.startsWith('/v2/') ? 'v2' : 'v3'
}

export function resourceLinks(request: FastifyRequest, projectId: string, collection: string, id: string): Link[] {
  const base = requestBaseUrl(request)
  return [
    { href: `${base}/${apiSegment(request)}/${projectId}/${collection}/${id}`, rel: 'self' },
    { href: `${base}/${projectId}/${collection}/${id}`, rel: 'bookmark' },
  ]
}

/** The `<collection>_links` of a page that has more items: the same URL and query, continuing after `lastId`. */
export function nextLinks(request: FastifyRequest, pageSize: number, lastId: string | undefined, hasMore: boolean): Link[] | undefined {
  if (!hasMore || lastId === undefined) return undefined
  const [path, query = ''] = request.url.split('?')
  const params = new URLSearchParams(query)
  params.set('limit', String(pageSize))
  params.set('marker', lastId)
  return [{ href: `${requestBaseUrl(request)}${path}?${params.toString()}`, rel: 'next' }]
}
