import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Repositories } from '../../src/core/ports/store.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import { ensurePublicImage } from '../../src/core/images/image-seeds.ts'
import { createBootVolume } from '../../src/core/volumes/boot-volumes.ts'
import {
  abortVolumeAttachment, beginVolumeDetach, completeVolumeAttachment, completeVolumeDetach, getServerVolumeAttachment,
  releaseServerVolumes, reserveVolumeAttachment, serverVolumeAttachments, serverVolumeDisks,
  setVolumeDeleteOnTermination, type AttachmentRequest,
} from '../../src/core/volumes/volume-attachments.ts'
import type { Attachment } from '../../src/core/volumes/volume.ts'
import { testEngines } from '../support/stores.ts'
import { createStorageFixture, expectKind, ZONE, type StorageFixture } from './storage-fixture.ts'

describe.each(await testEngines())('volume attachments on %s', (engine) => {
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

  const inTx = <T>(work: (tx: Repositories) => Promise<T>) => fx.store.transaction(work)
  const reserve = (owner: Owner, request: Partial<AttachmentRequest> & { volumeId: string; serverId: string }) =>
    inTx((tx) => reserveVolumeAttachment(tx, owner, { deleteOnTermination: false, ...request }, fx.clock.now()))
  const complete = (attachment: Attachment) => inTx((tx) => completeVolumeAttachment(tx, attachment.id, fx.clock.now()))
  const attach = async (owner: Owner, request: Partial<AttachmentRequest> & { volumeId: string; serverId: string }) =>
    complete(await reserve(owner, request))
  const beginDetach = (owner: Owner, volumeId: string, serverId: string) =>
    inTx((tx) => beginVolumeDetach(tx, owner, { volumeId, serverId }, fx.clock.now()))
  const finishDetach = (attachment: Attachment) => inTx((tx) => completeVolumeDetach(tx, attachment.id, fx.clock.now()))
  const status = async (volumeId: string) => (await fx.volumes.get(alice, volumeId)).status

  it('reserve → attaching, complete → attached and in-use, detach → detaching, then available', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 1 })
    const reserved = await reserve(alice, { volumeId: volume.id, serverId: 's1', deleteOnTermination: true })
    expect(reserved).toMatchObject({
      volumeId: volume.id, serverId: 's1', projectId: alice.projectId, device: '/dev/vdb', bootIndex: null,
      deleteOnTermination: true, status: 'attaching',
    })
    expect(await status(volume.id)).toBe('attaching')

    const attached = await complete(reserved)
    expect(attached.status).toBe('attached')
    expect(await status(volume.id)).toBe('in-use')
    // Completing again (a task retried after a crash) changes nothing.
    expect(await complete(reserved)).toEqual(attached)

    const detaching = await beginDetach(alice, volume.id, 's1')
    expect(detaching.status).toBe('detaching')
    expect(await status(volume.id)).toBe('detaching')
    const after = await finishDetach(detaching)
    expect(after?.status).toBe('available')
    expect((await fx.volumes.get(alice, volume.id)).attachments).toEqual([])
    expect(await finishDetach(detaching)).toBeNull()
  })

  it('names devices /dev/vdb, /dev/vdc… per server, honours a free requested device and gives /dev/vda to the boot volume', async () => {
    const volumes = await Promise.all(Array.from({ length: 5 }, () => fx.volumes.create(alice, { sizeGb: 1 })))
    expect((await attach(alice, { volumeId: volumes[0].id, serverId: 's1' })).device).toBe('/dev/vdb')
    expect((await attach(alice, { volumeId: volumes[1].id, serverId: 's1' })).device).toBe('/dev/vdc')
    // Taken: the next free one instead. Free: as asked.
    expect((await attach(alice, { volumeId: volumes[2].id, serverId: 's1', device: '/dev/vdb' })).device).toBe('/dev/vdd')
    expect((await attach(alice, { volumeId: volumes[3].id, serverId: 's1', device: '/dev/vdz' })).device).toBe('/dev/vdz')
    // Another server starts over; a boot volume gets the root device.
    expect((await attach(alice, { volumeId: volumes[4].id, serverId: 's2', bootIndex: 0 })).device).toBe('/dev/vda')
    await expectKind(reserve(alice, { volumeId: (await fx.volumes.create(alice, { sizeGb: 1 })).id, serverId: 's1', device: 'vdb' }), 'bad_request')

    // A freed device is handed out again.
    await beginDetach(alice, volumes[0].id, 's1').then(finishDetach)
    const again = await fx.volumes.create(alice, { sizeGb: 1 })
    expect((await attach(alice, { volumeId: again.id, serverId: 's1' })).device).toBe('/dev/vdb')
  })

  it('refuses a volume that is not available and the same volume twice on one server', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 1 })
    await attach(alice, { volumeId: volume.id, serverId: 's1' })
    const busy = await expectKind(reserve(alice, { volumeId: volume.id, serverId: 's2' }), 'invalid_state')
    expect(busy.state).toBe('in-use')
    await expectKind(reserve(alice, { volumeId: volume.id, serverId: 's1' }), 'conflict')
    const reserved = await fx.volumes.create(alice, { sizeGb: 1 })
    await reserve(alice, { volumeId: reserved.id, serverId: 's1' })
    expect((await expectKind(reserve(alice, { volumeId: reserved.id, serverId: 's2' }), 'invalid_state')).state).toBe('attaching')
  })

  it('multi-attach: a second server attaches an in-use volume, which stays in-use until the last detach', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 1, volumeType: 'Shared SSD' })
    const first = await attach(alice, { volumeId: volume.id, serverId: 's1' })
    const second = await reserve(alice, { volumeId: volume.id, serverId: 's2' })
    expect(await status(volume.id)).toBe('in-use')
    await complete(second)
    await expectKind(reserve(alice, { volumeId: volume.id, serverId: 's1' }), 'conflict')
    expect((await fx.volumes.get(alice, volume.id)).attachments.map((a) => a.serverId).sort()).toEqual(['s1', 's2'])

    await beginDetach(alice, volume.id, 's1')
    expect(await status(volume.id)).toBe('in-use')
    await finishDetach(first)
    expect(await status(volume.id)).toBe('in-use')
    await beginDetach(alice, volume.id, 's2').then(finishDetach)
    expect(await status(volume.id)).toBe('available')
  })

  it('abort rolls a reservation back to available and a detach back to attached', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 1 })
    const reserved = await reserve(alice, { volumeId: volume.id, serverId: 's1' })
    const rolledBack = await inTx((tx) => abortVolumeAttachment(tx, reserved.id, fx.clock.now()))
    expect(rolledBack?.status).toBe('available')
    expect((await fx.volumes.get(alice, volume.id)).attachments).toEqual([])
    await expectKind(complete(reserved), 'not_found')

    const attached = await attach(alice, { volumeId: volume.id, serverId: 's1' })
    await beginDetach(alice, volume.id, 's1')
    const restored = await inTx((tx) => abortVolumeAttachment(tx, attached.id, fx.clock.now()))
    expect(restored?.status).toBe('in-use')
    expect((await fx.volumes.get(alice, volume.id)).attachments).toMatchObject([{ status: 'attached', device: attached.device }])
    // A multi-attach volume keeps serving its other server when one attach is aborted.
    const shared = await fx.volumes.create(alice, { sizeGb: 1, volumeType: 'Shared SSD' })
    await attach(alice, { volumeId: shared.id, serverId: 's1' })
    const pending = await reserve(alice, { volumeId: shared.id, serverId: 's2' })
    expect((await inTx((tx) => abortVolumeAttachment(tx, pending.id, fx.clock.now())))?.status).toBe('in-use')
  })

  it('detach: not attached is not found, the boot volume cannot be detached, a pending attach is not detachable', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 1 })
    await expectKind(beginDetach(alice, volume.id, 's1'), 'not_found')
    await reserve(alice, { volumeId: volume.id, serverId: 's1' })
    expect((await expectKind(beginDetach(alice, volume.id, 's1'), 'invalid_state')).state).toBe('attaching')

    const root = await fx.volumes.create(alice, { sizeGb: 1 })
    await attach(alice, { volumeId: root.id, serverId: 's2', bootIndex: 0 })
    await expectKind(beginDetach(alice, root.id, 's2'), 'bad_request')
    expect(await status(root.id)).toBe('in-use')
  })

  it('keeps projects apart', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 1 })
    await expectKind(reserve(bob, { volumeId: volume.id, serverId: 'bobs-server' }), 'not_found')
    await attach(alice, { volumeId: volume.id, serverId: 's1' })
    await expectKind(beginDetach(bob, volume.id, 's1'), 'not_found')
    await expectKind(inTx((tx) => getServerVolumeAttachment(tx, bob, { volumeId: volume.id, serverId: 's1' })), 'not_found')
    await expectKind(inTx((tx) => setVolumeDeleteOnTermination(tx, bob, { volumeId: volume.id, serverId: 's1', deleteOnTermination: true })), 'not_found')
    expect(await status(volume.id)).toBe('in-use')
  })

  it('lists the attachments of many servers in one call, boot volume first', async () => {
    const [data, root, other] = await Promise.all([1, 2, 3].map(() => fx.volumes.create(alice, { sizeGb: 1 })))
    await attach(alice, { volumeId: data.id, serverId: 's1' })
    await attach(alice, { volumeId: root.id, serverId: 's1', bootIndex: 0 })
    await attach(alice, { volumeId: other.id, serverId: 's2' })
    const byServer = await serverVolumeAttachments(fx.store, ['s1', 's2', 's3'])
    expect([...byServer.keys()]).toEqual(['s1', 's2', 's3'])
    expect(byServer.get('s1')!.map((a) => [a.volumeId, a.device])).toEqual([[root.id, '/dev/vda'], [data.id, '/dev/vdb']])
    expect(byServer.get('s2')!.map((a) => a.volumeId)).toEqual([other.id])
    expect(byServer.get('s3')).toEqual([])
    expect(await serverVolumeDisks(fx.store, 's1')).toEqual([
      { volumeId: root.id, sizeGb: 1, bootIndex: 0, imagePath: null, device: '/dev/vda' },
      { volumeId: data.id, sizeGb: 1, bootIndex: null, imagePath: null, device: '/dev/vdb' },
    ])
  })

  describe('releasing a deleted server\'s volumes', () => {
    it('detaches everything and deletes the delete_on_termination volumes with their quota', async () => {
      const root = await fx.volumes.create(alice, { sizeGb: 10 })
      const keep = await fx.volumes.create(alice, { sizeGb: 2 })
      const pending = await fx.volumes.create(alice, { sizeGb: 3 })
      await attach(alice, { volumeId: root.id, serverId: 's1', bootIndex: 0, deleteOnTermination: true })
      await attach(alice, { volumeId: keep.id, serverId: 's1' })
      await reserve(alice, { volumeId: pending.id, serverId: 's1', deleteOnTermination: true })
      expect(await fx.inUse(alice, 'gigabytes')).toBe(15)

      const released = await inTx((tx) => releaseServerVolumes(tx, 's1', fx.clock.now()))
      expect(released.detached.map((a) => a.volumeId).sort()).toEqual([root.id, keep.id, pending.id].sort())
      expect([...released.deletedVolumeIds].sort()).toEqual([root.id, pending.id].sort())
      expect(released.keptVolumeIds).toEqual([])
      await expectKind(fx.volumes.get(alice, root.id), 'not_found')
      expect(await fx.volumes.get(alice, keep.id)).toMatchObject({ status: 'available', attachments: [] })
      expect(await fx.inUse(alice, 'volumes')).toBe(1)
      expect(await fx.inUse(alice, 'gigabytes')).toBe(2)
      expect((await serverVolumeAttachments(fx.store, ['s1'])).get('s1')).toEqual([])
    })

    it('keeps a delete_on_termination volume that has snapshots or is still attached elsewhere', async () => {
      const snapped = await fx.volumes.create(alice, { sizeGb: 1 })
      const shared = await fx.volumes.create(alice, { sizeGb: 1, volumeType: 'Shared SSD' })
      await attach(alice, { volumeId: snapped.id, serverId: 's1', deleteOnTermination: true })
      await fx.snapshots.create(alice, { volumeId: snapped.id, force: true })
      await attach(alice, { volumeId: shared.id, serverId: 's1', deleteOnTermination: true })
      await attach(alice, { volumeId: shared.id, serverId: 's2' })

      const released = await inTx((tx) => releaseServerVolumes(tx, 's1', fx.clock.now()))
      expect(released.deletedVolumeIds).toEqual([])
      expect([...released.keptVolumeIds].sort()).toEqual([snapped.id, shared.id].sort())
      expect(await status(snapped.id)).toBe('available')
      expect(await fx.volumes.get(alice, shared.id)).toMatchObject({ status: 'in-use', attachments: [{ serverId: 's2' }] })
    })

    it('follows a delete_on_termination change', async () => {
      const volume = await fx.volumes.create(alice, { sizeGb: 1 })
      await attach(alice, { volumeId: volume.id, serverId: 's1' })
      const changed = await inTx((tx) =>
        setVolumeDeleteOnTermination(tx, alice, { volumeId: volume.id, serverId: 's1', deleteOnTermination: true }))
      expect(changed.deleteOnTermination).toBe(true)
      expect((await inTx((tx) => releaseServerVolumes(tx, 's1', fx.clock.now()))).deletedVolumeIds).toEqual([volume.id])
    })
  })

  describe('block device volumes', () => {
    it('creates a bootable volume from an image in the server\'s zone, sized at least as the image needs', async () => {
      const image = await inTx((tx) => ensurePublicImage(tx, {
        name: 'CentOS', osType: 'linux', minDiskGb: 10, minRamMb: 0, sizeBytes: 1024 ** 3,
      }, fx.clock.now()))
      const request = { source: 'image' as const, sourceId: image.id, volumeType: null, availabilityZone: ZONE, name: 'root' }
      await expectKind(inTx((tx) => createBootVolume(tx, alice, { ...request, sizeGb: 9 }, fx.clock.now())), 'bad_request')
      const { volume, created } = await inTx((tx) => createBootVolume(tx, alice, { ...request, sizeGb: 10 }, fx.clock.now()))
      expect(created).toBe(true)
      expect(volume).toMatchObject({ bootable: true, imageId: image.id, sizeGb: 10, name: 'root', availabilityZone: ZONE })
      const reserved = await reserve(alice, { volumeId: volume.id, serverId: 's1', bootIndex: 0 })
      expect(reserved.device).toBe('/dev/vda')
      expect(await fx.inUse(alice, 'volumes')).toBe(1)
    })

    it('uses an existing bootable available volume as is, and refuses one that is not bootable', async () => {
      const plain = await fx.volumes.create(alice, { sizeGb: 3 })
      const source = { source: 'volume' as const, sourceId: plain.id, availabilityZone: ZONE }
      await expectKind(inTx((tx) => createBootVolume(tx, alice, source, fx.clock.now())), 'bad_request')
      await fx.volumes.setBootable(alice, plain.id, true)
      const { volume, created } = await inTx((tx) => createBootVolume(tx, alice, source, fx.clock.now()))
      expect(created).toBe(false)
      expect(volume.id).toBe(plain.id)
      await expectKind(inTx((tx) => createBootVolume(tx, bob, source, fx.clock.now())), 'not_found')
      // As a data disk it need not be bootable.
      const data = await fx.volumes.create(alice, { sizeGb: 1 })
      const asData = await inTx((tx) => createBootVolume(tx, alice, { source: 'volume', sourceId: data.id, availabilityZone: ZONE, boot: false }, fx.clock.now()))
      expect(asData.volume.id).toBe(data.id)
    })

    it('creates from a snapshot at its size by default, and blank volumes only as data disks', async () => {
      const parent = await fx.volumes.create(alice, { sizeGb: 4 })
      await fx.volumes.setBootable(alice, parent.id, true)
      const snapshot = await fx.snapshots.create(alice, { volumeId: parent.id })
      const fromSnapshot = await inTx((tx) => createBootVolume(tx, alice, { source: 'snapshot', sourceId: snapshot.id, availabilityZone: ZONE }, fx.clock.now()))
      expect(fromSnapshot.volume).toMatchObject({ sizeGb: 4, snapshotId: snapshot.id, bootable: true })

      await expectKind(inTx((tx) => createBootVolume(tx, alice, { source: 'blank', sourceId: null, sizeGb: 5, availabilityZone: ZONE }, fx.clock.now())), 'bad_request')
      await expectKind(inTx((tx) => createBootVolume(tx, alice, { source: 'blank', sourceId: null, availabilityZone: ZONE, boot: false }, fx.clock.now())), 'bad_request')
      const blank = await inTx((tx) => createBootVolume(tx, alice, { source: 'blank', sourceId: null, sizeGb: 5, availabilityZone: ZONE, boot: false, volumeType: 'General SSD' }, fx.clock.now()))
      expect(blank.volume).toMatchObject({ sizeGb: 5, bootable: false, volumeTypeName: 'General SSD' })
    })
  })
})

