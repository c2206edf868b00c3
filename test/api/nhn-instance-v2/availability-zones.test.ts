import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { adminCaller, compute, demoCaller, faultOf, newTenant, sample, shapeOf, type Caller } from './catalog-fixture.ts'

describe.each(await testEngines())('nhn-instance-v2 availability zones (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let admin: Caller

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    admin = await adminCaller(t)
  })
  afterAll(async () => { await t.close() })

  it('doc-verified: lists the zones exactly as seed 003 shows them (001/002 without `hosts`)', async () => {
    const response = await compute(t, demo, { path: '/os-availability-zone' })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body).toEqual(sample('availability-zones.legacy.json'))
    const withoutHosts = { availabilityZoneInfo: body.availabilityZoneInfo.map(({ hosts: _hosts, ...zone }: { hosts: unknown }) => zone) }
    expect(withoutHosts).toEqual(sample('availability-zones.json'))
    expect(shapeOf(body)).toEqual(shapeOf(sample('availability-zones.legacy.json')))
  })

  it('shows the same region-wide list to every project, hosts hidden even from admins in the plain list', async () => {
    const other = await newTenant(t)
    const mine = (await compute(t, demo, { path: '/os-availability-zone' })).json()
    expect((await compute(t, other, { path: '/os-availability-zone' })).json()).toEqual(mine)
    expect((await compute(t, admin, { path: '/os-availability-zone' })).json()).toEqual(mine)
  })

  it('reports a zone an operator made unavailable', async () => {
    await t.gureum.services.zones.setAvailable((await t.gureum.services.identity.validateToken(admin.token)).owner, 'kr-pub-b', false)
    const zones = (await compute(t, demo, { path: '/os-availability-zone' })).json().availabilityZoneInfo
    expect(zones).toEqual([
      { zoneName: 'kr-pub-a', zoneState: { available: true }, hosts: null },
      { zoneName: 'kr-pub-b', zoneState: { available: false }, hosts: null },
    ])
    await t.gureum.services.zones.setAvailable((await t.gureum.services.identity.validateToken(admin.token)).owner, 'kr-pub-b', true)
  })

  it('lists each zone\'s hosts with their compute service for admins in the detail', async () => {
    const response = await compute(t, admin, { path: '/os-availability-zone/detail' })
    expect(response.statusCode).toBe(200)
    const zones = response.json().availabilityZoneInfo as { zoneName: string; hosts: Record<string, unknown> }[]
    expect(zones.map((zone) => zone.zoneName)).toEqual(['kr-pub-a', 'kr-pub-b'])
    const hostNames = zones.flatMap((zone) => Object.keys(zone.hosts))
    // The test installation simulates four hosts spread over the two zones.
    expect(hostNames).toHaveLength(4)
    for (const zone of zones) {
      expect(Object.keys(zone.hosts).length).toBeGreaterThan(0)
      for (const services of Object.values(zone.hosts)) {
        expect(services).toEqual({ 'nova-compute': { available: true, active: true, updated_at: null } })
      }
    }
  })

  it('keeps the detail from projects (403) and from anonymous callers (401)', async () => {
    const response = await compute(t, demo, { path: '/os-availability-zone/detail' })
    expect(response.statusCode).toBe(403)
    expect(faultOf(response).name).toBe('forbidden')
    const anonymous = await t.inject('compute', { method: 'GET', url: `/v2/${demo.tenantId}/os-availability-zone` })
    expect(anonymous.statusCode).toBe(401)
    const mismatch = await compute(t, { ...demo, tenantId: admin.tenantId }, { path: '/os-availability-zone' })
    expect(mismatch.statusCode).toBe(400)
  })
})
