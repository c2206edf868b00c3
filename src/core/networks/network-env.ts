import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import { badRequest } from '../shared/errors.ts'
import { cryptoRandomHex, type RandomHex } from './mac-address.ts'

/**
 * What the networking writes need besides the store: the time to stamp and, optionally, the id and
 * randomness source (seeded in simulations; crypto otherwise). The in-transaction helpers take it last.
 */
export interface NetworkEnv {
  readonly clock: Clock
  readonly ids?: IdGenerator
}

export function newId(env: NetworkEnv): string {
  return env.ids?.uuid() ?? crypto.randomUUID()
}

export function macRandom(env: NetworkEnv): RandomHex {
  return env.ids ?? cryptoRandomHex
}

export const MAX_NAME_LENGTH = 255

/** A name or description: a string of at most 255 characters, or undefined when absent. */
export function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.length > MAX_NAME_LENGTH) {
    throw badRequest(`Invalid input for ${field}. Reason: must be a string of at most ${MAX_NAME_LENGTH} characters.`, field)
  }
  return value
}

export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw badRequest(`Invalid input for ${field}. Reason: must be a boolean.`, field)
  return value
}
