import { describe, expect, it } from 'vitest'
import { DomainError, badRequest, conflict, invalidState, notFound, notSupported, quotaExceeded } from '../../core/shared/errors.ts'
import { unauthorized } from '../../core/projects/auth-context.ts'
import { MalformedJsonError } from '../shared/listener.ts'
import { RouteNotFoundError, failureBody, resultOf } from './errors.ts'

const code = (error: unknown) => resultOf(error, 'req-1').resultCode

describe('NHN v1.0 result codes', () => {
  it('maps authentication failures to -3, and a refused token issue to the token range', () => {
    expect(code(unauthorized())).toBe(-3)
    expect(code(new DomainError('forbidden', 'no'))).toBe(-3)
    expect(code(new DomainError('unauthorized', 'bad login', { resource: 'token' }))).toBe(50000)
  })

  it('maps a missing server, volume, attachment or token to -5, a missing referenced resource to its range', () => {
    expect(code(notFound('server', 'x', 'instance'))).toBe(-5)
    expect(code(notFound('volume', 'x'))).toBe(-5)
    expect(code(new DomainError('not_found', 'not attached', { resource: 'volume_attachment' }))).toBe(-5)
    expect(code(notFound('token', 'x'))).toBe(-5)
    expect(code(new DomainError('not_found', 'gone'))).toBe(-5)
    expect(code(notFound('network', 'x'))).toBe(20000)
    expect(code(notFound('subnet', 'x'))).toBe(21000)
    expect(code(notFound('floating_ip', '1.2.3.4'))).toBe(22000)
    expect(code(notFound('security_group', 'web'))).toBe(24000)
    expect(code(notFound('image', 'x'))).toBe(30000)
    expect(code(notFound('flavor', 'x'))).toBe(11000)
  })

  it('maps invalid input to -4, or to the range of the resource it names', () => {
    expect(code(badRequest('name is too long', 'name'))).toBe(-4)
    expect(code(new DomainError('bad_request', 'no such flavor', { resource: 'flavor' }))).toBe(11000)
    expect(code(new DomainError('bad_request', 'zone', { resource: 'availability_zone' }))).toBe(12000)
    expect(code(new DomainError('bad_request', 'key', { resource: 'keypair' }))).toBe(13000)
    expect(code(new DomainError('bad_request', 'image', { resource: 'image' }))).toBe(30000)
    expect(code(new DomainError('forbidden', 'external network', { resource: 'network' }))).toBe(20000)
  })

  it('maps state conflicts to the range of the resource in the wrong state', () => {
    expect(code(invalidState('server', 'x', 'start', 'active'))).toBe(10000)
    expect(code(invalidState('volume', 'x', 'attach', 'in-use'))).toBe(40000)
    expect(code(conflict('volume_attachment', 'already attached'))).toBe(40000)
    expect(code(conflict('floating_ip', 'in use'))).toBe(22000)
    expect(code(conflict('security_group', 'ambiguous'))).toBe(24000)
    expect(code(new DomainError('conflict', 'something'))).toBe(-1)
  })

  it('maps refused quotas to the range of the API that owns the quota', () => {
    expect(code(quotaExceeded('instances', 2, 10, 10))).toBe(10000)
    expect(code(quotaExceeded('cores', 2, 10, 10))).toBe(10000)
    expect(code(quotaExceeded('floating_ips', 1, 50, 50))).toBe(22000)
    expect(code(quotaExceeded('gigabytes', 10, 1000, 1000))).toBe(40000)
    expect(code(new DomainError('quota_exceeded', 'mystery'))).toBe(-1)
  })

  it('maps unsupported operations, bad JSON, schema failures and unknown routes', () => {
    expect(code(notSupported('no'))).toBe(-7)
    expect(code(new MalformedJsonError('Unexpected token'))).toBe(-8)
    expect(code(Object.assign(new Error("body/server must have required property 'name'"), { validation: [{}], statusCode: 400 }))).toBe(-4)
    expect(code(Object.assign(new Error('Request body is too large'), { statusCode: 413 }))).toBe(-4)
    expect(code(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }))).toBe(-4)
    expect(code(new RouteNotFoundError('GET', '/v1.0/nothing?x=1'))).toBe(-5)
  })

  it('answers anything unexpected with -2, naming only the request id', () => {
    const outcome = resultOf(new TypeError('secret internals'), 'req-42')
    expect(outcome).toEqual({ resultCode: -2, resultMessage: 'UNKNOWN EXCEPTION: request id req-42', unexpected: true })
    expect(resultOf(null, 'req-43').resultCode).toBe(-2)
  })

  it('writes messages as "<resultMessage>: <detail>", range codes as FAIL', () => {
    expect(resultOf(notFound('server', 'abc', 'instance'), 'r').resultMessage).toBe('Nonexistent: Instance abc could not be found.')
    expect(resultOf(badRequest('bad'), 'r').resultMessage).toBe('Invalid parameters: bad')
    expect(resultOf(invalidState('server', 's', 'start', 'active'), 'r').resultMessage)
      .toBe("FAIL: Cannot 'start' server s while it is in active")
    expect(resultOf(new RouteNotFoundError('PATCH', '/v1.0/x?y'), 'r').resultMessage).toBe('Nonexistent: no API at PATCH /v1.0/x')
    expect(failureBody(resultOf(notSupported('nope'), 'r')))
      .toEqual({ header: { isSuccessful: false, resultCode: -7, resultMessage: 'Not supported: nope' } })
  })
})
