import { badRequest } from '../shared/errors.ts'
import type { PageRequest } from '../shared/page.ts'
import type { KeysetRequest, ListCursor } from './network-repositories.ts'

/** NHN's documented maximum page size. */
export const MAX_LIST_LIMIT = 1000

/**
 * Turns a page request into a keyset request. `findMarker` looks the marker up within what the caller
 * may list, so a marker from another project is refused like an unknown one (a bad request, as in
 * Neutron and Nova, not an empty page).
 */
export async function keysetRequest(
  page: PageRequest,
  findMarker: (id: string) => Promise<ListCursor | null>,
): Promise<KeysetRequest> {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) throw badRequest('limit must be a positive integer', 'limit')
  const limit = Math.min(page.limit, MAX_LIST_LIMIT)
  if (page.marker === null) return { limit, after: null }
  const marker = await findMarker(page.marker)
  if (!marker) throw badRequest(`marker ${page.marker} could not be found`, 'marker')
  return { limit, after: { createdAt: marker.createdAt, id: marker.id } }
}
