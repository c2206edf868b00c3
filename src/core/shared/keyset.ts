/**
 * Keyset pagination shared by every list: items are ordered by (created_at, id) and a page continues
 * strictly after the marker item's pair, so inserts between two page reads neither repeat nor skip
 * items. The marker must name an item the caller may list: as in Nova, Neutron, Cinder and Glance, an
 * unknown marker (or one from another project) is a bad request, not an empty page.
 */
import { badRequest } from './errors.ts'
import type { Page, PageRequest } from './page.ts'

/** Position in a (createdAt, id) ordered list: the last item of the previous page. */
export interface ListCursor {
  readonly createdAt: Date
  readonly id: string
}

/** NHN's documented maximum page size, which the Neutron- and Keystone-style lists share. */
export const MAX_LIST_LIMIT = 1000

/** A page of at most MAX_LIST_LIMIT items, oldest first. */
export interface KeysetRequest {
  readonly limit: number
  /** Continue strictly after this item; null for the first page. */
  readonly after: ListCursor | null
}

/** Cinder and Glance list newest first by default; Nova-style callers ask for oldest first. */
export type SortDirection = 'asc' | 'desc'

/** A page whose size the caller chooses freely, in either direction (Cinder, Glance). */
export interface DirectedKeysetRequest {
  /** Rows to fetch: one more than the page size, to learn whether more follow. */
  readonly fetch: number
  readonly after: ListCursor | null
  readonly direction: SortDirection
}

export type FindMarker = (id: string) => Promise<ListCursor | null>

/** Validates a page request (a positive limit, capped at MAX_LIST_LIMIT) and finds where it continues. */
export async function keysetRequest(page: PageRequest, findMarker: FindMarker): Promise<KeysetRequest> {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) throw badRequest('limit must be a positive integer', 'limit')
  const limit = Math.min(page.limit, MAX_LIST_LIMIT)
  return { limit, after: await markerCursor(page, findMarker, (marker) => `marker ${marker} could not be found`) }
}

/** Validates a page request of any non-negative size and finds where it continues, in `direction`. */
export async function directedKeysetRequest(
  page: PageRequest,
  direction: SortDirection,
  findMarker: FindMarker,
): Promise<DirectedKeysetRequest> {
  if (!Number.isInteger(page.limit) || page.limit < 0) throw badRequest('limit must be a non-negative integer', 'limit')
  // Cinder's and Glance's wording.
  const after = await markerCursor(page, findMarker, (marker) => `marker [${marker}] not found`)
  return { fetch: page.limit + 1, after, direction }
}

async function markerCursor(
  page: PageRequest,
  findMarker: FindMarker,
  notFound: (marker: string) => string,
): Promise<ListCursor | null> {
  if (page.marker === null) return null
  const marker = await findMarker(page.marker)
  if (!marker) throw badRequest(notFound(page.marker), 'marker')
  return { createdAt: marker.createdAt, id: marker.id }
}

/** The first `limit` rows of a fetch of limit + 1, and whether more follow. */
export function toPage<T>(rows: readonly T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit }
}
