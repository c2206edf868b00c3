/** Conversions every Cinder view and input shares: timestamps, booleans, list paging and sorting. */
import { badRequest } from '../../../core/shared/errors.ts'
import type { PageRequest } from '../../../core/shared/page.ts'

/** Cinder's osapi_max_limit: the page size when none is asked for, and the largest. */
export const MAX_PAGE_SIZE = 1000

/** Cinder's `YYYY-MM-DDThh:mm:ss.ffffff` (no zone). */
export function cinderTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000`
}

const TRUE = new Set(['true', '1', 'yes', 'y', 'on', 't'])
const FALSE = new Set(['false', '0', 'no', 'n', 'off', 'f'])

/** Cinder's strutils.bool_from_string(strict=True) for action and create parameters. */
export function booleanOf(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase()
    if (TRUE.has(lowered)) return true
    if (FALSE.has(lowered)) return false
  }
  throw badRequest(`Invalid value for ${field}: ${JSON.stringify(value)} is not a boolean.`, field)
}

export interface ListParameters {
  readonly limit?: number
  readonly marker?: string
  readonly sort?: string
  readonly sort_key?: string
  readonly sort_dir?: 'asc' | 'desc'
}

export function pageOf(query: ListParameters): PageRequest {
  return { limit: Math.min(query.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE), marker: query.marker ?? null }
}

/**
 * Volumes and snapshots are kept in (created_at, id) order, so created_at (with id as its tie-break)
 * is the sort served, in either direction, newest first by default as Cinder lists; other keys are
 * refused with 400 rather than answered in another order.
 */
export function sortDirectionOf(query: ListParameters): 'asc' | 'desc' {
  if (query.sort !== undefined) {
    if (query.sort_key !== undefined || query.sort_dir !== undefined) {
      throw badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.", 'sort')
    }
    const parts = query.sort.split(',').map((part) => part.trim()).filter((part) => part !== '')
    let direction: 'asc' | 'desc' = 'desc'
    parts.forEach((part, index) => {
      const [key, dir = 'desc'] = part.split(':')
      checkSortKey(key, index > 0)
      if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid sort direction: ${dir}`, 'sort')
      if (index === 0) direction = dir
    })
    return direction
  }
  checkSortKey(query.sort_key ?? 'created_at', false)
  return query.sort_dir ?? 'desc'
}

function checkSortKey(key: string, tieBreak: boolean): void {
  if (key === 'created_at' || (tieBreak && key === 'id')) return
  throw badRequest(`Sorting by ${key} is not supported by this cloud; sort by created_at.`, 'sort')
}
