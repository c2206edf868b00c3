/**
 * Links are built from the address the client used, as Neutron builds them from the request URL
 * (honouring X-Forwarded-Proto), so they work behind any host name or proxy.
 */
import type { FastifyRequest } from 'fastify'

/** Links use the scheme and host the client used; one helper serves every dialect. */
import { requestBaseUrl as baseUrl } from '../shared/request-base-url.ts'

export { baseUrl }

export interface Link {
  readonly href: string
  readonly rel: string
}

/**
 * Neutron's `next` link: the same path and query (filters, fields, limit) with `marker` set to the
 * last item returned and `page_reverse` dropped.
 */
export function nextLink(request: FastifyRequest, lastId: string): Link {
  const [path, query = ''] = request.url.split('?', 2)
  const params = new URLSearchParams(query)
  params.delete('marker')
  params.delete('page_reverse')
  params.append('marker', lastId)
  return { href: `${baseUrl(request)}${path}?${params.toString()}`, rel: 'next' }
}
