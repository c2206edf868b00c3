import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nhnDemoFlavors, scpDemoServerTypes } from '../../src/core/flavors/demo-flavors.ts'
import { isLocalDiskFlavor, isScpServerType, type Flavor } from '../../src/core/flavors/flavor.ts'
import { ensureFlavors, requireUsableFlavor, type FlavorSeed } from '../../src/core/flavors/flavor-service.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import type { Page } from '../../src/core/shared/page.ts'
import { testEngines } from '../support/stores.ts'
import { ADMIN, createCatalogFixture, expectKind, START, type CatalogFixture } from './catalog-fixture.ts'

const MEMBER: Owner = { projectId: 'p1', userId: 'u1', roles: ['member'] }
const ALL_DEMO = [...nhnDemoFlavors, ...scpDemoServerTypes]
const ALL = 1000

const ids = (page: Page<Flavor>) => page.items.map((flavor) => flavor.id)

describe.each(await testEngines())('flavors on %s', (engine) => {
  let fx: CatalogFixture

  beforeEach(async () => {
    fx = await createCatalogFixture(engine)
    await fx.database.store.transaction((tx) => ensureFlavors(tx, ALL_DEMO, fx.clock.now()))
  })
  afterEach(async () => {
    await fx.close()
  })

  it('seeds the demo catalog once, with converted columns read back intact', async () => {
    expect(await fx.database.store.transaction((tx) => ensureFlavors(tx, ALL_DEMO, fx.clock.now()))).toBe(0)
    const u2 = await fx.flavors.findByIdOrName(MEMBER, 'u2.c1m1')
    expect(u2).toEqual({
      id: 'b6e9890c-08b9-4cce-b5dc-a3102677ba5d', name: 'u2.c1m1', description: null, vcpus: 1, ramMb: 1024,
      diskGb: 20, ephemeralGb: 0, swapMb: 0, rxtxFactor: 1, isPublic: true, disabled: false,
      extraSpecs: { flavor_type: 'u2' }, createdAt: START,
    })
    expect(isLocalDiskFlavor(u2)).toBe(true)
    const scp = await fx.flavors.get(MEMBER, 's1v1m2')
    expect(scp).toMatchObject({ name: 's1v1m2', vcpus: 1, ramMb: 2048, diskGb: 0 })
    expect(isScpServerType(scp)).toBe(true)
    expect(isLocalDiskFlavor(scp)).toBe(false)
  })

  it('lists by id ascending and filters minDisk / minRam inclusively', async () => {
    const all = await fx.flavors.list(MEMBER, {}, { limit: ALL, marker: null })
    expect(ids(all)).toEqual(ALL_DEMO.map((seed) => seed.id).sort())
    expect(all.hasMore).toBe(false)

    const bigDisk = await fx.flavors.list(MEMBER, { minDiskGb: 20 }, { limit: ALL, marker: null })
    expect(bigDisk.items.map((flavor) => flavor.name).sort()).toEqual(['u2.c1m1', 'u2.c2m4'])

    const bigRam = await fx.flavors.list(MEMBER, { minRamMb: 128 * 1024 }, { limit: ALL, marker: null })
    expect(bigRam.items.map((flavor) => flavor.name).sort()).toEqual(['h1v32m128', 'x1.c32m128', 'x1.c32m256'])

    const both = await fx.flavors.list(MEMBER, { minRamMb: 4096, minDiskGb: 40 }, { limit: ALL, marker: null })
    expect(both.items.map((flavor) => flavor.name)).toEqual(['u2.c2m4'])

    await expectKind(fx.flavors.list(MEMBER, { minRamMb: -1 }, { limit: 10, marker: null }), 'bad_request')
  })

  it('pages with a flavor id marker and refuses an unknown marker', async () => {
    const expected = ALL_DEMO.map((seed) => seed.id).sort()
    const seen: string[] = []
    let marker: string | null = null
    for (;;) {
      const page: Page<Flavor> = await fx.flavors.list(MEMBER, {}, { limit: 4, marker })
      seen.push(...ids(page))
      if (!page.hasMore) break
      expect(page.items).toHaveLength(4)
      marker = page.items[3].id
    }
    expect(seen).toEqual(expected)

    const error = await expectKind(fx.flavors.list(MEMBER, {}, { limit: 4, marker: 'no-such-flavor' }), 'bad_request')
    expect(error.message).toContain('no-such-flavor')
    await expectKind(fx.flavors.list(MEMBER, {}, { limit: -1, marker: null }), 'bad_request')
  })

  it('tells the two vendor catalogs apart', async () => {
    const scp = await fx.flavors.list(MEMBER, { catalog: 'scp' }, { limit: ALL, marker: null })
    expect(ids(scp)).toEqual(scpDemoServerTypes.map((seed) => seed.id).sort())
    const nhn = await fx.flavors.list(MEMBER, { catalog: 'nhn' }, { limit: ALL, marker: null })
    expect(ids(nhn)).toEqual(nhnDemoFlavors.map((seed) => seed.id).sort())
  })

  describe('visibility (Nova is_public and disabled)', () => {
    let hidden: Flavor
    let retired: Flavor
    beforeEach(async () => {
      hidden = await fx.flavors.create(ADMIN, { name: 'private.c1m1', vcpus: 1, ramMb: 1024, diskGb: 0, isPublic: false })
      retired = await fx.flavors.create(ADMIN, { name: 'old.c1m1', vcpus: 1, ramMb: 1024, diskGb: 0, disabled: true })
    })

    it('shows members only public, enabled flavors, whatever they ask for', async () => {
      const listed = ids(await fx.flavors.list(MEMBER, { isPublic: null }, { limit: ALL, marker: null }))
      expect(listed).not.toContain(hidden.id)
      expect(listed).not.toContain(retired.id)
      await expectKind(fx.flavors.get(MEMBER, hidden.id), 'not_found')
      await expectKind(fx.flavors.findByIdOrName(MEMBER, 'private.c1m1'), 'not_found')
      // A disabled flavor still describes the servers built from it.
      expect((await fx.flavors.get(MEMBER, retired.id)).disabled).toBe(true)
      await expectKind(requireUsableFlavor(fx.database.store, MEMBER, retired.id), 'bad_request')
      await expectKind(requireUsableFlavor(fx.database.store, MEMBER, hidden.id), 'bad_request')
      expect((await requireUsableFlavor(fx.database.store, MEMBER, 's1v2m4')).name).toBe('s1v2m4')
    })

    it('shows admins public flavors by default, private ones on request, and disabled ones too', async () => {
      const byDefault = ids(await fx.flavors.list(ADMIN, {}, { limit: ALL, marker: null }))
      expect(byDefault).not.toContain(hidden.id)
      expect(byDefault).toContain(retired.id)
      expect(ids(await fx.flavors.list(ADMIN, { isPublic: false }, { limit: ALL, marker: null }))).toEqual([hidden.id])
      const everything = ids(await fx.flavors.list(ADMIN, { isPublic: null }, { limit: ALL, marker: null }))
      expect(everything).toHaveLength(ALL_DEMO.length + 2)
      expect((await fx.flavors.get(ADMIN, hidden.id)).isPublic).toBe(false)
    })
  })

  it('creates flavors for admins only, refusing duplicate ids and names', async () => {
    const created = await fx.flavors.create(ADMIN, {
      id: 'auto', name: 'custom.c3m6', vcpus: 3, ramMb: 6144, diskGb: 10, swapMb: 512, rxtxFactor: 1.5,
      description: 'three', extraSpecs: { 'hw:cpu_policy': 'dedicated' },
    })
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(await fx.flavors.get(MEMBER, created.id)).toEqual(created)
    expect((await fx.flavors.findByIdOrName(MEMBER, 'custom.c3m6')).id).toBe(created.id)

    const sameName = await expectKind(
      fx.flavors.create(ADMIN, { name: 'custom.c3m6', vcpus: 1, ramMb: 1, diskGb: 0 }), 'conflict')
    expect(sameName.message).toContain('name')
    const sameId = await expectKind(
      fx.flavors.create(ADMIN, { id: 's1v1m2', name: 'another', vcpus: 1, ramMb: 1, diskGb: 0 }), 'conflict')
    expect(sameId.message).toContain('ID s1v1m2')
    await expectKind(fx.flavors.create(MEMBER, { name: 'mine', vcpus: 1, ramMb: 1, diskGb: 0 }), 'forbidden')
  })

  it('validates flavor fields as Nova does', async () => {
    const base = { name: 'valid', vcpus: 1, ramMb: 512, diskGb: 0 }
    for (const bad of [
      { ...base, vcpus: 0 }, { ...base, ramMb: 0 }, { ...base, diskGb: -1 }, { ...base, vcpus: 1.5 },
      { ...base, name: ' padded' }, { ...base, name: '' }, { ...base, id: 'bad/id' }, { ...base, rxtxFactor: 0 },
      { ...base, extraSpecs: { 'bad key!': 'x' } },
    ]) {
      await expectKind(fx.flavors.create(ADMIN, bad), 'bad_request')
    }
    expect((await fx.flavors.list(ADMIN, { isPublic: null }, { limit: ALL, marker: null })).items)
      .toHaveLength(ALL_DEMO.length)
  })

  it('deletes flavors for admins only', async () => {
    await expectKind(fx.flavors.delete(MEMBER, 'm2.c1m2'), 'forbidden')
    const id = nhnDemoFlavors[0].id
    await fx.flavors.delete(ADMIN, id)
    await expectKind(fx.flavors.get(ADMIN, id), 'not_found')
    await expectKind(fx.flavors.delete(ADMIN, id), 'not_found')
    // Seeding again brings a deleted demo flavor back under its fixed id.
    const seeds: FlavorSeed[] = [nhnDemoFlavors[0]]
    expect(await fx.database.store.transaction((tx) => ensureFlavors(tx, seeds, fx.clock.now()))).toBe(1)
    expect((await fx.flavors.get(MEMBER, id)).name).toBe(nhnDemoFlavors[0].name)
  })
})
