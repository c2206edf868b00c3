/**
 * Version discovery as keystoneauth and gophercloud read it (emulator-only: the seeds have no identity
 * examples; shapes follow Keystone's keystone/api/discovery.py). Links follow the Host the client used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'

const v3 = (base: string) => ({
  id: 'v3.14',
  status: 'stable',
  updated: '2020-04-07T00:00:00Z',
  links: [{ rel: 'self', href: `${base}/v3/` }],
  'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
})

const v2 = (base: string) => ({
  id: 'v2.0',
  status: 'stable',
  updated: '2014-04-17T00:00:00Z',
  links: [
    { rel: 'self', href: `${base}/v2.0/` },
    { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
  ],
  'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v2.0+json' }],
})

describe.each(await testEngines())('Keystone version discovery on %s', (engine) => {
  let t: TestGureum
  beforeAll(async () => {
    t = await buildTestGureum({ engine })
  })
  afterAll(async () => {
    await t.close()
  })

  it('GET / answers 300 Multiple Choices with v3 and v2.0, without a token', async () => {
    const response = await t.inject('identity', { method: 'GET', url: '/', headers: { host: 'keystone.example:5000' } })
    expect(response.statusCode).toBe(300)
    expect(response.json()).toEqual({ versions: { values: [v3('http://keystone.example:5000'), v2('http://keystone.example:5000')] } })
    expect(response.headers['x-openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/)
  })

  it('GET /v3 and /v2.0 (with or without the slash) describe one version each', async () => {
    for (const url of ['/v3', '/v3/']) {
      const response = await t.inject('identity', { method: 'GET', url })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({ version: v3('http://localhost:80') })
    }
    for (const url of ['/v2.0', '/v2.0/']) {
      const response = await t.inject('identity', { method: 'GET', url })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({ version: v2('http://localhost:80') })
    }
  })

  it('links follow X-Forwarded-Proto behind a TLS proxy', async () => {
    const response = await t.inject('identity', {
      method: 'GET', url: '/v3', headers: { host: 'id.example.com', 'x-forwarded-proto': 'https' },
    })
    expect(response.json().version.links).toEqual([{ rel: 'self', href: 'https://id.example.com/v3/' }])
  })

  it('an unknown path is Keystone\'s 404 body', async () => {
    const response = await t.inject('identity', { method: 'GET', url: '/v4' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({ error: { code: 404, title: 'Not Found', message: 'The resource could not be found.' } })
  })
})
