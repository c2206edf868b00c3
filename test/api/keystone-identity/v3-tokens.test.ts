/**
 * Keystone v3 /v3/auth/tokens as openstackclient, openstacksdk and keystoneauth use it: password and
 * token methods, project scope by id or by name and domain, the token in X-Subject-Token, validation,
 * check and revocation under Keystone's policies. Emulator-only: shapes follow Keystone's v3 API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUTHENTICATION_REQUIRED } from '../../../src/core/projects/auth-context.ts'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import {
  CLIENT_IN_ERROR, createTenant, demoTenant, expectKeystoneError, expectUnauthorized, JSON_HEADERS, postV3Token,
  storedTokensAtEnd, v3PasswordBody, v3TokenBody, v3TokenOf, type Tenant,
} from './keystone-fixture.ts'

const HEX32 = /^[0-9a-f]{32}$/
const DEFAULT_DOMAIN = { id: 'default', name: 'Default' }

function expectedV3Catalog(projectId: string) {
  const entry = (type: string, name: string, url: string) => ({
    id: expect.stringMatching(HEX32), type, name,
    endpoints: ['public', 'internal', 'admin'].map((face) => ({
      id: expect.stringMatching(HEX32), interface: face, region: 'KR1', region_id: 'KR1', url,
    })),
  })
  return [
    entry('identity', 'keystone', 'http://127.0.0.1:5000/v3'),
    entry('compute', 'nova', `http://127.0.0.1:8774/v2/${projectId}`),
    entry('image', 'glance', 'http://127.0.0.1:9292'),
    entry('network', 'neutron', 'http://127.0.0.1:9696'),
    entry('volumev2', 'cinderv2', `http://127.0.0.1:8776/v2/${projectId}`),
    entry('volumev3', 'cinderv3', `http://127.0.0.1:8776/v3/${projectId}`),
    entry('block-storage', 'cinder', `http://127.0.0.1:8776/v3/${projectId}`),
  ]
}

function expectedV3Token(tenant: Tenant, methods: string[], extra: Record<string, unknown> = {}) {
  return {
    token: {
      methods,
      user: { id: tenant.userId, name: tenant.username, domain: DEFAULT_DOMAIN, password_expires_at: null },
      audit_ids: [expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)],
      expires_at: '2026-11-28T12:00:00.000000Z',
      issued_at: '2026-11-28T00:00:00.000000Z',
      project: { id: tenant.projectId, name: tenant.projectName, domain: DEFAULT_DOMAIN },
      is_domain: false,
      roles: [{ id: expect.stringMatching(HEX32), name: 'member' }, { id: expect.stringMatching(HEX32), name: 'reader' }],
      catalog: expectedV3Catalog(tenant.projectId),
      ...extra,
    },
  }
}

describe.each(await testEngines())('Keystone v3 tokens on %s', (engine) => {
  let t: TestGureum
  let demo: Tenant
  let other: Tenant
  let adminToken: string
  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoTenant(t)
    other = await createTenant(t)
    const admin = { username: t.credentials.admin.name, password: t.credentials.admin.password }
    adminToken = (await postV3Token(t, v3PasswordBody(admin))).headers['x-subject-token'] as string
  })
  afterAll(async () => {
    await t.close()
  })

  const validate = (caller: string | undefined, subject: string | undefined, query = '', method: 'GET' | 'HEAD' | 'DELETE' = 'GET') =>
    t.inject('identity', {
      method, url: `/v3/auth/tokens${query}`,
      headers: { ...(caller ? { 'x-auth-token': caller } : {}), ...(subject ? { 'x-subject-token': subject } : {}) },
    })

  it('issues a project-scoped token: 201, the id in X-Subject-Token, Keystone\'s body with the catalog', async () => {
    const response = await postV3Token(t, v3PasswordBody(demo, { project: { id: demo.projectId } }))
    expect(response.statusCode).toBe(201)
    const token = response.headers['x-subject-token'] as string
    expect(token).toMatch(HEX32)
    expect(response.json()).toEqual(expectedV3Token(demo, ['password']))
    const context = await t.gureum.services.identity.validateToken(token)
    expect(context.owner).toMatchObject({ projectId: demo.projectId, userId: demo.userId })
    expect(context.auditId).toBe(response.json().token.audit_ids[0])
  })

  it('accepts every way keystoneauth names the user, domain and project', async () => {
    for (const body of [
      // user by id needs no domain; project by name needs one.
      { auth: { identity: { methods: ['password'], password: { user: { id: demo.userId, password: demo.password } } }, scope: { project: { name: 'demo', domain: { id: 'default' } } } } },
      v3PasswordBody(demo, { project: { name: 'demo', domain: { name: 'default' } } }),
      { auth: { identity: { methods: ['password'], password: { user: { name: 'demo', domain: { id: 'default' }, password: demo.password } } } } },
      v3PasswordBody(demo, 'unscoped'),
      v3PasswordBody(demo),
    ]) {
      const response = await postV3Token(t, body)
      expect(response.statusCode, response.body).toBe(201)
      expect(response.json().token.project.id).toBe(demo.projectId)
      expect(response.json().token.user.id).toBe(demo.userId)
    }
  })

  it('leaves the catalog out with ?nocatalog', async () => {
    const response = await postV3Token(t, v3PasswordBody(demo), '?nocatalog')
    expect(response.statusCode).toBe(201)
    expect(response.json().token).not.toHaveProperty('catalog')
    expect(response.json().token.project.id).toBe(demo.projectId)
  })

  it('re-scopes with the token method, keeping the expiry', async () => {
    const first = await v3TokenOf(t, other)
    await t.clock.advanceAsync(30 * 60 * 1000)
    const response = await postV3Token(t, v3TokenBody(first, { project: { id: other.projectId } }))
    expect(response.statusCode, response.body).toBe(201)
    const second = response.headers['x-subject-token'] as string
    expect(second).toMatch(HEX32)
    expect(second).not.toBe(first)
    const body = response.json()
    expect(body.token.methods).toEqual(['token', 'password'])
    expect(body.token.expires_at).toBe('2026-11-28T12:00:00.000000Z')
    expect(body.token.issued_at).not.toBe('2026-11-28T00:00:00.000000Z')
    expect(body.token.project.id).toBe(other.projectId)
    // Scope by name, or none; another project is a plain 401.
    expect((await postV3Token(t, v3TokenBody(first, { project: { name: other.projectName, domain: { name: 'Default' } } }))).statusCode).toBe(201)
    expect((await postV3Token(t, v3TokenBody(first))).statusCode).toBe(201)
    expectUnauthorized(await postV3Token(t, v3TokenBody(first, { project: { id: demo.projectId } })))
  })

  it('validates a token for its own user and for an admin, echoing X-Subject-Token', async () => {
    const issued = await postV3Token(t, v3PasswordBody(other, { project: { id: other.projectId } }))
    const token = issued.headers['x-subject-token'] as string
    for (const caller of [token, adminToken]) {
      const response = await validate(caller, token)
      expect(response.statusCode).toBe(200)
      expect(response.headers['x-subject-token']).toBe(token)
      expect(response.json()).toEqual({ token: { ...issued.json().token, issued_at: expect.any(String), expires_at: expect.any(String) } })
      expect(response.json().token.audit_ids).toEqual(issued.json().token.audit_ids)
      expect(response.json().token.expires_at).toBe(issued.json().token.expires_at)
    }
    expect((await validate(token, token, '?nocatalog')).json().token).not.toHaveProperty('catalog')
    const head = await validate(token, token, '', 'HEAD')
    expect(head.statusCode).toBe(200)
    expect(head.body).toBe('')
  })

  it('refuses to show another user\'s token (403), unknown tokens (404) and anonymous callers (401)', async () => {
    const own = await v3TokenOf(t, other)
    const demoToken = await v3TokenOf(t, demo)
    expectKeystoneError(await validate(own, demoToken), 403, 'You are not authorized to perform the requested action: identity:validate_token.')
    expectKeystoneError(await validate(own, '0'.repeat(32)), 404, 'Failed to validate token')
    expectKeystoneError(await validate(own, 'garbage'), 404, 'Failed to validate token')
    expectKeystoneError(await validate(own, undefined), 404, 'Failed to validate token')
    expectUnauthorized(await validate(undefined, own))
    expectUnauthorized(await validate('0'.repeat(32), own))
    expect((await validate(own, own, '', 'HEAD')).statusCode).toBe(200)
    expect((await validate(own, demoToken, '', 'HEAD')).statusCode).toBe(403)
  })

  it('revokes: the token stops working everywhere at once; others stay', async () => {
    const victim = await v3TokenOf(t, other)
    const sibling = await v3TokenOf(t, other)
    const demoToken = await v3TokenOf(t, demo)
    // Another user may not revoke it.
    expectKeystoneError(await validate(demoToken, victim, '', 'DELETE'), 403, 'You are not authorized to perform the requested action: identity:revoke_token.')
    expect((await validate(victim, victim)).statusCode).toBe(200)

    const revoked = await validate(sibling, victim, '', 'DELETE')
    expect(revoked.statusCode).toBe(204)
    expect(revoked.body).toBe('')
    expectKeystoneError(await validate(sibling, victim), 404, 'Failed to validate token')
    expectUnauthorized(await validate(victim, sibling))
    await expect(t.gureum.services.identity.validateToken(victim)).rejects.toMatchObject({ kind: 'unauthorized' })
    expectKeystoneError(await validate(sibling, victim, '', 'DELETE'), 404, 'Failed to validate token')
    expect((await validate(sibling, sibling)).statusCode).toBe(200)

    // An admin may revoke anyone's; a token may revoke itself.
    expect((await validate(adminToken, sibling, '', 'DELETE')).statusCode).toBe(204)
    expect((await validate(demoToken, demoToken, '', 'DELETE')).statusCode).toBe(204)
    expectUnauthorized(await validate(demoToken, demoToken))
  })
})

describe.each(await testEngines())('Keystone v3 token errors on %s', (engine) => {
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

  it('answers every credential and scope failure with the same 401, naming nothing', async () => {
    const disabledProject = await createTenant(t)
    await t.gureum.services.projects.updateProject(disabledProject.projectId, { enabled: false })
    const user = (name: string, password: string, domain: object = { name: 'Default' }) =>
      ({ auth: { identity: { methods: ['password'], password: { user: { name, domain, password } } } } })
    for (const body of [
      user('demo', 'wrong'),
      user('nobody', demo.password),
      user('demo', demo.password, { name: 'Elsewhere' }),
      user('demo', demo.password, { id: 'elsewhere' }),
      { auth: { identity: { methods: ['password'], password: { user: { id: '0'.repeat(32), password: demo.password } } } } },
      v3PasswordBody(demo, { project: { id: other.projectId } }),
      v3PasswordBody(demo, { project: { name: other.projectName, domain: { name: 'Default' } } }),
      v3PasswordBody(demo, { project: { id: '0'.repeat(32) } }),
      v3PasswordBody(demo, { project: { name: 'demo', domain: { name: 'Elsewhere' } } }),
      v3PasswordBody(demo, { domain: { id: 'default' } }),
      v3PasswordBody(demo, { system: { all: true } }),
      v3PasswordBody(disabledProject),
      { auth: { identity: { methods: ['token'], token: { id: 'f'.repeat(32) } } } },
    ]) {
      expectUnauthorized(await postV3Token(t, body))
    }
  })

  it('refuses auth methods it does not offer with Keystone\'s 401', async () => {
    const body = { auth: { identity: { methods: ['totp'], totp: { user: { id: demo.userId, passcode: '123456' } } } } }
    expectKeystoneError(await postV3Token(t, body), 401, 'Attempted to authenticate with an unsupported method.')
    const appCred = { auth: { identity: { methods: ['application_credential'], application_credential: { id: 'x', secret: 'y' } } } }
    expectKeystoneError(await postV3Token(t, appCred), 401, 'Attempted to authenticate with an unsupported method.')
  })

  it('answers malformed requests with Keystone\'s 400', async () => {
    const post = (payload: string) => t.inject('identity', { method: 'POST', url: '/v3/auth/tokens', headers: JSON_HEADERS, payload })
    const cases: [unknown, string | RegExp][] = [
      [{}, 'Invalid input for body: \'auth\' is a required property'],
      [{ auth: {} }, 'Invalid input for field \'auth\': \'identity\' is a required property'],
      [{ auth: { identity: {} } }, 'Invalid input for field \'auth/identity\': \'methods\' is a required property'],
      [{ auth: { identity: { methods: 'password' } } }, 'Invalid input for field \'auth/identity/methods\': must be array'],
      [{ auth: { identity: { methods: [] } } }, `Expecting to find methods in identity. ${CLIENT_IN_ERROR}`],
      [{ auth: { identity: { methods: ['password'] } } }, `Expecting to find password in identity. ${CLIENT_IN_ERROR}`],
      [{ auth: { identity: { methods: ['password'], password: {} } } }, `Expecting to find user in password. ${CLIENT_IN_ERROR}`],
      [{ auth: { identity: { methods: ['password'], password: { user: { password: 'x' } } } } }, `Expecting to find id or name in user. ${CLIENT_IN_ERROR}`],
      [{ auth: { identity: { methods: ['password'], password: { user: { name: 'demo', password: 'x' } } } } }, `Expecting to find domain in user. ${CLIENT_IN_ERROR}`],
      [{ auth: { identity: { methods: ['password'], password: { user: { name: 'demo', domain: {} , password: 'x' } } } } }, `Expecting to find id or name in domain. ${CLIENT_IN_ERROR}`],
      [{ auth: { identity: { methods: ['password'], password: { user: { name: 'demo', domain: { name: 'Default' } } } } } }, `Expecting to find password in user. ${CLIENT_IN_ERROR}`],
      [{ auth: { identity: { methods: ['password'], password: { user: { name: 'demo', domain: { name: 'Default' }, password: 1234 } } } } },
        'Invalid input for field \'auth/identity/password/user/password\': must be string'],
      [{ auth: { identity: { methods: ['password'], password: { user: { name: ['demo'], domain: { name: 'Default' }, password: 'x' } } } } },
        'Invalid input for field \'auth/identity/password/user/name\': must be string'],
      [{ auth: { identity: { methods: ['token'] } } }, `Expecting to find token in identity. ${CLIENT_IN_ERROR}`],
      [{ auth: { identity: { methods: ['token'], token: {} } } }, 'Invalid input for field \'auth/identity/token\': \'id\' is a required property'],
      [v3PasswordBody(demo, {}), `Expecting to find project, domain, OS-TRUST:trust or system in scope. ${CLIENT_IN_ERROR}`],
      [v3PasswordBody(demo, 'everything'), `Expecting to find project, domain, OS-TRUST:trust or system in scope. ${CLIENT_IN_ERROR}`],
      [v3PasswordBody(demo, { project: { id: demo.projectId }, domain: { id: 'default' } }), `Expecting to find project, domain, OS-TRUST:trust or system in scope. ${CLIENT_IN_ERROR}`],
      [v3PasswordBody(demo, { project: {} }), `Expecting to find id or name in project. ${CLIENT_IN_ERROR}`],
      [v3PasswordBody(demo, { project: { name: 'demo' } }), `Expecting to find domain in project. ${CLIENT_IN_ERROR}`],
      [v3PasswordBody(demo, { project: { id: 42 } }), 'Invalid input for field \'auth/scope/project/id\': must be string'],
    ]
    for (const [body, message] of cases) expectKeystoneError(await post(JSON.stringify(body)), 400, message)
    expectKeystoneError(await post('{"auth":'), 400, `Expecting to find valid JSON in request body. ${CLIENT_IN_ERROR}`)
    expectKeystoneError(await post('"auth"'), 400, 'Invalid input for body: must be object')
  })

  it('none of the failures stored a token', async () => {
    expect(await storedTokensAtEnd(t)).toBe(0)
  })
})

describe.each(await testEngines())('Keystone v3 token lifetime on %s', (engine) => {
  let t: TestGureum
  beforeAll(async () => {
    t = await buildTestGureum({ engine })
  })
  afterAll(async () => {
    await t.close()
  })

  it('a token expires after 12 hours: 401 as a caller, 404 as a subject, no re-scope', async () => {
    const demo = await demoTenant(t)
    const token = await v3TokenOf(t, demo)
    const headers = (caller: string, subject: string) => ({ 'x-auth-token': caller, 'x-subject-token': subject })
    await t.clock.advanceAsync(12 * 60 * 60 * 1000)
    const fresh = await v3TokenOf(t, demo)
    const asCaller = await t.inject('identity', { method: 'GET', url: '/v3/auth/tokens', headers: headers(token, fresh) })
    expectKeystoneError(asCaller, 401, AUTHENTICATION_REQUIRED)
    const asSubject = await t.inject('identity', { method: 'GET', url: '/v3/auth/tokens', headers: headers(fresh, token) })
    expectKeystoneError(asSubject, 404, 'Failed to validate token')
    expectUnauthorized(await postV3Token(t, v3TokenBody(token)))
    expect((await t.inject('identity', { method: 'GET', url: '/v3/auth/tokens', headers: headers(fresh, fresh) })).statusCode).toBe(200)
  })
})
