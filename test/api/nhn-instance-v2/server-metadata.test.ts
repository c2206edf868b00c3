import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { compute, demoCaller, faultOf, newTenant, type Caller } from './catalog-fixture.ts'
import { activeServer, adminOwner, ensureKeypair, raiseQuotas, showServer } from './server-fixture.ts'

describe.each(await testEngines())('nhn-instance-v2 server metadata (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let id: string
  let imageMetadata: Record<string, string>

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    await ensureKeypair(t, demo)
    await raiseQuotas(t, demo.tenantId)
    id = await activeServer(t, demo, { name: 'tagged', metadata: { role: 'web' } })
    imageMetadata = (await showServer(t, demo, id)).metadata as Record<string, string>
  })
  afterAll(async () => { await t.close() })

  const path = (suffix = '') => `/servers/${id}/metadata${suffix}`
  const metadata = async () => ((await compute(t, demo, { path: path() })).json() as { metadata: Record<string, string> }).metadata

  it('shows the metadata given on create next to what NHN copies from the image', async () => {
    expect(imageMetadata).toMatchObject({ role: 'web', os_distro: 'ubuntu', volume_size: '20', image_name: expect.any(String) })
    expect(await metadata()).toEqual(imageMetadata)
  })

  it('merges with POST, replaces with PUT, and works item by item', async () => {
    const merged = await compute(t, demo, { method: 'POST', path: path(), payload: { metadata: { tier: 'front', role: 'api' } } })
    expect(merged.statusCode).toBe(200)
    expect((merged.json() as { metadata: Record<string, string> }).metadata).toEqual({ ...imageMetadata, role: 'api', tier: 'front' })

    const item = await compute(t, demo, { path: path('/tier') })
    expect(item.json()).toEqual({ meta: { tier: 'front' } })
    const set = await compute(t, demo, { method: 'PUT', path: path('/owner'), payload: { meta: { owner: 'ops' } } })
    expect(set.statusCode).toBe(200)
    expect(set.json()).toEqual({ meta: { owner: 'ops' } })
    expect((await showServer(t, demo, id)).metadata).toMatchObject({ owner: 'ops', tier: 'front' })

    const deleted = await compute(t, demo, { method: 'DELETE', path: path('/owner') })
    expect(deleted.statusCode).toBe(204)
    expect((await compute(t, demo, { path: path('/owner') })).statusCode).toBe(404)
    expect((await compute(t, demo, { method: 'DELETE', path: path('/owner') })).statusCode).toBe(404)

    const replaced = await compute(t, demo, { method: 'PUT', path: path(), payload: { metadata: { only: 'this' } } })
    expect(replaced.statusCode).toBe(200)
    expect(replaced.json()).toEqual({ metadata: { only: 'this' } })
    expect(await metadata()).toEqual({ only: 'this' })
  })

  it('refuses a body that does not match the URL, too many items, wrong types and long values with 400', async () => {
    const before = await metadata()
    const cases: [string, 'PUT' | 'POST', string, unknown][] = [
      ['key mismatch', 'PUT', '/a', { meta: { b: '1' } }],
      ['two items', 'PUT', '/a', { meta: { a: '1', b: '2' } }],
      ['no items', 'PUT', '/a', { meta: {} }],
      ['number value', 'POST', '', { metadata: { a: 1 } }],
      ['no metadata', 'POST', '', {}],
      ['long value', 'POST', '', { metadata: { a: 'x'.repeat(256) } }],
      ['long key', 'POST', '', { metadata: { ['k'.repeat(256)]: 'x' } }],
    ]
    for (const [what, method, suffix, payload] of cases) {
      const response = await compute(t, demo, { method, path: path(suffix), payload })
      expect(response.statusCode, what).toBe(400)
      expect(faultOf(response).name, what).toBe('badRequest')
    }
    expect((await compute(t, demo, { method: 'POST', path: path(), rawBody: '{"metadata": [' })).statusCode).toBe(400)
    expect(await metadata()).toEqual(before)
  })

  it('counts keys against the metadata_items quota (403)', async () => {
    const admin = await adminOwner(t)
    await t.gureum.services.quotas.setLimits(admin, demo.tenantId, { metadata_items: 3 })
    try {
      const over = await compute(t, demo, { method: 'PUT', path: path(), payload: { metadata: { a: '1', b: '2', c: '3', d: '4' } } })
      expect(over.statusCode).toBe(403)
      expect(faultOf(over).message).toContain('metadata_items')
      expect((await compute(t, demo, { method: 'PUT', path: path(), payload: { metadata: { a: '1', b: '2', c: '3' } } })).statusCode).toBe(200)
    } finally {
      await t.gureum.services.quotas.setLimits(admin, demo.tenantId, { metadata_items: 128 })
    }
  })

  it('answers 404 for an unknown server and for another tenant\'s server', async () => {
    expect((await compute(t, demo, { path: `/servers/${crypto.randomUUID()}/metadata` })).statusCode).toBe(404)
    const other = await newTenant(t)
    for (const request of [
      { path: path() },
      { path: path('/a') },
      { method: 'POST' as const, path: path(), payload: { metadata: { stolen: 'yes' } } },
      { method: 'PUT' as const, path: path('/a'), payload: { meta: { a: 'x' } } },
      { method: 'DELETE' as const, path: path('/a') },
    ]) {
      const response = await compute(t, other, request)
      expect(response.statusCode, JSON.stringify(request)).toBe(404)
    }
    expect(await metadata()).not.toHaveProperty('stolen')
  })
})
