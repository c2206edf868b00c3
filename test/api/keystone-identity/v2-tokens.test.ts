/**
 * Keystone v2.0, as NHN Cloud documents it for the Instance API and as its Terraform provider
 * (gophercloud) and novaclient use it: POST /v2.0/tokens, token re-scope, admin validation and
 * GET /v2.0/tenants. Emulator-only: the seeds point to NHN's identity page without examples (CATALOG
 * §1.2); shapes follow Keystone's v2.0 API and NHN's v1.0 token example for the date forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import {
  CLIENT_IN_ERROR, createTenant, demoTenant, expectKeystoneError, expectUnauthorized, JSON_HEADERS, postV2Token,
  storedTokensAtEnd, v2PasswordBody, type Tenant,
} from './keystone-fixture.ts'

const HEX32 = /^[0-9a-f]{32}$/

/** The v2.0 catalog of a project on a Gureum with default listeners. */
function expectedV2Catalog(base: string, projectId: string) {
  const entry = (type: string, name: string, url: string) => ({
    type, name,
    endpoints: [{ id: expect.stringMatching(HEX32), region: 'KR1', publicURL: url, internalURL: url, adminURL: url }],
    endpoints_links: [],
  })
  return [
    entry('identity', 'keystone', `${base}:5000/v2.0`),
    entry('compute', 'nova', `${base}:8774/v2/${projectId}`),
    entry('image', 'glance', `${base}:9292`),
    entry('network', 'neutron', `${base}:9696`),
    entry('volumev2', 'cinderv2', `${base}:8776/v2/${projectId}`),
    entry('volumev3', 'cinderv3', `${base}:8776/v3/${projectId}`),
    entry('block-storage', 'cinder', `${base}:8776/v3/${projectId}`),
  ]
}

