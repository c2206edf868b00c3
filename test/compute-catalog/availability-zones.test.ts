import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ensureZones, requireAvailableZone } from '../../src/core/availability-zones/availability-zone-service.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import { testEngines } from '../support/stores.ts'
import { ADMIN, createCatalogFixture, expectKind, START, type CatalogFixture } from './catalog-fixture.ts'

const MEMBER: Owner = { projectId: 'p1', userId: 'u1', roles: ['member'] }

describe.each(await testEngines())('availability zones on %s', (engine) => {
  let fx: CatalogFixture

  beforeEach(async () => {
    fx = await createCatalogFixture(engine)
    await fx.database.store.transaction((tx) => ensureZones(tx, ['kr-pub-b', 'kr-pub-a'], fx.clock.now()))
  })
  afterEach(async () => {
    await fx.close()
  })

  it('creates missing zones only, keeping the state of existing ones', async () => {
    await fx.zones.setAvailable(ADMIN, 'kr-pub-b', false)
    fx.clock.advance(60_000)
    await fx.database.store.transaction((tx) => ensureZones(tx, ['kr-pub-b', 'kr-pub-c', 'kr-pub-c'], fx.clock.now()))
    expect(await fx.zones.list(MEMBER)).toEqual([
      { name: 'kr-pub-a', available: true, createdAt: START, hostNames: null },
      { name: 'kr-pub-b', available: false, createdAt: START, hostNames: null },
      { name: 'kr-pub-c', available: true, createdAt: new Date(START.getTime() + 60_000), hostNames: null },
    ])
    await expectKind(fx.database.store.transaction((tx) => ensureZones(tx, [' padded'], fx.clock.now())), 'bad_request')
  })

  it('shows admins the hosts of each zone', async () => {
    await fx.insertHost({ id: 'h2', name: 'compute-2', availabilityZone: 'kr-pub-a' })
    await fx.insertHost({ id: 'h1', name: 'compute-1', availabilityZone: 'kr-pub-a' })
    const zones = await fx.zones.list(ADMIN)
    expect(zones.map((zone) => [zone.name, zone.hostNames])).toEqual([
      ['kr-pub-a', ['compute-1', 'compute-2']],
      ['kr-pub-b', []],
    ])
    expect((await fx.zones.list(MEMBER)).every((zone) => zone.hostNames === null)).toBe(true)
  })

  it('accepts only known, available zones for new resources', async () => {
    expect((await requireAvailableZone(fx.database.store, 'kr-pub-a')).name).toBe('kr-pub-a')
    await expectKind(requireAvailableZone(fx.database.store, 'kr-pub-z'), 'bad_request')
    await fx.zones.setAvailable(ADMIN, 'kr-pub-a', false)
    const refused = await expectKind(requireAvailableZone(fx.database.store, 'kr-pub-a'), 'bad_request')
    expect(refused.field).toBe('availability_zone')
    expect((await fx.zones.get('kr-pub-a')).available).toBe(false)
    await expectKind(fx.zones.get('kr-pub-z'), 'not_found')
  })

  it('lets only admins change a zone', async () => {
    await expectKind(fx.zones.setAvailable(MEMBER, 'kr-pub-a', false), 'forbidden')
    await expectKind(fx.zones.setAvailable(ADMIN, 'kr-pub-z', false), 'not_found')
    expect((await fx.zones.get('kr-pub-a')).available).toBe(true)
  })
})
