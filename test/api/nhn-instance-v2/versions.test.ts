import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { compute, demoCaller, faultOf, newTenant, sample, shapeOf, type Caller } from './catalog-fixture.ts'

describe.each(await testEngines())('nhn-instance-v2 versions (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
  })
  afterAll(async () => { await t.close() })

  it('doc-verified: GET / lists v2.0 and v2.1 in the shape of seed 003, without a token', async () => {
    const response = await t.inject('compute', { method: 'GET', url: '/', headers: { host: 'compute.example.test:8774' } })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(shapeOf(body)).toEqual(shapeOf(sample('versions-list.json')))
    expect(body).toEqual({
      versions: [
        {
          // Seed 003's example shows "" for v2.0 and 2.3 for v2.1; both paths serve microversions 2.1 to 2.37
          // here, and /v2 is the path NHN's catalog names (docs/compat/nhn-instance-v2.md).
          id: 'v2.0', status: 'SUPPORTED', version: '2.37', min_version: '2.1', updated: '2011-01-21T11:33:21Z',
          links: [{ href: 'http://compute.example.test:8774/v2/', rel: 'self' }],
        },
        {
          id: 'v2.1', status: 'CURRENT', version: '2.37', min_version: '2.1', updated: '2013-07-23T11:33:21Z',
          links: [{ href: 'http://compute.example.test:8774/v2.1/', rel: 'self' }],
        },
      ],
    })
    expect(response.headers['x-compute-request-id']).toMatch(/^req-[0-9a-f-]{36}$/)
  })

  it('builds links from the forwarded scheme and host', async () => {
    const response = await t.inject('compute', {
      method: 'GET', url: '/', headers: { host: 'api.example.test', 'x-forwarded-proto': 'https' },
    })
    expect(response.json().versions[1].links[0].href).toBe('https://api.example.test/v2.1/')
  })

  it.each([
    ['/v2', 'v2.0', 'SUPPORTED', '2.37', '2.1', 'application/vnd.openstack.compute+json;version=2'],
    ['/v2/', 'v2.0', 'SUPPORTED', '2.37', '2.1', 'application/vnd.openstack.compute+json;version=2'],
    ['/v2.1', 'v2.1', 'CURRENT', '2.37', '2.1', 'application/vnd.openstack.compute+json;version=2.1'],
    ['/v2.1/', 'v2.1', 'CURRENT', '2.37', '2.1', 'application/vnd.openstack.compute+json;version=2.1'],
  ])('GET %s describes %s without a token', async (url, id, status, version, minVersion, mediaType) => {
    const response = await t.inject('compute', { method: 'GET', url, headers: { host: 'h.test' } })
    expect(response.statusCode).toBe(200)
    const segment = id === 'v2.0' ? 'v2' : 'v2.1'
    expect(response.json()).toEqual({
      version: {
        id, status, version, min_version: minVersion,
        updated: id === 'v2.0' ? '2011-01-21T11:33:21Z' : '2013-07-23T11:33:21Z',
        links: [
          { href: `http://h.test/${segment}/`, rel: 'self' },
          { href: 'https://docs.openstack.org/', rel: 'describedby', type: 'text/html' },
        ],
        'media-types': [{ base: 'application/json', type: mediaType }],
      },
    })
  })

  it('answers the tenant endpoint (novaclient asks the catalog URL first) with a token of that tenant', async () => {
    const v2 = await compute(t, demo, { path: '' })
    expect(v2.statusCode).toBe(200)
    // novaclient reads the microversion range from here: with none it would fall back to 2.0.
    expect(v2.json().version).toMatchObject({ id: 'v2.0', version: '2.37', min_version: '2.1' })
    const v21 = await compute(t, demo, { path: '/', prefix: '/v2.1' })
    expect(v21.statusCode).toBe(200)
    expect(v21.json().version).toMatchObject({ id: 'v2.1', version: '2.37', min_version: '2.1' })

    const anonymous = await t.inject('compute', { method: 'GET', url: `/v2/${demo.tenantId}` })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json()).toEqual({
      error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
    })
    const other = await newTenant(t)
    const mismatch = await compute(t, { ...demo, tenantId: other.tenantId }, { path: '' })
    expect(mismatch.statusCode).toBe(400)
    expect(faultOf(mismatch).name).toBe('badRequest')
  })

  it('echoes the negotiated microversion and refuses versions out of range', async () => {
    const latest = await compute(t, demo, { path: '', microversion: 'latest' })
    expect(latest.headers['openstack-api-version']).toBe('compute 2.37')
    const tooNew = await compute(t, demo, { path: '', microversion: '2.38' })
    expect(tooNew.statusCode).toBe(406)
    expect(faultOf(tooNew)).toMatchObject({ name: 'notAcceptable', code: 406 })
    const garbage = await compute(t, demo, { path: '', microversion: 'two' })
    expect(garbage.statusCode).toBe(400)
  })

  it('answers unknown paths with a Nova 404 fault', async () => {
    const response = await t.inject('compute', { method: 'GET', url: '/v3' })
    expect(response.statusCode).toBe(404)
    expect(faultOf(response).name).toBe('itemNotFound')
  })
})