describe.each(await testEngines())('Keystone v2.0 tokens on %s', (engine) => {
  let t: TestGureum
  let demo: Tenant
  let other: Tenant
  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoTenant(t)
    other = await createTenant(t)
  })
  afterAll(async () => {
    await t.close()
  })

  it('issues a token for tenantId + passwordCredentials with NHN\'s full access body', async () => {
    const response = await postV2Token(t, v2PasswordBody(demo, { tenantId: demo.projectId }))
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body).toEqual({
      access: {
        token: {
          id: expect.stringMatching(HEX32),
          expires: '2026-11-28T12:00:00Z',
          issued_at: '2026-11-28T00:00:00.000000',
          audit_ids: [expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)],
          tenant: { id: demo.projectId, name: 'demo', description: 'Demo project created on first start', enabled: true },
        },
        serviceCatalog: expectedV2Catalog('http://127.0.0.1', demo.projectId),
        user: {
          id: demo.userId, name: 'demo', username: 'demo',
          roles: [{ name: 'member' }, { name: 'reader' }],
          roles_links: [],
        },
        metadata: { is_admin: 0, roles: [expect.stringMatching(HEX32), expect.stringMatching(HEX32)] },
      },
    })
    // Ids derived once: the same on the next token, different per service and role.
    const again = (await postV2Token(t, v2PasswordBody(demo, { tenantId: demo.projectId }))).json()
    expect(again.access.serviceCatalog).toEqual(body.access.serviceCatalog)
    expect(again.access.metadata).toEqual(body.access.metadata)
    expect(new Set(body.access.serviceCatalog.map((entry: { endpoints: { id: string }[] }) => entry.endpoints[0].id)).size).toBe(7)
    expect(again.access.token.id).not.toBe(body.access.token.id)
  })

  it('the token is the one every other listener accepts', async () => {
    const { access } = (await postV2Token(t, v2PasswordBody(demo, { tenantId: demo.projectId }))).json()
    const context = await t.gureum.services.identity.validateToken(access.token.id)
    expect(context.owner).toMatchObject({ projectId: demo.projectId, userId: demo.userId, roles: ['member'] })
    expect(context.auditId).toBe(access.token.audit_ids[0])
  })

  it('scopes by tenantName, by nothing (the user\'s project), and logs in by userId', async () => {
    for (const body of [
      v2PasswordBody(demo, { tenantName: 'demo' }),
      v2PasswordBody(demo),
      { auth: { tenantId: demo.projectId, passwordCredentials: { userId: demo.userId, password: demo.password } } },
      // Keystone ignores empty values and unknown members.
      { auth: { tenantId: '', tenantName: 'demo', extra: true, passwordCredentials: { username: 'demo', userId: '', password: demo.password } } },
    ]) {
      const response = await postV2Token(t, body)
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json().access.token.tenant.id).toBe(demo.projectId)
      expect(response.json().access.user.id).toBe(demo.userId)
    }
  })

  it('re-scopes a live token without the password, keeping its expiry', async () => {
    const first = (await postV2Token(t, v2PasswordBody(other))).json().access
    await t.clock.advanceAsync(60 * 60 * 1000)
    const response = await postV2Token(t, { auth: { token: { id: first.token.id }, tenantId: other.projectId } })
    expect(response.statusCode, response.body).toBe(200)
    const { access } = response.json()
    expect(access.token.id).not.toBe(first.token.id)
    expect(access.token.expires).toBe(first.token.expires)
    expect(access.token.issued_at).not.toBe(first.token.issued_at)
    expect(access.token.tenant).toEqual(first.token.tenant)
    expect(access.user).toEqual(first.user)
    expect((await t.gureum.services.identity.validateToken(access.token.id)).user.id).toBe(other.userId)
    // By tenant name too; another tenant is refused like a bad password.
    expect((await postV2Token(t, { auth: { token: { id: first.token.id }, tenantName: other.projectName } })).statusCode).toBe(200)
    expectUnauthorized(await postV2Token(t, { auth: { token: { id: first.token.id }, tenantId: demo.projectId } }))
    expectUnauthorized(await postV2Token(t, { auth: { token: { id: 'f'.repeat(32) }, tenantId: other.projectId } }))
  })

  it('GET /v2.0/tenants lists the token\'s project', async () => {
    const { access } = (await postV2Token(t, v2PasswordBody(other))).json()
    const response = await t.inject('identity', { method: 'GET', url: '/v2.0/tenants', headers: { 'x-auth-token': access.token.id } })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      tenants: [{ id: other.projectId, name: other.projectName, description: 'second tenant', enabled: true }],
      tenants_links: [],
    })
    expectUnauthorized(await t.inject('identity', { method: 'GET', url: '/v2.0/tenants' }))
    expectUnauthorized(await t.inject('identity', { method: 'GET', url: '/v2.0/tenants', headers: { 'x-auth-token': 'f'.repeat(32) } }))
  })

  describe('admin validation GET /v2.0/tokens/{tokenId}', () => {
    let adminToken: string
    let subject: { token: { id: string } }
    beforeAll(async () => {
      const admin = { username: t.credentials.admin.name, password: t.credentials.admin.password }
      adminToken = (await postV2Token(t, v2PasswordBody(admin))).json().access.token.id
      subject = (await postV2Token(t, v2PasswordBody(other))).json().access
    })
    const validate = (tokenId: string, caller: string | undefined, query = '') => t.inject('identity', {
      method: 'GET', url: `/v2.0/tokens/${tokenId}${query}`, headers: caller ? { 'x-auth-token': caller } : {},
    })

    it('shows another user\'s token to an admin, as issued', async () => {
      const response = await validate(subject.token.id, adminToken)
      expect(response.statusCode).toBe(200)
      expect(response.json().access).toEqual(subject)
      expect((await validate(subject.token.id, adminToken, `?belongsTo=${other.projectId}`)).statusCode).toBe(200)
      const head = await t.inject('identity', { method: 'HEAD', url: `/v2.0/tokens/${subject.token.id}`, headers: { 'x-auth-token': adminToken } })
      expect(head.statusCode).toBe(200)
      expect(head.body).toBe('')
    })

    it('refuses non-admins (403), anonymous callers (401), unknown tokens (404) and another tenant in belongsTo (401)', async () => {
      const own = subject.token.id
      expectKeystoneError(await validate(own, own), 403, 'You are not authorized to perform the requested action: identity:validate_token.')
      expectUnauthorized(await validate(own, undefined))
      expectKeystoneError(await validate('0'.repeat(32), adminToken), 404, 'Failed to validate token')
      expectKeystoneError(await validate('not-a-token', adminToken), 404, 'Failed to validate token')
      expectUnauthorized(await validate(own, adminToken, `?belongsTo=${demo.projectId}`))
    })
  })
})

