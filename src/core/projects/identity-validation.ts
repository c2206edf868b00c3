/** Input checks shared by the identity services; each failure names the offending field. */
import { badRequest } from '../shared/errors.ts'
import type { PageRequest } from '../shared/page.ts'

export const DEFAULT_LIST_LIMIT = 100

export function requireName(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value !== value.trim()) {
    throw badRequest(`${field} must be a non-empty string without leading or trailing spaces`, field)
  }
  if (value.length > maxLength) throw badRequest(`${field} must be at most ${maxLength} characters`, field)
  return value
}

export function optionalText(value: unknown, field: string, maxLength: number): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`, field)
  if (value.length > maxLength) throw badRequest(`${field} must be at most ${maxLength} characters`, field)
  return value
}

export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw badRequest(`${field} must be a boolean`, field)
  return value
}

export function optionalSeconds(value: unknown, field: string): number | null | undefined {
  if (value === undefined || value === null) return value
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw badRequest(`${field} must be a non-negative whole number of seconds or null`, field)
  }
  return value as number
}

export const FIRST_PAGE: PageRequest = { limit: DEFAULT_LIST_LIMIT, marker: null }
