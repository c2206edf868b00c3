/**
 * Seed 000: "every API request is answered with 200 OK and a JSON body" with the header. These are the
 * failures no single operation owns: authentication, the appkey, unknown URLs and methods, bodies that
 * are not JSON or too large. Each answers HTTP 200 with its resultCode and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import { buildV1, expectFailure, expectSuccess, projectState, type V1Answer, type V1Fixture } from './v1-fixture.ts'

describe.each(await testEngines())('NHN v1.0 envelope and authentication (%s)', (engine) => {
  let v1: V1Fixture
  let otherAppkey: string
  let otherToken: string

  beforeAll(async () => {
    v1 = await buildV1(engine)
    const { services } = v1.t.gureum
    const other = await services.projects.createProject({ name: 'envelope-other' })
    await services.identity.createUser({ projectId: other.id, name: 'envelope-other-user', password: 'secret-pass-1', role: 'member' })
    otherAppkey = other.appkey
    otherToken = (await services.identity.authenticate({ username: 'envelope-other-user', password: 'secret-pass-1' })).token
  })
  afterAll(async () => v1?.close())

  const refusals: [string, () => Promise<V1Answer>, number, RegExp][] = [
    ['no X-Auth-Token', () => v1.call('GET', `${v1.base}/servers`, { token: null }), -3, /^Permission denied: /],
    ['an empty X-Auth-Token', () => v1.call('GET', `${v1.base}/servers`, { token: '' }), -3, /^Permission denied/],
    ['a token that was never issued', () => v1.call('GET', `${v1.base}/servers/detail`, { token: 'f'.repeat(32) }), -3, /^Permission denied: /],
    ['a token that is no token', () => v1.call('GET', `${v1.base}/servers`, { token: 'hello' }), -3, /^Permission denied: /],
    ['another project\'s token on this appkey', () => v1.call('GET', `${v1.base}/servers`, { token: otherToken }), -3, /appkey/],
    ['this token on another project\'s appkey', () => v1.call('GET', `/v1.0/appkeys/${otherAppkey}/servers`), -3, /appkey/],
    ['this token on an appkey that does not exist', () => v1.call('GET', '/v1.0/appkeys/NoSuchAppkey00000000/servers'), -3, /appkey/],
    ['no token on a create, before its body is read', () => v1.call('PUT', `${v1.base}/servers`, { token: null, rawBody: '{oops' }), -3, /^Permission denied/],
    ['an unknown URL', () => v1.call('GET', `${v1.base}/flavors`), -5, /^Nonexistent: no API at GET /],
    ['an unknown URL outside the API', () => v1.call('GET', '/'), -5, /^Nonexistent: /],
    ['a method the URL does not have', () => v1.call('PATCH', `${v1.base}/servers`), -5, /^Nonexistent: no API at PATCH /],
    ['POST to the create URL (the seed creates with PUT)', () => v1.call('POST', `${v1.base}/servers`, { payload: {} }), -5, /^Nonexistent: /],
    ['malformed JSON', () => v1.call('POST', `${v1.base}/servers/x/action`, { rawBody: '{"os-start": nul' }), -8, /^JSON parsing error: /],
    ['a body that is not JSON', () => v1.call('PUT', `${v1.base}/servers`, { rawBody: 'name=web', headers: { 'content-type': 'text/plain' } }), -4, /^Invalid parameters: body/],
    ['a body over the size limit', () => v1.call('PUT', `${v1.base}/servers`, { payload: { server: { name: 'x'.repeat(1_100_000) } } }), -4, /too large/],
  ]

  it.each(refusals)('%s', async (_name, attempt, resultCode, message) => {
    const before = await projectState(v1.t, v1.owner)
    expectFailure(await attempt(), resultCode, message)
    expect(await projectState(v1.t, v1.owner)).toEqual(before)
  })

  it('answers an unexpected failure with -2 and the request id, telling nothing of the cause', async () => {
    const spy = vi.spyOn(v1.t.gureum.services.servers, 'list').mockRejectedValueOnce(new TypeError('internal detail'))
    try {
      const answer = await v1.call('GET', `${v1.base}/servers`)
      expectFailure(answer, -2, /^UNKNOWN EXCEPTION: request id req-[0-9a-f-]{36}$/)
    } finally {
      spy.mockRestore()
    }
    expectSuccess(await v1.call('GET', `${v1.base}/servers`))
  })

  it('serves the same answers with production serialization (no response validation)', async () => {
    const production = await buildV1(engine, { validateResponses: false })
    try {
      expectSuccess(await production.call('GET', `${production.base}/servers`))
      expectFailure(await production.call('GET', `${production.base}/servers/nope`), -5)
      expectFailure(await production.call('GET', `${production.base}/servers`, { token: null }), -3)
    } finally {
      await production.close()
    }
  })
})
