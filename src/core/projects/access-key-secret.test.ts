import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  assertMasterKey, deriveSecretKey, isWellFormedAccessKey, matchesSecretHash, newAccessKeyId, newSecretSalt,
  secretKeyHash,
} from './access-key-secret.ts'

describe('access key secrets', () => {
  it('access keys are 20 uppercase alphanumeric characters', () => {
    const key = newAccessKeyId()
    expect(key).toMatch(/^[A-Z0-9]{20}$/)
    expect(isWellFormedAccessKey(key)).toBe(true)
    expect(isWellFormedAccessKey('abcdefghij0123456789')).toBe(false)
    expect(isWellFormedAccessKey(`${key}A`)).toBe(false)
  })

  it('derives the same secret from the same master key, key and salt, and another from any change', () => {
    const master = randomBytes(32)
    const key = newAccessKeyId()
    const salt = newSecretSalt()
    const secret = deriveSecretKey(master, key, salt)
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(deriveSecretKey(Buffer.from(master), key, salt)).toBe(secret)
    expect(deriveSecretKey(randomBytes(32), key, salt)).not.toBe(secret)
    expect(deriveSecretKey(master, newAccessKeyId(), salt)).not.toBe(secret)
    expect(deriveSecretKey(master, key, newSecretSalt())).not.toBe(secret)
  })

  it('matches a secret only against its own stored hash', () => {
    const master = randomBytes(32)
    const salt = newSecretSalt()
    const secret = deriveSecretKey(master, 'AAAAAAAAAAAAAAAAAAAA', salt)
    const stored = secretKeyHash(secret)
    expect(stored).not.toContain(secret)
    expect(matchesSecretHash(secret, stored)).toBe(true)
    expect(matchesSecretHash(deriveSecretKey(randomBytes(32), 'AAAAAAAAAAAAAAAAAAAA', salt), stored)).toBe(false)
  })

  it('requires a master key of at least 32 bytes', () => {
    expect(() => assertMasterKey(randomBytes(31))).toThrow(RangeError)
    expect(() => assertMasterKey('x'.repeat(64) as unknown as Buffer)).toThrow(RangeError)
    expect(() => assertMasterKey(randomBytes(32))).not.toThrow()
  })
})