describe.each(await testEngines())('concurrent attachments on %s', (engine) => {
  let fx: StorageFixture
  let alice: Owner

  beforeEach(async () => {
    fx = await createStorageFixture(engine)
    alice = await fx.newProject()
  })
  afterEach(async () => {
    await fx.close()
  })

  it('gives volumes attached to one server at the same time distinct devices', async () => {
    const volumes = await Promise.all(Array.from({ length: 8 }, () => fx.volumes.create(alice, { sizeGb: 1 })))
    const attachments = await Promise.all(volumes.map((volume) => fx.store.transaction((tx) =>
      reserveVolumeAttachment(tx, alice, { volumeId: volume.id, serverId: 'busy', deleteOnTermination: false }, fx.clock.now()))))
    expect(attachments.map((attachment) => attachment.device).sort())
      .toEqual(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((letter) => `/dev/vd${letter}`))
  })

  it('lets one of many concurrent attaches of a single-attach volume win', async () => {
    const volume = await fx.volumes.create(alice, { sizeGb: 1 })
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, index) => fx.store.transaction((tx) =>
      reserveVolumeAttachment(tx, alice, { volumeId: volume.id, serverId: `s${index}`, deleteOnTermination: false }, fx.clock.now()))))
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
    expect((await fx.volumes.get(alice, volume.id)).attachments).toHaveLength(1)
  })
})