describe.each(await testEngines())('Keystone v2.0 token errors on %s', (engine) => {
  let t: TestGureum
  let demo: Tenant
  let other: Tenant
  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoTenant(t)
    other = await createTenant(t)
  })
  afterAll(async () => {
    await t.close()
  })

  it('answers every credential failure with the same 401, naming nothing', async () => {
    const disabled = await createTenant(t)
    await t.gureum.services.identity.updateUser(disabled.userId, { enabled: false })
    for (const body of [
      v2PasswordBody({ username: 'demo', password: 'wrong' }, { tenantId: demo.projectId }),
      v2PasswordBody({ username: 'nobody', password: demo.password }, { tenantId: demo.projectId }),
      v2PasswordBody(demo, { tenantId: other.projectId }),
      v2PasswordBody(demo, { tenantName: other.projectName }),
      v2PasswordBody(demo, { tenantId: '0'.repeat(32) }),
      v2PasswordBody(demo, { tenantName: 'no-such-tenant' }),
      v2PasswordBody(disabled),
      { auth: { passwordCredentials: { userId: '0'.repeat(32), password: demo.password } } },
      v2PasswordBody({ username: 'demo', password: '' }),
    ]) {
      const response = await postV2Token(t, body)
      expectUnauthorized(response)
    }
  })

  it('answers malformed requests with Keystone\'s 400', async () => {
    const post = (payload: string, headers: Record<string, string> = JSON_HEADERS) =>
      t.inject('identity', { method: 'POST', url: '/v2.0/tokens', headers, payload })
    expectKeystoneError(await post('{"auth": {'), 400, `Expecting to find valid JSON in request body. ${CLIENT_IN_ERROR}`)
    expectKeystoneError(await post(''), 400, 'Invalid input for body: must be object')
    expectKeystoneError(await post('[]'), 400, 'Invalid input for body: must be object')
    expectKeystoneError(await post('{}'), 400, 'Invalid input for body: \'auth\' is a required property')
    expectKeystoneError(await post('{"auth":{}}'), 400, `Expecting to find passwordCredentials in auth. ${CLIENT_IN_ERROR}`)
    expectKeystoneError(await post('{"auth":{"passwordCredentials":{"username":"demo"}}}'), 400,
      `Expecting to find password in passwordCredentials. ${CLIENT_IN_ERROR}`)
    expectKeystoneError(await post('{"auth":{"passwordCredentials":{"password":"x"}}}'), 400,
      `Expecting to find username or userId in passwordCredentials. ${CLIENT_IN_ERROR}`)
    expectKeystoneError(await post('{"auth":{"token":{}}}'), 400, 'Invalid input for field \'auth/token\': \'id\' is a required property')
    expectKeystoneError(await post('{"auth":{"token":{"id":""}}}'), 400, `Expecting to find id in token. ${CLIENT_IN_ERROR}`)
    // Wrong types are refused, not coerced.
    expectKeystoneError(await post(JSON.stringify({ auth: { passwordCredentials: { username: 'demo', password: 12345 } } })), 400,
      'Invalid input for field \'auth/passwordCredentials/password\': must be string')
    expectKeystoneError(await post(JSON.stringify({ auth: { tenantId: 7, passwordCredentials: { username: 'demo', password: 'x' } } })), 400,
      'Invalid input for field \'auth/tenantId\': must be string')
    expectKeystoneError(await post(JSON.stringify({ auth: { passwordCredentials: 'demo:secret' } })), 400,
      'Invalid input for field \'auth/passwordCredentials\': must be object')
    expectKeystoneError(await post(JSON.stringify({ auth: [] })), 400, 'Invalid input for field \'auth\': must be object')
    expectKeystoneError(await post(JSON.stringify(v2PasswordBody({ username: 'x'.repeat(256), password: 'x' }))), 400,
      /^Invalid input for field 'auth\/passwordCredentials\/username'/)
    expectKeystoneError(await post(JSON.stringify(v2PasswordBody({ username: 'demo', password: 'x'.repeat(4097) }))), 400,
      /^Invalid input for field 'auth\/passwordCredentials\/password'/)
    expectKeystoneError(await post('auth=1', { 'content-type': 'application/x-www-form-urlencoded' }), 400,
      `Expecting to find application/json in Content-Type header. ${CLIENT_IN_ERROR}`)
    expectKeystoneError(await post(JSON.stringify({ auth: { padding: 'x'.repeat(1_100_000) } })), 413, 'Request is too large.')
  })

  it('none of the failures stored a token', async () => {
    expect(await storedTokensAtEnd(t)).toBe(0)
  })
})

