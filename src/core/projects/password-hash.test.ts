import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './password-hash.ts'

const CHEAP = { N: 1024, r: 8, p: 1 }

describe('password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash with a random salt', async () => {
    const first = await hashPassword('correct horse')
    const second = await hashPassword('correct horse')
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(first).not.toBe(second)
    expect(first).not.toContain('correct horse')
  })

  it('verifies the right password and refuses others', async () => {
    const stored = await hashPassword('correct horse', CHEAP)
    expect(stored.startsWith('scrypt$1024$8$1$')).toBe(true)
    expect(await verifyPassword('correct horse', stored)).toBe(true)
    expect(await verifyPassword('correct horsE', stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
  })

  it('treats Unicode-equivalent spellings as the same password', async () => {
    const stored = await hashPassword('caf\u00e9', CHEAP)
    expect(await verifyPassword('cafe\u0301', stored)).toBe(true)
  })

  it('refuses a tampered or malformed stored hash instead of throwing', async () => {
    const stored = await hashPassword('pw', CHEAP)
    const parts = stored.split('$')
    const flipped = parts[5].startsWith('A') ? `B${parts[5].slice(1)}` : `A${parts[5].slice(1)}`
    expect(await verifyPassword('pw', [...parts.slice(0, 5), flipped].join('$'))).toBe(false)
    expect(await verifyPassword('pw', ['scrypt', '1023', ...parts.slice(2)].join('$'))).toBe(false)
    expect(await verifyPassword('pw', ['scrypt', String(2 ** 30), ...parts.slice(2)].join('$'))).toBe(false)
    expect(await verifyPassword('pw', 'bcrypt$whatever')).toBe(false)
    expect(await verifyPassword('pw', '')).toBe(false)
  })
})
