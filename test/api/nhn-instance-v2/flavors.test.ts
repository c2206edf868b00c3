import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nhnDemoFlavors } from '../../../src/core/flavors/demo-flavors.ts'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import {
  adminCaller, compute, demoCaller, faultOf, newTenant, PAST_TOKEN_EXPIRY_MS, sample, shapeOf, type Caller,
} from './catalog-fixture.ts'

interface FlavorBody { id: string; name: string; links: { href: string; rel: string }[]; [key: string]: unknown }

const nhnIds = nhnDemoFlavors.map((flavor) => flavor.id).sort()

/** The seed examples' links point at NHN's host and tenant; ours at the request's. */
function withOurLinks(flavor: FlavorBody, tenantId: string): FlavorBody {
  return {
    ...flavor,
    links: [
      { href: `http://localhost:80/v2/${tenantId}/flavors/${flavor.id}`, rel: 'self' },
      { href: `http://localhost:80/${tenantId}/flavors/${flavor.id}`, rel: 'bookmark' },
    ],
  }
}

describe.each(await testEngines())('nhn-instance-v2 flavors (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let admin: Caller

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    admin = await adminCaller(t)
  })
  afterAll(async () => { await t.close() })

  async function allPages(path: string, caller: Caller = demo): Promise<FlavorBody[]> {
    const seen: FlavorBody[] = []
    let url: string | undefined = path
    while (url !== undefined) {
      const response = await compute(t, caller, { path: url })
      expect(response.statusCode).toBe(200)
      const body = response.json() as { flavors: FlavorBody[]; flavors_links?: { href: string; rel: string }[] }
      seen.push(...body.flavors)
      const next = body.flavors_links?.[0]?.href
      url = next === undefined ? undefined : next.slice(next.indexOf('/flavors'))
    }
    return seen
  }

  describe('GET /flavors (N-1)', () => {
    it('doc-verified: lists NHN instance types by id in the shape of seeds 001–003, with self and bookmark links', async () => {
      const response = await compute(t, demo, { path: '/flavors' })
      expect(response.statusCode).toBe(200)
      const body = response.json() as { flavors: FlavorBody[] }
      expect(shapeOf(body)).toEqual(shapeOf(sample('flavors-list.json')))
      expect(shapeOf(body)).toEqual(shapeOf(sample('flavors-list.legacy.json')))
      // SCP server types (s1v1m2, …) live in the same catalog but are not NHN instance types.
      expect(body.flavors.map((flavor) => flavor.id)).toEqual(nhnIds)
      const x1 = body.flavors.find((flavor) => flavor.name === 'x1.c32m256')!
      expect(x1).toEqual(withOurLinks({ id: '97604802-a090-43fa-a5ce-c7cfd737fbba', name: 'x1.c32m256', links: [] }, demo.tenantId))
      expect(response.headers['x-compute-request-id']).toMatch(/^req-/)
    })

    it('keeps the version segment the request came in on in self links', async () => {
      const response = await compute(t, demo, { path: '/flavors', prefix: '/v2.1' })
      const [first] = response.json().flavors as FlavorBody[]
      expect(first.links[0].href).toBe(`http://localhost:80/v2.1/${demo.tenantId}/flavors/${first.id}`)
      expect(first.links[1].href).toBe(`http://localhost:80/${demo.tenantId}/flavors/${first.id}`)
    })

    it('filters with minRam and minDisk (at least the given size, as Nova compares)', async () => {
      const byRam = (await compute(t, demo, { path: '/flavors?minRam=131072' })).json().flavors as FlavorBody[]
      expect(byRam.map((flavor) => flavor.name).sort()).toEqual(['x1.c32m128', 'x1.c32m256'])
      const byDisk = (await compute(t, demo, { path: '/flavors/detail?minDisk=20' })).json().flavors as FlavorBody[]
      expect(byDisk.map((flavor) => flavor.name).sort()).toEqual(['u2.c1m1', 'u2.c2m4'])
      const both = (await compute(t, demo, { path: '/flavors?minDisk=40&minRam=4096' })).json().flavors as FlavorBody[]
      expect(both.map((flavor) => flavor.name)).toEqual(['u2.c2m4'])
    })

    it.each(['minDisk=abc', 'minRam=-1', 'minRam=1.5', 'limit=-1', 'limit=ten', 'is_public=maybe'])(
      'refuses the query %s with a badRequest fault', async (query) => {
        const response = await compute(t, demo, { path: `/flavors?${query}` })
        expect(response.statusCode).toBe(400)
        expect(faultOf(response)).toMatchObject({ name: 'badRequest', code: 400 })
      },
    )

    it('pages with limit and marker, linking the next page until the last (seed 003)', async () => {
      const first = await compute(t, demo, { path: '/flavors?limit=5&minRam=1024' })
      const body = first.json() as { flavors: FlavorBody[]; flavors_links: { href: string; rel: string }[] }
      expect(body.flavors.map((flavor) => flavor.id)).toEqual(nhnIds.slice(0, 5))
      expect(body.flavors_links).toEqual([{
        href: `http://localhost:80/v2/${demo.tenantId}/flavors?limit=5&minRam=1024&marker=${nhnIds[4]}`, rel: 'next',
      }])
      const all = await allPages('/flavors?limit=5')
      expect(all.map((flavor) => flavor.id)).toEqual(nhnIds)
      const detail = await allPages('/flavors/detail?limit=4')
      expect(detail.map((flavor) => flavor.id)).toEqual(nhnIds)
      expect(detail.every((flavor) => typeof flavor.vcpus === 'number')).toBe(true)

      const afterMarker = await compute(t, demo, { path: `/flavors?marker=${nhnIds[11]}` })
      expect(afterMarker.json().flavors.map((flavor: FlavorBody) => flavor.id)).toEqual(nhnIds.slice(12))
      expect(afterMarker.json().flavors_links).toBeUndefined()
      const none = await compute(t, demo, { path: '/flavors?limit=0' })
      expect(none.json().flavors).toEqual([])
    })

    it('answers an unknown marker with 400', async () => {
      const response = await compute(t, demo, { path: '/flavors?marker=no-such-flavor' })
      expect(response.statusCode).toBe(400)
      expect(faultOf(response).message).toContain('marker')
    })
  })

  describe('GET /flavors/detail (N-2)', () => {
    it('doc-verified: shows the guide\'s two x1 flavors exactly as seeds 001/002 list them', async () => {
      const response = await compute(t, demo, { path: '/flavors/detail' })
      expect(response.statusCode).toBe(200)
      const body = response.json() as { flavors: FlavorBody[] }
      const guide = sample<{ flavors: FlavorBody[] }>('flavors-detail.json')
      expect(shapeOf(body)).toEqual(shapeOf(guide))
      for (const documented of guide.flavors) {
        expect(body.flavors.find((flavor) => flavor.id === documented.id)).toEqual(withOurLinks(documented, demo.tenantId))
      }
    })

    it('reports swap in MB when a flavor has some, and "" otherwise', async () => {
      const created = await compute(t, admin, {
        method: 'POST', path: '/flavors',
        payload: { flavor: { name: 'swap.c1m1', ram: 1024, vcpus: 1, disk: 10, swap: 512, rxtx_factor: 1.5 } },
      })
      expect(created.statusCode).toBe(200)
      expect(created.json().flavor).toMatchObject({ swap: 512, rxtx_factor: 1.5, disk: 10, 'OS-FLV-EXT-DATA:ephemeral': 0 })
      const id = created.json().flavor.id as string
      const shown = await compute(t, demo, { path: `/flavors/${id}` })
      expect(shown.json().flavor).toMatchObject({ swap: 512, extra_specs: {} })
      expect((await compute(t, admin, { method: 'DELETE', path: `/flavors/${id}` })).statusCode).toBe(202)
    })
  })

  describe('GET /flavors/{flavorId}', () => {
    it('shows one flavor with the detail fields', async () => {
      const id = t.credentials.defaults.flavor_id
      const response = await compute(t, demo, { path: `/flavors/${id}` })
      expect(response.statusCode).toBe(200)
      const { flavor } = response.json() as { flavor: FlavorBody }
      expect(shapeOf(flavor)).toEqual(shapeOf(sample<{ flavors: FlavorBody[] }>('flavors-detail.json').flavors[0]))
      expect(flavor).toMatchObject({ id, name: 'm2.c1m2', vcpus: 1, ram: 2048, extra_specs: { flavor_type: 'general' } })
    })

    it('answers an unknown id, or a flavor name, with itemNotFound', async () => {
      for (const id of ['00000000-0000-0000-0000-000000000000', 'm2.c1m2']) {
        const response = await compute(t, demo, { path: `/flavors/${id}` })
        expect(response.statusCode).toBe(404)
        expect(faultOf(response)).toEqual({ name: 'itemNotFound', code: 404, message: `Flavor ${id} could not be found.` })
      }
    })

    it('still shows an SCP server type by id, since servers made through SCP link to it', async () => {
      const response = await compute(t, demo, { path: '/flavors/s1v1m2' })
      expect(response.statusCode).toBe(200)
      expect(response.json().flavor).toMatchObject({ id: 's1v1m2', vcpus: 1, ram: 2048 })
    })

    it('shows extra specs, one by key, and 404s for a missing key', async () => {
      const id = t.credentials.defaults.flavor_id
      const specs = await compute(t, demo, { path: `/flavors/${id}/os-extra_specs` })
      expect(specs.statusCode).toBe(200)
      expect(specs.json()).toEqual({ extra_specs: { flavor_type: 'general' } })
      const one = await compute(t, demo, { path: `/flavors/${id}/os-extra_specs/flavor_type` })
      expect(one.json()).toEqual({ flavor_type: 'general' })
      const missing = await compute(t, demo, { path: `/flavors/${id}/os-extra_specs/hw:cpu_policy` })
      expect(missing.statusCode).toBe(404)
      expect(faultOf(missing).name).toBe('itemNotFound')
      const unknown = await compute(t, demo, { path: '/flavors/nope/os-extra_specs' })
      expect(unknown.statusCode).toBe(404)
    })
  })

  describe('private flavors and the admin-only create and delete', () => {
    it('hides a private flavor from projects and lists it for admins with is_public=false or none', async () => {
      const created = await compute(t, admin, {
        method: 'POST', path: '/flavors',
        payload: { flavor: { name: 'private.c2m2', id: 'private-1', ram: 2048, vcpus: 2, disk: 0, 'os-flavor-access:is_public': false } },
      })
      expect(created.statusCode).toBe(200)
      expect(created.json().flavor['os-flavor-access:is_public']).toBe(false)

      const ids = async (caller: Caller, query: string) =>
        ((await compute(t, caller, { path: `/flavors${query}` })).json().flavors as FlavorBody[]).map((flavor) => flavor.id)
      expect(await ids(demo, '')).not.toContain('private-1')
      // A project cannot widen its view: is_public is an admin's filter.
      expect(await ids(demo, '?is_public=false')).not.toContain('private-1')
      expect(await ids(admin, '')).not.toContain('private-1')
      expect(await ids(admin, '?is_public=false')).toEqual(['private-1'])
      expect(await ids(admin, '?is_public=none&limit=1000')).toEqual([...nhnIds, 'private-1'].sort())
      expect((await compute(t, demo, { path: '/flavors/private-1' })).statusCode).toBe(404)
      expect((await compute(t, admin, { path: '/flavors/private-1' })).statusCode).toBe(200)

      expect((await compute(t, demo, { method: 'DELETE', path: '/flavors/private-1' })).statusCode).toBe(403)
      const deleted = await compute(t, admin, { method: 'DELETE', path: '/flavors/private-1' })
      expect(deleted.statusCode).toBe(202)
      expect(deleted.body).toBe('')
      expect((await compute(t, admin, { path: '/flavors/private-1' })).statusCode).toBe(404)
      expect((await compute(t, admin, { method: 'DELETE', path: '/flavors/private-1' })).statusCode).toBe(404)
    })

    it('lets only admins create, and refuses duplicates and bad bodies without creating anything', async () => {
      const body = { flavor: { name: 'made.c1m1', ram: 1024, vcpus: 1, disk: 0 } }
      const forbidden = await compute(t, demo, { method: 'POST', path: '/flavors', payload: body })
      expect(forbidden.statusCode).toBe(403)
      expect(faultOf(forbidden).name).toBe('forbidden')

      const created = await compute(t, admin, { method: 'POST', path: '/flavors', payload: body })
      expect(created.statusCode).toBe(200)
      const duplicate = await compute(t, admin, { method: 'POST', path: '/flavors', payload: body })
      expect(duplicate.statusCode).toBe(409)
      expect(faultOf(duplicate).name).toBe('conflictingRequest')

      const bad: [string, { payload?: unknown; rawBody?: string }][] = [
        ['malformed JSON', { rawBody: '{"flavor": {' }],
        ['no body', {}],
        ['a missing field', { payload: { flavor: { name: 'x', vcpus: 1, disk: 0 } } }],
        ['a string for a number', { payload: { flavor: { name: 'x', ram: 'lots', vcpus: 1, disk: 0 } } }],
        ['a numeric string', { payload: { flavor: { name: 'x', ram: '1024', vcpus: 1, disk: 0 } } }],
        ['zero vcpus', { payload: { flavor: { name: 'x', ram: 1024, vcpus: 0, disk: 0 } } }],
        ['an unknown field', { payload: { flavor: { name: 'x', ram: 1024, vcpus: 1, disk: 0, gpus: 1 } } }],
        ['a name with edge spaces', { payload: { flavor: { name: ' x ', ram: 1024, vcpus: 1, disk: 0 } } }],
      ]
      for (const [what, request] of bad) {
        const response = await compute(t, admin, { method: 'POST', path: '/flavors', ...request })
        expect(response.statusCode, what).toBe(400)
        expect(faultOf(response).name, what).toBe('badRequest')
      }
      const names = ((await compute(t, admin, { path: '/flavors?is_public=none&limit=1000' })).json().flavors as FlavorBody[])
        .map((flavor) => flavor.name)
      expect(names.filter((name) => name === 'x' || name === ' x ')).toEqual([])
      await compute(t, admin, { method: 'DELETE', path: `/flavors/${created.json().flavor.id}` })
    })
  })

  describe('authentication', () => {
    it('answers a missing or invalid token with keystonemiddleware\'s 401', async () => {
      for (const headers of [{}, { 'x-auth-token': 'not-a-token' }]) {
        const response = await t.inject('compute', { method: 'GET', url: `/v2/${demo.tenantId}/flavors`, headers })
        expect(response.statusCode).toBe(401)
        expect(response.json().error).toMatchObject({ code: 401, title: 'Unauthorized' })
        expect(response.headers['www-authenticate']).toContain('Keystone')
      }
    })

    it('refuses a token of another tenant than the URL names with 400', async () => {
      const other = await newTenant(t)
      const response = await compute(t, { ...other, tenantId: demo.tenantId }, { path: '/flavors' })
      expect(response.statusCode).toBe(400)
      expect(faultOf(response).message).toContain('Malformed request URL')
    })

    it('refuses an expired token', async () => {
      const caller = await newTenant(t)
      expect((await compute(t, caller, { path: '/flavors' })).statusCode).toBe(200)
      t.clock.advance(PAST_TOKEN_EXPIRY_MS)
      expect((await compute(t, caller, { path: '/flavors' })).statusCode).toBe(401)
      demo = await demoCaller(t)
      admin = await adminCaller(t)
    })
  })
})