describe.each(await testEngines())('Keystone v2.0 token lifetime on %s', (engine) => {
  let t: TestGureum
  beforeAll(async () => {
    t = await buildTestGureum({ engine })
  })
  afterAll(async () => {
    await t.close()
  })

  it('a token works for 12 hours and not a moment longer, on every listener', async () => {
    const demo = await demoTenant(t)
    const { access } = (await postV2Token(t, v2PasswordBody(demo, { tenantId: demo.projectId }))).json()
    const tenants = () => t.inject('identity', { method: 'GET', url: '/v2.0/tenants', headers: { 'x-auth-token': access.token.id } })
    await t.clock.advanceAsync(12 * 60 * 60 * 1000 - 1)
    expect((await tenants()).statusCode).toBe(200)
    await t.clock.advanceAsync(1)
    expectUnauthorized(await tenants())
    await expect(t.gureum.services.identity.validateToken(access.token.id)).rejects.toMatchObject({ kind: 'unauthorized' })
    expectUnauthorized(await postV2Token(t, { auth: { token: { id: access.token.id } } }))
  })
})

describe.each(await testEngines())('Keystone v2.0 catalog URLs on %s', (engine) => {
  let t: TestGureum
  beforeAll(async () => {
    t = await buildTestGureum({
      engine,
      config: {
        publicHost: 'cloud.example',
        ports: { identity: 15000, compute: 18774, image: 19292, network: 19696, volume: 18776, nhnV1: 18000, scp: 18090, console: 18080 },
      },
    })
  })
  afterAll(async () => {
    await t.close()
  })

  it('point at the configured public host and listener ports', async () => {
    const demo = await demoTenant(t)
    const { access } = (await postV2Token(t, v2PasswordBody(demo))).json()
    const urls = Object.fromEntries(access.serviceCatalog.map((entry: { type: string; endpoints: { publicURL: string }[] }) =>
      [entry.type, entry.endpoints[0].publicURL]))
    expect(urls).toEqual({
      identity: 'http://cloud.example:15000/v2.0',
      compute: `http://cloud.example:18774/v2/${demo.projectId}`,
      image: 'http://cloud.example:19292',
      network: 'http://cloud.example:19696',
      volumev2: `http://cloud.example:18776/v2/${demo.projectId}`,
      volumev3: `http://cloud.example:18776/v3/${demo.projectId}`,
      'block-storage': `http://cloud.example:18776/v3/${demo.projectId}`,
    })
  })
})
