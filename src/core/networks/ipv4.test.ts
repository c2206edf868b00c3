import { describe, expect, it } from 'vitest'
import { DomainError } from '../shared/errors.ts'
import {
  cidrsOverlap, defaultAllocationPool, defaultGateway, formatIpv4, ipInSubnet, isHostOf, parseIpv4, parseIpv4Cidr,
  rangeSize, validateSubnetCidr,
} from './ipv4.ts'

describe('parseIpv4 / formatIpv4', () => {
  it('converts dotted quads to unsigned integers and back', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0)
    expect(parseIpv4('10.0.0.1')).toBe(167772161)
    expect(parseIpv4('255.255.255.255')).toBe(4294967295)
    expect(parseIpv4('192.168.1.200')).toBe(3232235976)
    for (const text of ['1.2.3.4', '172.16.254.1', '255.0.0.255']) expect(formatIpv4(parseIpv4(text)!)).toBe(text)
  })

  it('refuses anything that is not a canonical dotted quad', () => {
    for (const text of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-1', 'a.b.c.d', '1..2.3', ' 1.2.3.4', '1.2.3.4/24']) {
      expect(parseIpv4(text), text).toBeNull()
    }
  })

  it('refuses to format values outside 32 bits', () => {
    expect(() => formatIpv4(-1)).toThrow(RangeError)
    expect(() => formatIpv4(2 ** 32)).toThrow(RangeError)
    expect(() => formatIpv4(1.5)).toThrow(RangeError)
  })
})

describe('parseIpv4Cidr', () => {
  it('parses network, prefix and broadcast', () => {
    expect(parseIpv4Cidr('192.168.0.0/24', true)).toEqual({
      network: parseIpv4('192.168.0.0'), prefixLength: 24, broadcast: parseIpv4('192.168.0.255'), text: '192.168.0.0/24',
    })
    expect(parseIpv4Cidr('0.0.0.0/0', true)?.broadcast).toBe(4294967295)
    expect(parseIpv4Cidr('10.1.2.3/32', true)?.text).toBe('10.1.2.3/32')
  })

  it('clears host bits unless strict', () => {
    expect(parseIpv4Cidr('10.0.0.5/24', false)?.text).toBe('10.0.0.0/24')
    expect(parseIpv4Cidr('10.0.0.5/24', true)).toBeNull()
  })

  it('refuses malformed prefixes', () => {
    for (const text of ['10.0.0.0', '10.0.0.0/', '10.0.0.0/33', '10.0.0.0/08', '10.0.0.0/x', '10.0.0/8']) {
      expect(parseIpv4Cidr(text, false), text).toBeNull()
    }
  })
})

describe('validateSubnetCidr', () => {
  it('accepts /8 to /30 network addresses', () => {
    expect(validateSubnetCidr('10.0.0.0/8').prefixLength).toBe(8)
    expect(validateSubnetCidr('192.168.10.4/30').text).toBe('192.168.10.4/30')
  })

  it.each([
    ['10.0.0.1/24', 'recommended'],
    ['10.0.0.0/7', 'prefix length'],
    ['10.0.0.0/31', 'prefix length'],
    ['10.0.0.0/32', 'prefix length'],
    ['nonsense', 'not a valid'],
    ['10.0.0.0', 'not a valid'],
  ])('refuses %s as bad_request', (text, reason) => {
    let caught: unknown
    try { validateSubnetCidr(text) } catch (error) { caught = error }
    expect(caught).toBeInstanceOf(DomainError)
    expect((caught as DomainError).kind).toBe('bad_request')
    expect((caught as DomainError).field).toBe('cidr')
    expect((caught as DomainError).message).toContain(reason)
  })
})

describe('gateway and allocation pool', () => {
  const cidr = validateSubnetCidr('192.168.0.0/24')

  it('defaults the gateway to the first host and the pool to the hosts after it, before the broadcast', () => {
    const gateway = defaultGateway(cidr)
    expect(formatIpv4(gateway)).toBe('192.168.0.1')
    const pool = defaultAllocationPool(cidr, gateway)
    expect([formatIpv4(pool.start), formatIpv4(pool.end)]).toEqual(['192.168.0.2', '192.168.0.254'])
    expect(rangeSize(pool)).toBe(253)
  })

  it('uses every host when there is no gateway, and the larger side of a gateway in the middle', () => {
    const none = defaultAllocationPool(cidr, null)
    expect([formatIpv4(none.start), formatIpv4(none.end)]).toEqual(['192.168.0.1', '192.168.0.254'])
    const last = defaultAllocationPool(cidr, parseIpv4('192.168.0.254'))
    expect([formatIpv4(last.start), formatIpv4(last.end)]).toEqual(['192.168.0.1', '192.168.0.253'])
    const middle = defaultAllocationPool(cidr, parseIpv4('192.168.0.100'))
    expect([formatIpv4(middle.start), formatIpv4(middle.end)]).toEqual(['192.168.0.101', '192.168.0.254'])
  })

  it('leaves a /30 with exactly one address after the gateway', () => {
    const small = validateSubnetCidr('10.0.0.0/30')
    const pool = defaultAllocationPool(small, defaultGateway(small))
    expect([formatIpv4(pool.start), formatIpv4(pool.end)]).toEqual(['10.0.0.2', '10.0.0.2'])
  })

  it('knows host addresses from network and broadcast', () => {
    expect(isHostOf(cidr, parseIpv4('192.168.0.0')!)).toBe(false)
    expect(isHostOf(cidr, parseIpv4('192.168.0.1')!)).toBe(true)
    expect(isHostOf(cidr, parseIpv4('192.168.0.255')!)).toBe(false)
  })
})

describe('ipInSubnet and overlap', () => {
  it('tests membership for text or integers', () => {
    expect(ipInSubnet('10.0.0.7', '10.0.0.0/29')).toBe(true)
    expect(ipInSubnet('10.0.0.8', '10.0.0.0/29')).toBe(false)
    expect(ipInSubnet(parseIpv4('10.0.0.0')!, validateSubnetCidr('10.0.0.0/29'))).toBe(true)
    expect(ipInSubnet('not-an-ip', '10.0.0.0/29')).toBe(false)
    expect(ipInSubnet('10.0.0.1', 'bad')).toBe(false)
  })

  it('detects overlapping ranges', () => {
    const a = validateSubnetCidr('10.0.0.0/16')
    expect(cidrsOverlap(a, validateSubnetCidr('10.0.5.0/24'))).toBe(true)
    expect(cidrsOverlap(validateSubnetCidr('10.0.5.0/24'), a)).toBe(true)
    expect(cidrsOverlap(a, validateSubnetCidr('10.1.0.0/16'))).toBe(false)
    expect(cidrsOverlap(validateSubnetCidr('10.0.0.0/30'), validateSubnetCidr('10.0.0.4/30'))).toBe(false)
  })
})
