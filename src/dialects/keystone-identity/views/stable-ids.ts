import { createHash } from 'node:crypto'

/**
 * Ids for things Keystone stores but Gureum derives (services, endpoints, roles): 32 hex characters like
 * Keystone's, the same on every node and across restarts, so that clients caching them are not confused.
 */
export function stableId(...parts: readonly string[]): string {
  return createHash('sha256').update(`gureum-identity:${parts.join(':')}`).digest('hex').slice(0, 32)
}
