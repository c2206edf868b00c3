import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import { buildV1, expectFailure, expectShape, expectSuccess, fillSample, projectState, sample, type V1Fixture } from './v1-fixture.ts'

const SECONDS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
const MICROSECONDS_NO_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/
const TWELVE_HOURS_MS = 12 * 60 * 60 * 1000

describe.each(await testEngines())('NHN v1.0 Token API (%s)', (engine) => {
  let v1: V1Fixture
  let password: string

  beforeAll(async () => {
    v1 = await buildV1(engine)
    password = v1.t.credentials.user.password
  })
  afterAll(async () => v1?.close())

  const issue = (auth: unknown, appkey = v1.appkey) =>
    v1.call('POST', `/v1.0/appkeys/${appkey}/tokens`, { token: null, payload: auth })

  it('doc-verified: issues a token for the user name and API password', async () => {
    const answer = await issue(fillSample('token-issue.request', { 'User Name': 'demo', 'API Password': password }))
    expectSuccess(answer)
    expectShape(answer, sample('token.response'))
    const { token, user } = answer.access
    expect(token.id).toMatch(/^[0-9a-f]{32}$/)
    expect(token.expires).toMatch(SECONDS_UTC)
    expect(token.issued_at).toMatch(MICROSECONDS_NO_ZONE)
    expect(token.issued_at).toBe('2026-11-28T00:00:00.000000')
    // The core's lifetime (12 h), not the 1 h of the seed's example (docs/compat/nhn-compute-v1.md).
    expect(Date.parse(token.expires) - Date.parse(`${token.issued_at.slice(0, 19)}Z`)).toBe(TWELVE_HOURS_MS)
    const demo = await v1.t.gureum.services.identity.getUserByName('demo')
    expect(user).toEqual({ id: demo.id, roles: [{ name: 'member' }] })
  })

  it('doc-verified: shows a token at the seed path /v1.0/appkey/… and at /v1.0/appkeys/…, without X-Auth-Token', async () => {
    const issued = (await issue({ auth: { username: 'demo', password } })).access
    for (const segment of ['appkey', 'appkeys']) {
      const answer = await v1.call('GET', `/v1.0/${segment}/${v1.appkey}/tokens/${issued.token.id}`, { token: null })
      expectSuccess(answer)
      expectShape(answer, sample('token.response'))
      expect(answer.access).toEqual(issued)
    }
  })

  it('understands the token re-dashed as a UUID, and answers with the one form every dialect takes', async () => {
    const id: string = (await issue({ auth: { username: 'demo', password } })).access.token.id
    const dashed = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`.toUpperCase()
    const info = await v1.call('GET', `/v1.0/appkey/${v1.appkey}/tokens/${dashed}`, { token: null })
    expect(info.access.token.id).toBe(id)
    expectSuccess(await v1.call('GET', `${v1.base}/servers`, { token: dashed }))
  })

  it('refuses a wrong password, an unknown user and another project\'s appkey alike, in the Token API range', async () => {
    const before = await projectState(v1.t, v1.owner)
    const admin = v1.t.credentials.admin
    const attempts = [
      issue({ auth: { username: 'demo', password: `${password}x` } }),
      issue({ auth: { username: 'nobody', password } }),
      issue({ auth: { username: admin.name, password: admin.password } }),
      issue({ auth: { username: 'demo', password } }, 'AAAAAAAAAAAAAAAAAAAA'),
    ]
    const answers = await Promise.all(attempts)
    for (const answer of answers) expectFailure(answer, 50000, /^FAIL: /)
    expect(new Set(answers.map((answer) => answer.header.resultMessage)).size).toBe(1)
    expect(await projectState(v1.t, v1.owner)).toEqual(before)
  })

  it('answers -4 for missing fields or wrong types and -8 for malformed JSON', async () => {
    expectFailure(await issue({}), -4, /^Invalid parameters: body must have required property 'auth'/)
    expectFailure(await issue({ auth: { username: 'demo' } }), -4, /password/)
    expectFailure(await issue({ auth: { username: 'demo', password: { secret: 1 } } }), -4, /password/)
    expectFailure(await issue({ auth: 'demo' }), -4)
    expectFailure(await v1.call('POST', `${v1.base}/tokens`, { token: null }), -4)
    expectFailure(await v1.call('POST', `${v1.base}/tokens`, { token: null, rawBody: '{"auth": {"username": "demo",' }), -8,
      /^JSON parsing error: /)
  })

  it('answers -5 for an unknown token, another appkey\'s token and an expired token', async () => {
    const other = await v1.t.gureum.services.projects.createProject({ name: 'token-other' })
    await v1.t.gureum.services.identity.createUser({ projectId: other.id, name: 'token-other-user', password: 'secret-pass-1', role: 'member' })
    const foreign = (await issue({ auth: { username: 'token-other-user', password: 'secret-pass-1' } }, other.appkey)).access.token.id
    expectFailure(await v1.call('GET', `/v1.0/appkey/${v1.appkey}/tokens/${'0'.repeat(32)}`, { token: null }), -5, /^Nonexistent: /)
    expectFailure(await v1.call('GET', `/v1.0/appkey/${v1.appkey}/tokens/not-a-token`, { token: null }), -5)
    expectFailure(await v1.call('GET', `/v1.0/appkey/${v1.appkey}/tokens/${foreign}`, { token: null }), -5)
    expectSuccess(await v1.call('GET', `/v1.0/appkey/${other.appkey}/tokens/${foreign}`, { token: null }))
  })

  it('accepts tokens from the shared store (Keystone\'s included) and refuses them once expired', async () => {
    const keystone = await v1.t.gureum.services.identity.authenticate({ username: 'demo', password })
    expectSuccess(await v1.call('GET', `${v1.base}/servers`, { token: keystone.token }))
    const fresh = (await issue({ auth: { username: 'demo', password } })).access.token.id
    await expect(v1.t.gureum.services.identity.validateToken(fresh)).resolves.toMatchObject({ project: { id: v1.owner.projectId } })
    const compute = await v1.t.inject('compute', {
      method: 'GET', url: `/v2/${v1.owner.projectId}/servers`, headers: { 'x-auth-token': fresh },
    })
    expect(compute.statusCode).toBe(200)

    v1.t.clock.advance(TWELVE_HOURS_MS)
    expectFailure(await v1.call('GET', `${v1.base}/servers`, { token: fresh }), -3, /^Permission denied: /)
    expectFailure(await v1.call('GET', `/v1.0/appkey/${v1.appkey}/tokens/${fresh}`, { token: null }), -5)
  })
})
