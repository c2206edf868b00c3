import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Owner } from '../../src/core/shared/owner.ts'
import { completeVolumeAttachment, reserveVolumeAttachment } from '../../src/core/volumes/volume-attachments.ts'
import { testEngines } from '../support/stores.ts'
import { createStorageFixture, expectKind, START, type StorageFixture } from './storage-fixture.ts'

describe.each(await testEngines())('volume snapshots on %s', (engine) => {
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

  const attach = (owner: Owner, volumeId: string, serverId: string) => fx.store.transaction(async (tx) => {
    const reserved = await reserveVolumeAttachment(tx, owner, { volumeId, serverId, deleteOnTermination: false }, fx.clock.now())
    return completeVolumeAttachment(tx, reserved.id, fx.clock.now())
  })

  it('snapshots an available volume at its size, consuming snapshots and gigabytes quota', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 6 })
    const snapshot = await fx.snapshots.create(alice, { volumeId: volume.id, name: 'before-upgrade', description: 'd', metadata: { k: 'v' } })
    expect(snapshot).toMatchObject({
      projectId: alice.projectId, volumeId: volume.id, name: 'before-upgrade', description: 'd', sizeGb: 6,
      status: 'available', metadata: { k: 'v' }, createdAt: START, updatedAt: START,
    })
    expect(await fx.snapshots.get(alice, snapshot.id)).toEqual(snapshot)
    expect(await fx.inUse(alice, 'snapshots')).toBe(1)
    expect(await fx.inUse(alice, 'gigabytes')).toBe(12)
    // The volume is not affected.
    expect((await fx.volumes.get(alice, volume.id)).status).toBe('available')
  })

  it('needs force for an in-use volume and refuses a volume in a transitional status', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 1 })
    await attach(alice, volume.id, 's1')
    expect((await expectKind(fx.snapshots.create(alice, { volumeId: volume.id }), 'invalid_state')).state).toBe('in-use')
    expect((await fx.snapshots.create(alice, { volumeId: volume.id, force: true })).status).toBe('available')

    const attaching = await fx.volumes.create(alice, { sizeGb: 1 })
    await fx.store.transaction((tx) => reserveVolumeAttachment(tx, alice, {
      volumeId: attaching.id, serverId: 's2', deleteOnTermination: false,
    }, fx.clock.now()))
    await expectKind(fx.snapshots.create(alice, { volumeId: attaching.id, force: true }), 'invalid_state')
  })

  it('stops at the snapshots quota and at the gigabytes quota', async () => {
    const carol = await fx.newProject({ quotaLimits: { snapshots: 2, gigabytes: 10 } })
    const volume = await fx.volumes.create(carol, { sizeGb: 3 })
    await fx.snapshots.create(carol, { volumeId: volume.id })
    await fx.snapshots.create(carol, { volumeId: volume.id })
    expect((await expectKind(fx.snapshots.create(carol, { volumeId: volume.id }), 'quota_exceeded')).quota).toBe('snapshots')
    const big = await fx.newProject({ quotaLimits: { gigabytes: 10 } })
    const large = await fx.volumes.create(big, { sizeGb: 6 })
    expect((await expectKind(fx.snapshots.create(big, { volumeId: large.id }), 'quota_exceeded')).quota).toBe('gigabytes')
    expect(await fx.inUse(big, 'snapshots')).toBe(0)
  })

  it('lists with filters and keyset pages, updates, and deletes returning quota', async () => {
    const first = await fx.volumes.create(alice, { sizeGb: 1 })
    const second = await fx.volumes.create(alice, { sizeGb: 2 })
    const made = []
    for (const [index, volume] of [first, first, second].entries()) {
      made.push(await fx.snapshots.create(alice, { volumeId: volume.id, name: `s${index}` }))
      fx.clock.advance(1000)
    }
    const ofFirst = await fx.snapshots.list(alice, { limit: 10, marker: null, volumeId: first.id })
    expect(ofFirst.items.map((snapshot) => snapshot.name)).toEqual(['s1', 's0'])
    const page = await fx.snapshots.list(alice, { limit: 1, marker: made[2].id })
    expect(page).toEqual({ items: [made[1]], hasMore: true })
    expect((await fx.snapshots.list(alice, { limit: 10, marker: null, name: 's2' })).items.map((s) => s.id)).toEqual([made[2].id])

    const updated = await fx.snapshots.update(alice, made[0].id, { name: 'renamed', description: 'new', metadata: { a: 'b' } })
    expect(updated).toMatchObject({ name: 'renamed', description: 'new', metadata: { a: 'b' } })
    expect(updated.updatedAt.getTime()).toBeGreaterThan(updated.createdAt.getTime())

    await fx.snapshots.delete(alice, made[2].id)
    await expectKind(fx.snapshots.get(alice, made[2].id), 'not_found')
    await expectKind(fx.snapshots.delete(alice, made[2].id), 'not_found')
    expect(await fx.inUse(alice, 'snapshots')).toBe(2)
    expect(await fx.inUse(alice, 'gigabytes')).toBe(1 + 2 + 1 + 1)
  })

  it('keeps projects apart', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 1 })
    const snapshot = await fx.snapshots.create(alice, { volumeId: volume.id })
    await expectKind(fx.snapshots.create(bob, { volumeId: volume.id }), 'not_found')
    await expectKind(fx.snapshots.get(bob, snapshot.id), 'not_found')
    await expectKind(fx.snapshots.update(bob, snapshot.id, { name: 'x' }), 'not_found')
    await expectKind(fx.snapshots.delete(bob, snapshot.id), 'not_found')
    expect((await fx.snapshots.list(bob, { limit: 10, marker: null })).items).toEqual([])
    await expectKind(fx.snapshots.list(bob, { limit: 10, marker: snapshot.id }), 'bad_request')
    expect(await fx.snapshots.get(alice, snapshot.id)).toEqual(snapshot)
  })
})
