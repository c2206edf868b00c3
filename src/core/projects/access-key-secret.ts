/**
 * SCP access key secrets are never stored. The secret is re-derived on each request as
 * base64url(HMAC-SHA256(masterKey, accessKey + ':' + salt)); the row keeps only the salt and SHA-256 of
 * the secret. A database dump alone therefore yields no usable secret, and a wrong master key (a data
 * directory moved without its key file) is detected instead of silently producing other secrets.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { constantTimeEqual, randomString, sha256Hex, UPPERCASE_ALPHANUMERIC } from './secure-random.ts'

export const ACCESS_KEY_LENGTH = 20
export const MIN_MASTER_KEY_BYTES = 32
const SALT_BYTES = 16

const ACCESS_KEY_PATTERN = new RegExp(`^[A-Z0-9]{${ACCESS_KEY_LENGTH}}$`)

export function newAccessKeyId(): string {
  return randomString(ACCESS_KEY_LENGTH, UPPERCASE_ALPHANUMERIC)
}

export function isWellFormedAccessKey(value: string): boolean {
  return ACCESS_KEY_PATTERN.test(value)
}

export function newSecretSalt(): string {
  return randomBytes(SALT_BYTES).toString('base64url')
}

export function assertMasterKey(masterKey: Buffer): void {
  if (!Buffer.isBuffer(masterKey) || masterKey.length < MIN_MASTER_KEY_BYTES) {
    throw new RangeError(`the access key master key must be a Buffer of at least ${MIN_MASTER_KEY_BYTES} bytes`)
  }
}

export function deriveSecretKey(masterKey: Buffer, accessKey: string, salt: string): string {
  return createHmac('sha256', masterKey).update(`${accessKey}:${salt}`, 'utf8').digest('base64url')
}

export function secretKeyHash(secretKey: string): string {
  return sha256Hex(secretKey)
}

/** Whether `secretKey` is the one whose hash was stored, compared in constant time. */
export function matchesSecretHash(secretKey: string, storedHash: string): boolean {
  return constantTimeEqual(secretKeyHash(secretKey), storedHash)
}
