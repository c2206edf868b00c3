/** Input rules shared by every dialect's server operations (Nova's limits unless a seed says more). */
import { badRequest } from '../shared/errors.ts'

/** Seeds 000–003: at most 10 servers per create request. */
export const MAX_SERVERS_PER_REQUEST = 10
/** Seeds 001/002: user data is at most 65535 bytes once decoded. */
export const MAX_USER_DATA_BYTES = 65535

export function validateServerName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw badRequest('Invalid input for field/attribute name: the name must be a non-empty string.', 'name')
  }
  if (name.length > 255) throw badRequest('Invalid input for field/attribute name: at most 255 characters.', 'name')
  // Nova rejects leading and trailing whitespace and control characters in names.
  if (name !== name.trim() || /[\u0000-\u001f\u007f]/.test(name)) {
    throw badRequest('Invalid input for field/attribute name: no leading/trailing spaces or control characters.', 'name')
  }
  return name
}

export function validateMetadata(metadata: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length < 1 || key.length > 255) {
      throw badRequest('Invalid metadata: keys must be 1 to 255 characters.', 'metadata')
    }
    if (typeof value !== 'string') throw badRequest(`Invalid metadata: the value of ${key} must be a string.`, 'metadata')
    if (value.length > 255) throw badRequest(`Invalid metadata: the value of ${key} is longer than 255 characters.`, 'metadata')
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export function validateUserData(userData: string | null | undefined): void {
  if (userData === null || userData === undefined) return
  const compact = userData.replace(/\s+/g, '')
  if (!BASE64.test(compact)) throw badRequest('Invalid input for field/attribute user_data: not valid base64.', 'user_data')
  if (Buffer.from(compact, 'base64').length > MAX_USER_DATA_BYTES) {
    throw badRequest(`user_data is larger than ${MAX_USER_DATA_BYTES} bytes once decoded.`, 'user_data')
  }
}
