import { describe, expect, it } from 'vitest'
import { formatIpv6, normalizeIpv6Cidr, parseIpv6 } from './ipv6.ts'

describe('IPv6 for security group prefixes', () => {
  it('parses full and compressed forms', () => {
    expect(parseIpv6('::')).toBe(0n)
    expect(parseIpv6('::1')).toBe(1n)
    expect(parseIpv6('2001:db8::1')).toBe(0x20010db8000000000000000000000001n)
    expect(parseIpv6('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe(parseIpv6('2001:db8::1'))
  })

  it('refuses malformed addresses', () => {
    for (const text of ['', ':::', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', 'g::', '1:2:3:4:5:6:7:8::']) {
      expect(parseIpv6(text), text).toBeNull()
    }
  })

  it('formats canonically (RFC 5952)', () => {
    expect(formatIpv6(0n)).toBe('::')
    expect(formatIpv6(parseIpv6('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1')
    expect(formatIpv6(parseIpv6('2001:db8:0:1:1:1:1:1')!)).toBe('2001:db8:0:1:1:1:1:1')
    expect(formatIpv6(parseIpv6('fe80::')!)).toBe('fe80::')
  })

  it('normalizes prefixes, clearing host bits', () => {
    expect(normalizeIpv6Cidr('::/0')).toBe('::/0')
    expect(normalizeIpv6Cidr('2001:DB8::1/64')).toBe('2001:db8::/64')
    expect(normalizeIpv6Cidr('2001:db8::1/129')).toBeNull()
    expect(normalizeIpv6Cidr('2001:db8::1')).toBeNull()
  })
})
