/** Input checks shared by volumes and snapshots, with Cinder's limits. */
import { badRequest } from '../shared/errors.ts'

const MAX_TEXT = 255

export function checkText(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`, field)
  if (value.length > MAX_TEXT) throw badRequest(`${field} must be at most ${MAX_TEXT} characters`, field)
  return value
}

/** Cinder metadata: string keys of 1..255 characters and string values of at most 255. */
export function checkMetadata(
  metadata: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> | undefined {
  if (metadata === undefined) return undefined
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw badRequest('metadata must be an object of strings', 'metadata')
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length < 1 || key.length > MAX_TEXT) throw badRequest('metadata keys must be 1 to 255 characters', 'metadata')
    if (typeof value !== 'string') throw badRequest(`metadata value of ${key} must be a string`, 'metadata')
    if (value.length > MAX_TEXT) throw badRequest(`metadata value of ${key} must be at most 255 characters`, 'metadata')
  }
  return { ...metadata }
}

export function checkSizeGb(sizeGb: number, field = 'size'): number {
  if (!Number.isInteger(sizeGb) || sizeGb < 1) throw badRequest(`${field} must be an integer of at least 1 (GB)`, field)
  return sizeGb
}
