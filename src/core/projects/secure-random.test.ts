import { describe, expect, it } from 'vitest'
import { ALPHANUMERIC, constantTimeEqual, randomHex, randomString, sha256Hex, UPPERCASE_ALPHANUMERIC } from './secure-random.ts'

describe('randomString', () => {
  it('draws exactly `length` characters from the alphabet', () => {
    for (const length of [1, 20, 257]) {
      const value = randomString(length, UPPERCASE_ALPHANUMERIC)
      expect(value).toHaveLength(length)
      expect(value).toMatch(/^[A-Z0-9]+$/)
    }
    expect(randomString(20, ALPHANUMERIC)).toMatch(/^[A-Za-z0-9]{20}$/)
  })

  it('uses every character of the alphabet and does not favour the first ones', () => {
    const counts = new Map<string, number>()
    for (const char of randomString(62 * 400, ALPHANUMERIC)) counts.set(char, (counts.get(char) ?? 0) + 1)
    expect(counts.size).toBe(62)
    // Modulo bias (256 % 62 = 8) would give the first 8 characters 25% more draws; uniform is ~400 each.
    const first = [...ALPHANUMERIC.slice(0, 8)].reduce((sum, char) => sum + (counts.get(char) ?? 0), 0) / 8
    const rest = [...ALPHANUMERIC.slice(8)].reduce((sum, char) => sum + (counts.get(char) ?? 0), 0) / 54
    expect(first / rest).toBeLessThan(1.12)
  })

  it('rejects an unusable alphabet', () => {
    expect(() => randomString(4, 'a')).toThrow(RangeError)
  })
})

describe('digests and comparison', () => {
  it('randomHex gives twice as many lowercase hex characters as bytes', () => {
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/)
    expect(randomHex(16)).not.toBe(randomHex(16))
  })

  it('sha256Hex matches the known digest', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('constantTimeEqual tells equal strings from different ones of any length', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true)
    expect(constantTimeEqual('secret', 'secreT')).toBe(false)
    expect(constantTimeEqual('secret', 'secret2')).toBe(false)
    expect(constantTimeEqual('', '')).toBe(true)
  })
})
