import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Owner } from '../../src/core/shared/owner.ts'
import { ensurePublicImage } from '../../src/core/images/image-seeds.ts'
import { reserveVolumeAttachment } from '../../src/core/volumes/volume-attachments.ts'
import { ensureVolumeTypes } from '../../src/core/volumes/volume-types.ts'
import { testEngines } from '../support/stores.ts'
import { createStorageFixture, expectKind, START, ZONE, type StorageFixture } from './storage-fixture.ts'

const GIB = 1024 ** 3

describe.each(await testEngines())('volumes on %s', (engine) => {
  let fx: StorageFixture
  let alice: Owner
  let bob: Owner

  beforeEach(async () => {
    fx = await createStorageFixture(engine)
    alice = await fx.newProject()
    bob = await fx.newProject()
  })
  afterEach(async () => {
    await fx.close()
  })

  describe('create', () => {
    it('creates an available volume of the default type in the default zone and counts it against quota', async () => {
      const volume = await fx.volumes.create(alice, { sizeGb: 10, name: 'data', description: 'logs', metadata: { env: 'dev' } })
      expect(volume).toMatchObject({
        projectId: alice.projectId, userId: alice.userId, name: 'data', description: 'logs', sizeGb: 10,
        volumeTypeId: fx.types.hdd.id, volumeTypeName: 'General HDD', status: 'available', bootable: false,
        multiattach: false, imageId: null, snapshotId: null, sourceVolumeId: null, availabilityZone: ZONE,
        metadata: { env: 'dev' }, createdAt: START, updatedAt: START, attachments: [],
      })
      expect(await fx.volumes.get(alice, volume.id)).toEqual(volume)
      expect(await fx.inUse(alice, 'volumes')).toBe(1)
      expect(await fx.inUse(alice, 'gigabytes')).toBe(10)
    })

    it('takes the volume type by name or by id and rejects an unknown one', async () => {
      const byName = await fx.volumes.create(alice, { sizeGb: 1, volumeType: 'General SSD' })
      const byId = await fx.volumes.create(alice, { sizeGb: 1, volumeType: fx.types.ssd.id })
      expect(byName.volumeTypeId).toBe(fx.types.ssd.id)
      expect(byId.volumeTypeName).toBe('General SSD')
      await expectKind(fx.volumes.create(alice, { sizeGb: 1, volumeType: 'Gold' }), 'not_found')
      expect(await fx.inUse(alice, 'volumes')).toBe(2)
    })

    it('a multi-attach volume type makes multi-attach volumes', async () => {
      expect((await fx.volumes.create(alice, { sizeGb: 1, volumeType: 'Shared SSD' })).multiattach).toBe(true)
      expect((await fx.volumes.create(alice, { sizeGb: 1, multiattach: true })).multiattach).toBe(true)
    })

    it('rejects bad sizes, several sources, long names and bad metadata without using quota', async () => {
      await expectKind(fx.volumes.create(alice, { sizeGb: 0 }), 'bad_request')
      await expectKind(fx.volumes.create(alice, { sizeGb: 1.5 }), 'bad_request')
      await expectKind(fx.volumes.create(alice, { sizeGb: 1, name: 'x'.repeat(256) }), 'bad_request')
      await expectKind(fx.volumes.create(alice, { sizeGb: 1, metadata: { '': 'empty key' } }), 'bad_request')
      await expectKind(fx.volumes.create(alice, { sizeGb: 1, metadata: { key: 7 as unknown as string } }), 'bad_request')
      const source = await fx.volumes.create(alice, { sizeGb: 1 })
      const snapshot = await fx.snapshots.create(alice, { volumeId: source.id })
      const err = await expectKind(fx.volumes.create(alice, { sizeGb: 1, snapshotId: snapshot.id, sourceVolumeId: source.id }), 'bad_request')
      expect(err.field).toBe('source')
      expect(await fx.inUse(alice, 'volumes')).toBe(1)
    })

    it('from an image: active, visible, big enough for min_disk and the image size, and bootable', async () => {
      const image = await fx.store.transaction((tx) => ensurePublicImage(tx, {
        name: 'Ubuntu 22.04', osType: 'linux', minDiskGb: 5, minRamMb: 512, sizeBytes: Math.round(7.2 * GIB),
      }, fx.clock.now()))
      // ceil(7.2 GiB) = 8 GB beats min_disk 5.
      await expectKind(fx.volumes.create(alice, { sizeGb: 7, imageId: image.id }), 'bad_request')
      const volume = await fx.volumes.create(alice, { sizeGb: 8, imageId: image.id })
      expect(volume).toMatchObject({ bootable: true, imageId: image.id, status: 'available' })

      const small = await fx.store.transaction((tx) => ensurePublicImage(tx, {
        name: 'Tiny', osType: 'linux', minDiskGb: 20, minRamMb: 0, sizeBytes: 1024,
      }, fx.clock.now()))
      await expectKind(fx.volumes.create(alice, { sizeGb: 19, imageId: small.id }), 'bad_request')
      expect((await fx.volumes.create(alice, { sizeGb: 20, imageId: small.id })).bootable).toBe(true)
    })

    it('from an image: another project\'s private image is not found and a queued image is refused', async () => {
      const bobsImage = await fx.images.create(bob, { name: 'private', visibility: 'private', diskFormat: 'raw', containerFormat: 'bare' })
      await expectKind(fx.volumes.create(alice, { sizeGb: 1, imageId: bobsImage.id }), 'not_found')
      const err = await expectKind(fx.volumes.create(bob, { sizeGb: 1, imageId: bobsImage.id }), 'bad_request')
      expect(err.message).toMatch(/not active/)
      await expectKind(fx.volumes.create(alice, { sizeGb: 1, imageId: 'no-such-image' }), 'not_found')
    })

    it('from a snapshot: at least its size, inheriting the type and bootable flag of its volume', async () => {
      const source = await fx.volumes.create(alice, { sizeGb: 4, volumeType: 'General SSD' })
      await fx.volumes.setBootable(alice, source.id, true)
      const snapshot = await fx.snapshots.create(alice, { volumeId: source.id })
      await expectKind(fx.volumes.create(alice, { sizeGb: 3, snapshotId: snapshot.id }), 'bad_request')
      const copy = await fx.volumes.create(alice, { sizeGb: 6, snapshotId: snapshot.id })
      expect(copy).toMatchObject({ snapshotId: snapshot.id, volumeTypeId: fx.types.ssd.id, bootable: true, sizeGb: 6 })
      await expectKind(fx.volumes.create(bob, { sizeGb: 6, snapshotId: snapshot.id }), 'not_found')
      await expectKind(fx.volumes.create(alice, { sizeGb: 6, snapshotId: snapshot.id, availabilityZone: 'elsewhere' }), 'bad_request')
    })

    it('from a source volume: at least its size, same zone, other projects cannot clone it', async () => {
      const source = await fx.volumes.create(alice, { sizeGb: 2 })
      await expectKind(fx.volumes.create(alice, { sizeGb: 1, sourceVolumeId: source.id }), 'bad_request')
      const clone = await fx.volumes.create(alice, { sizeGb: 2, sourceVolumeId: source.id })
      expect(clone).toMatchObject({ sourceVolumeId: source.id, bootable: false, availabilityZone: ZONE })
      await expectKind(fx.volumes.create(bob, { sizeGb: 2, sourceVolumeId: source.id }), 'not_found')
    })
  })

  describe('quotas', () => {
    it('refuses the volume past the volumes limit and the gigabytes limit', async () => {
      const carol = await fx.newProject({ quotaLimits: { volumes: 2, gigabytes: 15 } })
      await fx.volumes.create(carol, { sizeGb: 10 })
      const tooBig = await expectKind(fx.volumes.create(carol, { sizeGb: 6 }), 'quota_exceeded')
      expect(tooBig.quota).toBe('gigabytes')
      await fx.volumes.create(carol, { sizeGb: 5 })
      const tooMany = await expectKind(fx.volumes.create(carol, { sizeGb: 1 }), 'quota_exceeded')
      expect(tooMany.quota).toBe('volumes')
      expect(await fx.inUse(carol, 'volumes')).toBe(2)
      expect(await fx.inUse(carol, 'gigabytes')).toBe(15)
    })

    it('never goes over: 50 concurrent creates against a limit of 10 make exactly 10 volumes', async () => {
      const carol = await fx.newProject({ quotaLimits: { volumes: 10 } })
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, index) => fx.volumes.create(carol, { sizeGb: 1, name: `v${index}` })))
      const created = results.filter((result) => result.status === 'fulfilled')
      const refused = results.filter((result) => result.status === 'rejected')
      expect(created).toHaveLength(10)
      for (const result of refused) expect((result as PromiseRejectedResult).reason).toMatchObject({ kind: 'quota_exceeded' })
      const listed = await fx.volumes.list(carol, { limit: 100, marker: null })
      expect(listed.items).toHaveLength(10)
      expect(await fx.inUse(carol, 'volumes')).toBe(10)
      expect(await fx.inUse(carol, 'gigabytes')).toBe(10)
    })
  })

  describe('get and list', () => {
    it('keeps projects apart', async () => {
      const mine = await fx.volumes.create(alice, { sizeGb: 1, name: 'shared-name' })
      await fx.volumes.create(bob, { sizeGb: 1, name: 'shared-name' })
      await expectKind(fx.volumes.get(bob, mine.id), 'not_found')
      await expectKind(fx.volumes.update(bob, mine.id, { name: 'stolen' }), 'not_found')
      await expectKind(fx.volumes.extend(bob, mine.id, 5), 'not_found')
      await expectKind(fx.volumes.delete(bob, mine.id), 'not_found')
      await expectKind(fx.volumes.setBootable(bob, mine.id, true), 'not_found')
      const listed = await fx.volumes.list(alice, { limit: 10, marker: null, name: 'shared-name' })
      expect(listed.items.map((volume) => volume.id)).toEqual([mine.id])
    })

    it('pages newest first by default and oldest first on request, continuing after the marker', async () => {
      const ids: string[] = []
      for (let index = 0; index < 5; index++) {
        ids.push((await fx.volumes.create(alice, { sizeGb: 1, name: `v${index}` })).id)
        fx.clock.advance(1000)
      }
      const first = await fx.volumes.list(alice, { limit: 2, marker: null })
      expect(first.items.map((volume) => volume.name)).toEqual(['v4', 'v3'])
      expect(first.hasMore).toBe(true)
      const second = await fx.volumes.list(alice, { limit: 2, marker: first.items[1].id })
      expect(second.items.map((volume) => volume.name)).toEqual(['v2', 'v1'])
      const last = await fx.volumes.list(alice, { limit: 2, marker: second.items[1].id })
      expect(last.items.map((volume) => volume.name)).toEqual(['v0'])
      expect(last.hasMore).toBe(false)

      const ascending = await fx.volumes.list(alice, { limit: 3, marker: ids[0], direction: 'asc' })
      expect(ascending.items.map((volume) => volume.id)).toEqual(ids.slice(1, 4))
    })

    it('pages through volumes created in the same millisecond without repeats or gaps', async () => {
      const ids = new Set<string>()
      for (let index = 0; index < 7; index++) ids.add((await fx.volumes.create(alice, { sizeGb: 1 })).id)
      const seen: string[] = []
      let marker: string | null = null
      for (;;) {
        const page = await fx.volumes.list(alice, { limit: 3, marker })
        seen.push(...page.items.map((volume) => volume.id))
        if (!page.hasMore) break
        marker = page.items[page.items.length - 1].id
      }
      expect(seen).toHaveLength(7)
      expect(new Set(seen)).toEqual(ids)
    })

    it('filters by status and name, and rejects an unknown or foreign marker', async () => {
      const attached = await fx.volumes.create(alice, { sizeGb: 1, name: 'a' })
      await fx.volumes.create(alice, { sizeGb: 1, name: 'b' })
      await fx.store.transaction((tx) => reserveVolumeAttachment(tx, alice, {
        volumeId: attached.id, serverId: 'server-1', deleteOnTermination: false,
      }, fx.clock.now()))
      const attaching = await fx.volumes.list(alice, { limit: 10, marker: null, status: 'attaching' })
      expect(attaching.items.map((volume) => volume.id)).toEqual([attached.id])
      expect(attaching.items[0].attachments).toMatchObject([{ serverId: 'server-1', device: '/dev/vdb' }])
      expect((await fx.volumes.list(alice, { limit: 10, marker: null, name: 'b' })).items).toHaveLength(1)

      const foreign = await fx.volumes.create(bob, { sizeGb: 1 })
      await expectKind(fx.volumes.list(alice, { limit: 10, marker: foreign.id }), 'bad_request')
      await expectKind(fx.volumes.list(alice, { limit: 10, marker: 'nope' }), 'bad_request')
      await expectKind(fx.volumes.list(alice, { limit: -1, marker: null }), 'bad_request')
    })
  })

  describe('update, bootable, extend', () => {
    it('updates name, description and metadata and stamps updated_at', async () => {
      const volume = await fx.volumes.create(alice, { sizeGb: 1, name: 'old', metadata: { a: '1' } })
      fx.clock.advance(5000)
      const updated = await fx.volumes.update(alice, volume.id, { name: 'new', description: 'd', metadata: { b: '2' } })
      expect(updated).toMatchObject({ name: 'new', description: 'd', metadata: { b: '2' }, createdAt: START })
      expect(updated.updatedAt).toEqual(new Date(START.getTime() + 5000))
      expect((await fx.volumes.setMetadata(alice, volume.id, { c: '3' }, 'merge')).metadata).toEqual({ b: '2', c: '3' })
      expect((await fx.volumes.deleteMetadataItem(alice, volume.id, 'b')).metadata).toEqual({ c: '3' })
      await expectKind(fx.volumes.deleteMetadataItem(alice, volume.id, 'b'), 'not_found')
      expect((await fx.volumes.setBootable(alice, volume.id, true)).bootable).toBe(true)
      expect((await fx.volumes.get(alice, volume.id)).bootable).toBe(true)
    })

    it('extends only to a larger size, within the gigabytes quota', async () => {
      const carol = await fx.newProject({ quotaLimits: { gigabytes: 20 } })
      const volume = await fx.volumes.create(carol, { sizeGb: 5 })
      await expectKind(fx.volumes.extend(carol, volume.id, 5), 'bad_request')
      await expectKind(fx.volumes.extend(carol, volume.id, 3), 'bad_request')
      await expectKind(fx.volumes.extend(carol, volume.id, 21), 'quota_exceeded')
      expect((await fx.volumes.get(carol, volume.id)).sizeGb).toBe(5)
      expect((await fx.volumes.extend(carol, volume.id, 20)).sizeGb).toBe(20)
      expect(await fx.inUse(carol, 'gigabytes')).toBe(20)
    })
  })

  describe('delete', () => {
    it('deletes an available volume and returns its quota', async () => {
      const volume = await fx.volumes.create(alice, { sizeGb: 7 })
      await fx.volumes.delete(alice, volume.id)
      await expectKind(fx.volumes.get(alice, volume.id), 'not_found')
      await expectKind(fx.volumes.delete(alice, volume.id), 'not_found')
      expect(await fx.inUse(alice, 'volumes')).toBe(0)
      expect(await fx.inUse(alice, 'gigabytes')).toBe(0)
    })

    it('refuses a volume that is attaching or in use', async () => {
      const volume = await fx.volumes.create(alice, { sizeGb: 1 })
      await fx.store.transaction((tx) => reserveVolumeAttachment(tx, alice, {
        volumeId: volume.id, serverId: 'server-1', deleteOnTermination: false,
      }, fx.clock.now()))
      const err = await expectKind(fx.volumes.delete(alice, volume.id), 'invalid_state')
      expect(err.state).toBe('attaching')
      expect(await fx.inUse(alice, 'volumes')).toBe(1)
    })

    it('refuses a volume with snapshots unless cascading, which deletes them with their quota', async () => {
      const volume = await fx.volumes.create(alice, { sizeGb: 3 })
      const first = await fx.snapshots.create(alice, { volumeId: volume.id })
      await fx.snapshots.create(alice, { volumeId: volume.id })
      expect(await fx.inUse(alice, 'gigabytes')).toBe(9)
      await expectKind(fx.volumes.delete(alice, volume.id), 'conflict')
      await fx.volumes.delete(alice, volume.id, { cascade: true })
      await expectKind(fx.snapshots.get(alice, first.id), 'not_found')
      expect(await fx.inUse(alice, 'snapshots')).toBe(0)
      expect(await fx.inUse(alice, 'gigabytes')).toBe(0)
      expect(await fx.inUse(alice, 'volumes')).toBe(0)
    })
  })

  describe('volume types', () => {
    it('lists public types, finds them by id or name, and knows the default', async () => {
      expect((await fx.volumes.listTypes(alice)).map((type) => type.name)).toEqual(['General HDD', 'General SSD', 'Shared SSD'])
      expect(await fx.volumes.getType(alice, 'General SSD')).toEqual(fx.types.ssd)
      expect(await fx.volumes.getType(alice, fx.types.ssd.id)).toEqual(fx.types.ssd)
      expect((await fx.volumes.defaultType()).name).toBe('General HDD')
      await expectKind(fx.volumes.getType(alice, 'nope'), 'not_found')
    })

    it('only admins create types; private ones stay hidden from members', async () => {
      const admin = await fx.newProject({ roles: ['admin'] })
      await expectKind(fx.volumes.createType(alice, { name: 'Gold' }), 'forbidden')
      const gold = await fx.volumes.createType(admin, { name: 'Gold', isPublic: false, extraSpecs: { tier: 'gold' } })
      expect(gold).toMatchObject({ name: 'Gold', isPublic: false, isDefault: false, extraSpecs: { tier: 'gold' } })
      await expectKind(fx.volumes.createType(admin, { name: 'Gold' }), 'conflict')
      expect((await fx.volumes.listTypes(alice)).map((type) => type.name)).not.toContain('Gold')
      expect((await fx.volumes.listTypes(admin)).map((type) => type.name)).toContain('Gold')
      await expectKind(fx.volumes.create(alice, { sizeGb: 1, volumeType: 'Gold' }), 'not_found')
      expect((await fx.volumes.create(admin, { sizeGb: 1, volumeType: 'Gold' })).volumeTypeName).toBe('Gold')
    })

    it('seeding again changes nothing and keeps one default', async () => {
      const again = await fx.store.transaction((tx) =>
        ensureVolumeTypes(tx, [{ name: 'General SSD', isDefault: true, description: 'changed' }], fx.clock.now()))
      expect(again[0]).toEqual(fx.types.ssd)
      expect((await fx.volumes.defaultType()).id).toBe(fx.types.hdd.id)
    })
  })
})
