/**
 * Every /_admin route needs an admin: an admin's token or HTTP Basic credentials. Others are refused
 * before their body is even read, so an anonymous caller cannot probe what a body should hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'

describe('/_admin authentication', () => {
  let t: TestGureum
  beforeAll(async () => {
    t = await buildTestGureum()
  })
  afterAll(async () => t.close())

  it('answers 401 to an anonymous request, whatever its body', async () => {
    for (const payload of [undefined, '{"broken": ', '{"seconds": "soon"}']) {
      const response = await t.inject('console', {
        method: 'POST', url: '/_admin/clock/advance', payload, headers: payload ? { 'content-type': 'application/json' } : {},
      })
      expect(response.statusCode, String(payload)).toBe(401)
      expect(response.headers['www-authenticate']).toBe('Basic realm="gureum-admin"')
    }
  })

  it('answers 403 to a member token and serves an admin, by token or HTTP Basic', async () => {
    const { identity } = t.gureum.services
    const member = (await identity.authenticate({ username: t.credentials.user.name, password: t.credentials.user.password })).token
    expect((await t.inject('console', { method: 'GET', url: '/_admin/hosts', headers: { 'x-auth-token': member } })).statusCode).toBe(403)

    const admin = (await identity.authenticate({ username: t.credentials.admin.name, password: t.credentials.admin.password })).token
    expect((await t.inject('console', { method: 'GET', url: '/_admin/hosts', headers: { 'x-auth-token': admin } })).statusCode).toBe(200)
    const basic = Buffer.from(`${t.credentials.admin.name}:${t.credentials.admin.password}`).toString('base64')
    expect((await t.inject('console', { method: 'GET', url: '/_admin/hosts', headers: { authorization: `Basic ${basic}` } })).statusCode).toBe(200)
    const malformed = await t.inject('console', {
      method: 'POST', url: '/_admin/clock/advance', payload: '{"broken": ', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    })
    expect(malformed.statusCode).toBe(400)
  })
})
