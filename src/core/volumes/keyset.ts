/**
 * The keyset a paginated list continues from, shared by the block-storage and image lists: items are
 * ordered by (created_at, id) and a page starts after the marker item's pair, so inserts between two
 * page reads neither repeat nor skip items.
 */
import { badRequest } from '../shared/errors.ts'
import type { Page, PageRequest } from '../shared/page.ts'

export interface ListCursor {
  readonly createdAt: Date
  readonly id: string
}

/** Cinder and Glance list newest first by default; Nova-style callers ask for oldest first. */
export type SortDirection = 'asc' | 'desc'

export interface KeysetRequest {
  /** Rows to fetch: one more than the page size, to learn whether more follow. */
  readonly fetch: number
  readonly after: ListCursor | null
  readonly direction: SortDirection
}

/**
 * Validates a page request and finds where it continues. The marker must name an item the caller can
 * list (as in Nova, Cinder and Glance, an unknown marker is a bad request, not an empty page).
 */
export async function keysetRequest(
  page: PageRequest,
  direction: SortDirection,
  findMarker: (id: string) => Promise<ListCursor | null>,
): Promise<KeysetRequest> {
  if (!Number.isInteger(page.limit) || page.limit < 0) throw badRequest('limit must be a non-negative integer', 'limit')
  if (page.marker === null) return { fetch: page.limit + 1, after: null, direction }
  const marker = await findMarker(page.marker)
  if (!marker) throw badRequest(`marker [${page.marker}] not found`, 'marker')
  return { fetch: page.limit + 1, after: { createdAt: marker.createdAt, id: marker.id }, direction }
}

export function toPage<T>(rows: readonly T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit }
}
