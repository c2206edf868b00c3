import { describe, expect, it } from 'vitest'
import { DomainError } from '../shared/errors.ts'
import { ruleIdentity, validateRule, type SecurityGroupRuleInput } from './security-group-rules.ts'

const base: SecurityGroupRuleInput = { securityGroupId: 'g', direction: 'ingress' }

function refusal(input: Partial<SecurityGroupRuleInput>): DomainError {
  try {
    validateRule({ ...base, ...input })
  } catch (error) {
    if (error instanceof DomainError) return error
    throw error
  }
  throw new Error(`accepted ${JSON.stringify(input)}`)
}

describe('validateRule', () => {
  it('normalises a minimal rule: IPv4, any protocol, no ports, no remote', () => {
    expect(validateRule(base)).toEqual({
      direction: 'ingress', ethertype: 'IPv4', protocol: null, portRangeMin: null, portRangeMax: null,
      remoteIpPrefix: null, remoteGroupId: null, description: '',
    })
  })

  it('accepts directions and ethertypes case-insensitively, and only those', () => {
    expect(validateRule({ ...base, direction: 'EGRESS', ethertype: 'ipv6' })).toMatchObject({ direction: 'egress', ethertype: 'IPv6' })
    expect(refusal({ direction: 'inbound' }).field).toBe('direction')
    expect(refusal({ ethertype: 'IPv5' }).field).toBe('ethertype')
  })

  it('takes protocol names, numbers 0-255 and "any"', () => {
    expect(validateRule({ ...base, protocol: 'TCP' }).protocol).toBe('tcp')
    expect(validateRule({ ...base, protocol: 47 }).protocol).toBe('47')
    expect(validateRule({ ...base, protocol: '0' }).protocol).toBe('0')
    expect(validateRule({ ...base, protocol: 'any' }).protocol).toBeNull()
    for (const protocol of ['256', '-1', 'gopher', '06', 1.5]) expect(refusal({ protocol }).kind, String(protocol)).toBe('bad_request')
  })

  it('checks TCP/UDP port ranges: both given, 1..65535, min <= max', () => {
    expect(validateRule({ ...base, protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 })).toMatchObject({ portRangeMin: 22, portRangeMax: 22 })
    expect(validateRule({ ...base, protocol: '17', portRangeMin: 1, portRangeMax: 65535 }).portRangeMax).toBe(65535)
    expect(refusal({ protocol: 'tcp', portRangeMin: 80, portRangeMax: 79 }).kind).toBe('bad_request')
    expect(refusal({ protocol: 'tcp', portRangeMin: 0, portRangeMax: 10 }).message).toContain('port 0')
    expect(refusal({ protocol: 'udp', portRangeMin: 1, portRangeMax: 65536 }).kind).toBe('bad_request')
    expect(refusal({ protocol: 'tcp', portRangeMin: 80 }).kind).toBe('bad_request')
    expect(refusal({ protocol: 'tcp', portRangeMin: 1.5, portRangeMax: 2 }).field).toBe('port_range_min')
  })

  it('reads ICMP type and code from the port range, 0..255, type required with a code', () => {
    expect(validateRule({ ...base, protocol: 'icmp', portRangeMin: 8, portRangeMax: 0 })).toMatchObject({ portRangeMin: 8, portRangeMax: 0 })
    expect(validateRule({ ...base, protocol: 'icmp', portRangeMin: 8 }).portRangeMax).toBeNull()
    expect(refusal({ protocol: 'icmp', portRangeMin: 256 }).field).toBe('port_range_min')
    expect(refusal({ protocol: 'icmp', portRangeMin: 3, portRangeMax: 300 }).field).toBe('port_range_max')
    expect(refusal({ protocol: 'icmp', portRangeMax: 0 }).message).toContain('type')
  })

  it('refuses port ranges without a protocol or for protocols without ports', () => {
    expect(refusal({ portRangeMin: 22, portRangeMax: 22 }).message).toContain('protocol')
    expect(refusal({ protocol: '47', portRangeMin: 1, portRangeMax: 2 }).field).toBe('protocol')
  })

  it('normalises remote prefixes and checks them against the ethertype', () => {
    expect(validateRule({ ...base, remoteIpPrefix: '10.0.0.5/24' }).remoteIpPrefix).toBe('10.0.0.0/24')
    expect(validateRule({ ...base, remoteIpPrefix: '192.168.1.1' }).remoteIpPrefix).toBe('192.168.1.1/32')
    expect(validateRule({ ...base, ethertype: 'IPv6', remoteIpPrefix: '2001:DB8::1/64' }).remoteIpPrefix).toBe('2001:db8::/64')
    expect(refusal({ remoteIpPrefix: '::/0' }).field).toBe('ethertype')
    expect(refusal({ remoteIpPrefix: '10.0.0.0/33' }).field).toBe('remote_ip_prefix')
    expect(refusal({ remoteIpPrefix: '10.0.0.0/8', remoteGroupId: 'other' }).field).toBe('remote_group_id')
  })

  it('bounds the description', () => {
    expect(validateRule({ ...base, description: 'ssh' }).description).toBe('ssh')
    expect(refusal({ description: 'x'.repeat(256) }).field).toBe('description')
  })
})

describe('ruleIdentity', () => {
  it('treats protocol names and numbers, and the all-addresses prefix, as the same rule', () => {
    const tcp = validateRule({ ...base, protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 })
    const six = validateRule({ ...base, protocol: 6, portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' })
    expect(ruleIdentity(tcp)).toBe(ruleIdentity(six))
    expect(ruleIdentity(tcp)).not.toBe(ruleIdentity({ ...tcp, portRangeMax: 23 }))
    expect(ruleIdentity(tcp)).not.toBe(ruleIdentity({ ...tcp, direction: 'egress' }))
    expect(ruleIdentity(tcp)).not.toBe(ruleIdentity({ ...tcp, remoteGroupId: 'g' }))
  })
})
