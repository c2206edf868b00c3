import { describe, expect, it } from 'vitest'
import { generateMacAddress } from './mac-address.ts'

describe('generateMacAddress', () => {
  it('puts the random bytes after the fa:16:3e prefix', () => {
    expect(generateMacAddress({ hex: () => '0a1B2c' })).toBe('fa:16:3e:0a:1b:2c')
  })

  it('asks the source for six hex digits and refuses anything else', () => {
    const asked: number[] = []
    generateMacAddress({ hex: (length) => { asked.push(length); return 'ffffff' } })
    expect(asked).toEqual([6])
    expect(() => generateMacAddress({ hex: () => 'xyz123' })).toThrow(/6 hex digits/)
    expect(() => generateMacAddress({ hex: () => 'abc' })).toThrow(/6 hex digits/)
  })

  it('draws from crypto by default', () => {
    const macs = new Set(Array.from({ length: 50 }, () => generateMacAddress()))
    for (const mac of macs) expect(mac).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/)
    expect(macs.size).toBeGreaterThan(45)
  })
})
