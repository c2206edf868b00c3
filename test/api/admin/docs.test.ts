/**
 * The console publishes every listener's OpenAPI document: GET /docs lists them, /docs/<name>.json
 * serves one, with the listener's public URL as its server. No credentials are needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { publicUrl } from '../../../src/config.ts'

describe('GET /docs', () => {
  let t: TestGureum
  beforeAll(async () => {
    t = await buildTestGureum({ config: { publicHost: 'cloud.example.test' } })
  })
  afterAll(async () => t.close())

  it('lists one document per dialect listener and the admin API', async () => {
    const response = await t.inject('console', { method: 'GET', url: '/docs' })
    expect(response.statusCode).toBe(200)
    const { documents } = response.json() as { documents: { name: string; title: string; url: string }[] }
    expect(documents.map((document) => document.name).sort()).toEqual(['admin', 'compute', 'identity', 'image', 'network', 'nhnV1', 'volume'])
    expect(documents.find((document) => document.name === 'compute')).toEqual({
      name: 'compute', title: 'NHN Cloud Instance API v2 (Nova compatible) — Gureum', url: '/docs/compute.json',
    })
  })

  it('serves each document with the listener public URL and its routes', async () => {
    const response = await t.inject('console', { method: 'GET', url: '/docs/compute.json' })
    expect(response.statusCode).toBe(200)
    const document = response.json() as { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, { operationId: string }>> }
    expect(document.openapi).toBe('3.0.3')
    expect(document.servers).toEqual([{ url: publicUrl(t.gureum.config, 'compute') }])
    expect(document.servers[0].url).toBe('http://cloud.example.test:8774')
    expect(document.paths['/v2/{tenantId}/servers'].post.operationId).toBe('createServer')

    const v1 = (await t.inject('console', { method: 'GET', url: '/docs/nhnV1.json' })).json() as { paths: Record<string, unknown> }
    expect(Object.keys(v1.paths)).toContain('/v1.0/appkeys/{appkey}/servers/{serverId}/action')
    const admin = (await t.inject('console', { method: 'GET', url: '/docs/admin.json' })).json() as { paths: Record<string, unknown> }
    expect(Object.keys(admin.paths)).toEqual(expect.arrayContaining(['/_admin/reset', '/docs', '/docs/{file}']))
  })

  it('answers 404 for a document it does not publish and 400 for a malformed name', async () => {
    const missing = await t.inject('console', { method: 'GET', url: '/docs/scp.json' })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({ error: { code: 404, title: 'Not Found', message: expect.stringContaining('scp.json') } })
    const malformed = await t.inject('console', { method: 'GET', url: '/docs/compute.yaml' })
    expect(malformed.statusCode).toBe(400)
  })
})
