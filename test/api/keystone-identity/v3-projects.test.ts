/**
 * What a v3 token may read: its catalog and projects (GET /v3/auth/catalog, /v3/auth/projects), a project
 * (GET /v3/projects/{id}) and a user's projects (GET /v3/users/{id}/projects), under Keystone's default
 * policies: one's own, or anything for an admin; a refusal (403) never says whether the thing exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { createTenant, demoTenant, expectKeystoneError, expectUnauthorized, postV3Token, v3PasswordBody, v3TokenOf, type Tenant } from './keystone-fixture.ts'

const BASE = 'http://localhost:80'

function v3Project(tenant: Tenant, description: string) {
  return {
    id: tenant.projectId, name: tenant.projectName, domain_id: 'default', description, enabled: true,
    parent_id: 'default', is_domain: false, tags: [], options: {},
    links: { self: `${BASE}/v3/projects/${tenant.projectId}` },
  }
}

describe.each(await testEngines())('Keystone v3 catalog and projects on %s', (engine) => {
  let t: TestGureum
  let demo: Tenant
  let other: Tenant
  let demoToken: string
  let otherToken: string
  let adminToken: string
  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoTenant(t)
    other = await createTenant(t)
    demoToken = await v3TokenOf(t, demo)
    otherToken = await v3TokenOf(t, other)
    const admin = { username: t.credentials.admin.name, password: t.credentials.admin.password }
    adminToken = (await postV3Token(t, v3PasswordBody(admin))).headers['x-subject-token'] as string
  })
  afterAll(async () => {
    await t.close()
  })

  const get = (url: string, token?: string) => t.inject('identity', { method: 'GET', url, headers: token ? { 'x-auth-token': token } : {} })

  it('GET /v3/auth/catalog is the token\'s catalog', async () => {
    const issued = await postV3Token(t, v3PasswordBody(other))
    const response = await get('/v3/auth/catalog', issued.headers['x-subject-token'] as string)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      catalog: issued.json().token.catalog,
      links: { self: `${BASE}/v3/auth/catalog`, previous: null, next: null },
    })
    expect(response.json().catalog.find((entry: { type: string }) => entry.type === 'compute').endpoints[0].url)
      .toBe(`http://127.0.0.1:8774/v2/${other.projectId}`)
  })

  it('GET /v3/auth/projects lists the one project the user has a role on', async () => {
    const response = await get('/v3/auth/projects', otherToken)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      projects: [v3Project(other, 'second tenant')],
      links: { self: `${BASE}/v3/auth/projects`, previous: null, next: null },
    })
  })

  it('GET /v3/users/{id}/projects: one\'s own, or any user\'s for an admin', async () => {
    const own = await get(`/v3/users/${other.userId}/projects`, otherToken)
    expect(own.statusCode).toBe(200)
    expect(own.json()).toEqual({
      projects: [v3Project(other, 'second tenant')],
      links: { self: `${BASE}/v3/users/${other.userId}/projects`, previous: null, next: null },
    })
    const byAdmin = await get(`/v3/users/${other.userId}/projects`, adminToken)
    expect(byAdmin.json().projects).toEqual([v3Project(other, 'second tenant')])
    const forbidden = 'You are not authorized to perform the requested action: identity:list_user_projects.'
    expectKeystoneError(await get(`/v3/users/${demo.userId}/projects`, otherToken), 403, forbidden)
    expectKeystoneError(await get(`/v3/users/${'0'.repeat(32)}/projects`, otherToken), 403, forbidden)
    expectKeystoneError(await get(`/v3/users/${'0'.repeat(32)}/projects`, adminToken), 404)
  })

  it('GET /v3/projects/{id}: one\'s own, or any project for an admin', async () => {
    const own = await get(`/v3/projects/${demo.projectId}`, demoToken)
    expect(own.statusCode).toBe(200)
    expect(own.json()).toEqual({ project: v3Project(demo, 'Demo project created on first start') })
    expect((await get(`/v3/projects/${other.projectId}`, adminToken)).json()).toEqual({ project: v3Project(other, 'second tenant') })
    const forbidden = 'You are not authorized to perform the requested action: identity:get_project.'
    // Another tenant's project and a project that does not exist get the same answer.
    expectKeystoneError(await get(`/v3/projects/${other.projectId}`, demoToken), 403, forbidden)
    expectKeystoneError(await get(`/v3/projects/${'0'.repeat(32)}`, demoToken), 403, forbidden)
    expectKeystoneError(await get(`/v3/projects/${'0'.repeat(32)}`, adminToken), 404)
  })

  it('every read needs a live token', async () => {
    for (const url of ['/v3/auth/catalog', '/v3/auth/projects', `/v3/projects/${demo.projectId}`, `/v3/users/${demo.userId}/projects`]) {
      expectUnauthorized(await get(url))
      expectUnauthorized(await get(url, 'f'.repeat(32)))
    }
  })
})
