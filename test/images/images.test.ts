import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Image } from '../../src/core/images/image.ts'
import type { ImageListQuery } from '../../src/core/images/image-service.ts'
import { ensurePublicImage } from '../../src/core/images/image-seeds.ts'
import {
  beginServerSnapshot, failServerSnapshot, finishServerSnapshot, saveServerSnapshot,
} from '../../src/core/images/server-snapshots.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import { testEngines } from '../support/stores.ts'
import { createStorageFixture, expectKind, START, type StorageFixture } from '../volumes/storage-fixture.ts'

async function* chunks(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part
}

async function* failingAfter(first: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(first)
  throw new Error('client went away')
}

async function collect(data: AsyncIterable<Uint8Array> | null): Promise<Buffer | null> {
  if (data === null) return null
  const parts: Buffer[] = []
  for await (const part of data) parts.push(Buffer.from(part))
  return Buffer.concat(parts)
}

const RAW = { diskFormat: 'raw', containerFormat: 'bare' } as const

describe.each(await testEngines())('images on %s', (engine) => {
  let fx: StorageFixture
  let alice: Owner
  let bob: Owner
  let admin: Owner

  beforeEach(async () => {
    fx = await createStorageFixture(engine, { maxImageSizeBytes: 64 })
    alice = await fx.newProject()
    bob = await fx.newProject()
    admin = await fx.newProject({ roles: ['admin'] })
  })
  afterEach(async () => {
    await fx.close()
  })

  const ids = (images: readonly Image[]) => images.map((image) => image.name)
  const list = async (owner: Owner, query: Partial<ImageListQuery> = {}) =>
    ids((await fx.images.list(owner, { limit: 100, marker: null, ...query })).items).sort()
  const filesOnDisk = () => readdirSync(fx.imageDirectory)

  describe('records', () => {
    it('creates a queued record, shared by default, consuming images quota', async () => {
      const image = await fx.images.create(alice, {
        name: 'base', ...RAW, minDiskGb: 3, minRamMb: 512, tags: ['a', 'b', 'a'], protected: true,
        properties: { os_distro: 'ubuntu', os_type: 'windows' },
      })
      expect(image).toMatchObject({
        ownerProjectId: alice.projectId, name: 'base', status: 'queued', visibility: 'shared', diskFormat: 'raw',
        containerFormat: 'bare', minDiskGb: 3, minRamMb: 512, sizeBytes: null, checksumMd5: null, sha512: null,
        protected: true, osType: 'windows', properties: { os_distro: 'ubuntu', os_type: 'windows' }, tags: ['a', 'b'],
        filePath: null, sourceServerId: null, createdAt: START, updatedAt: START,
      })
      expect(await fx.images.get(alice, image.id)).toEqual(image)
      expect(await fx.inUse(alice, 'images')).toBe(1)
    })

    it('validates formats, minimums, reserved attributes, ids and who may publicize', async () => {
      await expectKind(fx.images.create(alice, { diskFormat: 'exe' }), 'bad_request')
      await expectKind(fx.images.create(alice, { containerFormat: 'zip' }), 'bad_request')
      await expectKind(fx.images.create(alice, { diskFormat: 'aki', containerFormat: 'bare' }), 'bad_request')
      await expectKind(fx.images.create(alice, { minDiskGb: -1 }), 'bad_request')
      await expectKind(fx.images.create(alice, { properties: { checksum: 'x' } }), 'forbidden')
      await expectKind(fx.images.create(alice, { properties: { os_glance_import_task: 'x' } }), 'forbidden')
      await expectKind(fx.images.create(alice, { visibility: 'public' }), 'forbidden')
      await expectKind(fx.images.create(alice, { visibility: 'everyone' as never }), 'bad_request')
      await expectKind(fx.images.create(alice, { id: 'not-a-uuid' }), 'bad_request')
      expect(await fx.inUse(alice, 'images')).toBe(0)

      const id = '0b6c6f52-7f58-4a0e-9a73-6f1f2c3a9d10'
      expect((await fx.images.create(alice, { id, name: 'given id' })).id).toBe(id)
      await expectKind(fx.images.create(bob, { id }), 'conflict')
      expect(await fx.inUse(bob, 'images')).toBe(0)
      expect((await fx.images.create(admin, { name: 'pub', visibility: 'public' })).visibility).toBe('public')
    })

    it('stops at the images quota', async () => {
      const carol = await fx.newProject({ quotaLimits: { images: 1 } })
      await fx.images.create(carol, { name: 'one' })
      await expectKind(fx.images.create(carol, { name: 'two' }), 'quota_exceeded')
    })

    it('updates fields, tags and properties with Glance\'s add/replace/remove rules', async () => {
      const image = await fx.images.create(alice, { name: 'old', properties: { a: '1' } })
      fx.clock.advance(1000)
      const updated = await fx.images.update(alice, image.id, {
        name: 'new', minDiskGb: 5, minRamMb: 256, protected: true, tags: ['x'], diskFormat: 'qcow2',
        properties: [{ op: 'add', name: 'b', value: '2' }, { op: 'replace', name: 'a', value: '9' }, { op: 'add', name: 'os_type', value: 'windows' }],
      })
      expect(updated).toMatchObject({
        name: 'new', minDiskGb: 5, minRamMb: 256, protected: true, tags: ['x'], diskFormat: 'qcow2',
        properties: { a: '9', b: '2', os_type: 'windows' }, osType: 'windows',
      })
      expect(updated.updatedAt).toEqual(new Date(START.getTime() + 1000))
      await expectKind(fx.images.update(alice, image.id, { properties: [{ op: 'replace', name: 'zz', value: '1' }] }), 'conflict')
      await expectKind(fx.images.update(alice, image.id, { properties: [{ op: 'remove', name: 'zz' }] }), 'conflict')
      await expectKind(fx.images.update(alice, image.id, { properties: [{ op: 'add', name: 'size', value: '1' }] }), 'forbidden')
      await expectKind(fx.images.update(alice, image.id, { visibility: 'public' }), 'forbidden')
      const removed = await fx.images.update(alice, image.id, { properties: [{ op: 'remove', name: 'a' }] })
      expect(removed.properties).toEqual({ b: '2', os_type: 'windows' })
      expect((await fx.images.get(alice, image.id)).properties).toEqual({ b: '2', os_type: 'windows' })
    })

    it('adds tags idempotently and removes them; removing a missing tag is not found', async () => {
      const image = await fx.images.create(alice, { name: 'tagged' })
      await fx.images.addTag(alice, image.id, 'web')
      expect((await fx.images.addTag(alice, image.id, 'web')).tags).toEqual(['web'])
      expect((await fx.images.addTag(alice, image.id, 'db')).tags).toEqual(['web', 'db'])
      expect((await fx.images.removeTag(alice, image.id, 'web')).tags).toEqual(['db'])
      await expectKind(fx.images.removeTag(alice, image.id, 'web'), 'not_found')
      await expectKind(fx.images.addTag(alice, image.id, ''), 'bad_request')
    })

    it('deletes with its quota, but not while protected (forbidden, as Glance answers 403)', async () => {
      const image = await fx.images.create(alice, { name: 'keep', protected: true, ...RAW })
      await fx.images.upload(alice, image.id, chunks('bytes'))
      const err = await expectKind(fx.images.delete(alice, image.id), 'forbidden')
      expect(err.message).toMatch(/protected/)
      expect(filesOnDisk()).toEqual([image.id])
      await fx.images.update(alice, image.id, { protected: false })
      await fx.images.delete(alice, image.id)
      await expectKind(fx.images.get(alice, image.id), 'not_found')
      expect(filesOnDisk()).toEqual([])
      expect(await fx.inUse(alice, 'images')).toBe(0)
    })
  })

  describe('visibility across two projects', () => {
    let own: Record<'private' | 'shared' | 'community', Image>
    let publicImage: Image

    beforeEach(async () => {
      own = {
        private: await fx.images.create(alice, { name: 'alice-private', visibility: 'private' }),
        shared: await fx.images.create(alice, { name: 'alice-shared', visibility: 'shared' }),
        community: await fx.images.create(alice, { name: 'alice-community', visibility: 'community' }),
      }
      publicImage = await fx.images.create(admin, { name: 'admin-public', visibility: 'public' })
      await fx.images.create(bob, { name: 'bob-private', visibility: 'private' })
    })

    it('the owner sees all its own images; others see public and community ones only', async () => {
      expect(await list(alice)).toEqual(['admin-public', 'alice-community', 'alice-private', 'alice-shared'])
      expect(await list(bob)).toEqual(['admin-public', 'bob-private'])
      for (const image of [own.community, publicImage]) expect((await fx.images.get(bob, image.id)).id).toBe(image.id)
      for (const image of [own.private, own.shared]) await expectKind(fx.images.get(bob, image.id), 'not_found')
    })

    it('filters by visibility: community lists every community image, all adds them to the default', async () => {
      expect(await list(bob, { visibility: 'community' })).toEqual(['alice-community'])
      expect(await list(bob, { visibility: 'all' })).toEqual(['admin-public', 'alice-community', 'bob-private'])
      expect(await list(bob, { visibility: 'public' })).toEqual(['admin-public'])
      expect(await list(bob, { visibility: 'private' })).toEqual(['bob-private'])
      expect(await list(alice, { visibility: 'private' })).toEqual(['alice-private'])
      expect(await list(bob, { visibility: 'shared' })).toEqual([])
      expect(await list(alice, { visibility: 'shared' })).toEqual(['alice-shared'])
    })

    it('a member sees a shared image by id at once, and in lists once it accepts', async () => {
      const member = await fx.images.addMember(alice, own.shared.id, bob.projectId)
      expect(member).toMatchObject({ imageId: own.shared.id, memberProjectId: bob.projectId, status: 'pending' })
      expect((await fx.images.get(bob, own.shared.id)).id).toBe(own.shared.id)
      expect(await list(bob)).toEqual(['admin-public', 'bob-private'])
      expect(await list(bob, { visibility: 'shared', memberStatus: 'pending' })).toEqual(['alice-shared'])
      expect(await list(bob, { memberStatus: 'all' })).toEqual(['admin-public', 'alice-shared', 'bob-private'])

      expect((await fx.images.updateMember(bob, own.shared.id, bob.projectId, 'accepted')).status).toBe('accepted')
      expect(await list(bob)).toEqual(['admin-public', 'alice-shared', 'bob-private'])
      expect(await list(bob, { visibility: 'shared' })).toEqual(['alice-shared'])

      await fx.images.updateMember(bob, own.shared.id, bob.projectId, 'rejected')
      expect(await list(bob)).toEqual(['admin-public', 'bob-private'])
      expect((await fx.images.get(bob, own.shared.id)).id).toBe(own.shared.id)

      await fx.images.removeMember(alice, own.shared.id, bob.projectId)
      await expectKind(fx.images.get(bob, own.shared.id), 'not_found')
    })

    it('a visible image that is not one\'s own cannot be changed (forbidden); an invisible one is not found', async () => {
      await fx.images.addMember(alice, own.shared.id, bob.projectId)
      await expectKind(fx.images.update(bob, own.shared.id, { name: 'mine now' }), 'forbidden')
      await expectKind(fx.images.delete(bob, own.community.id), 'forbidden')
      await expectKind(fx.images.upload(bob, own.shared.id, chunks('x')), 'forbidden')
      await expectKind(fx.images.addTag(bob, publicImage.id, 't'), 'forbidden')
      await expectKind(fx.images.deactivate(bob, own.community.id), 'forbidden')
      await expectKind(fx.images.update(bob, own.private.id, { name: 'x' }), 'not_found')
      await expectKind(fx.images.delete(bob, own.private.id), 'not_found')
      expect((await fx.images.get(alice, own.shared.id)).name).toBe('alice-shared')
    })

    it('members: only shared images have them; the owner manages them, each member only its own status', async () => {
      const carol = await fx.newProject()
      await expectKind(fx.images.addMember(alice, own.private.id, bob.projectId), 'forbidden')
      await fx.images.addMember(alice, own.shared.id, bob.projectId)
      await fx.images.addMember(alice, own.shared.id, carol.projectId)
      await expectKind(fx.images.addMember(alice, own.shared.id, bob.projectId), 'conflict')
      await expectKind(fx.images.addMember(bob, own.shared.id, 'someone'), 'forbidden')

      expect((await fx.images.listMembers(alice, own.shared.id)).map((m) => m.memberProjectId).sort())
        .toEqual([bob.projectId, carol.projectId].sort())
      expect((await fx.images.listMembers(bob, own.shared.id)).map((m) => m.memberProjectId)).toEqual([bob.projectId])
      expect((await fx.images.getMember(alice, own.shared.id, carol.projectId)).status).toBe('pending')
      await expectKind(fx.images.getMember(bob, own.shared.id, carol.projectId), 'not_found')

      await expectKind(fx.images.updateMember(alice, own.shared.id, bob.projectId, 'accepted'), 'forbidden')
      await expectKind(fx.images.updateMember(bob, own.shared.id, carol.projectId, 'accepted'), 'forbidden')
      await expectKind(fx.images.updateMember(bob, own.shared.id, bob.projectId, 'maybe' as never), 'bad_request')
      await expectKind(fx.images.removeMember(bob, own.shared.id, bob.projectId), 'forbidden')
      await expectKind(fx.images.removeMember(alice, own.shared.id, 'never-added'), 'not_found')

      const outsider = await fx.newProject()
      await expectKind(fx.images.listMembers(outsider, own.shared.id), 'not_found')
    })
  })

  describe('listing', () => {
    it('filters by name, status, tag, owner and property and pages newest first after a visible marker', async () => {
      const made: Image[] = []
      for (let index = 0; index < 4; index++) {
        made.push(await fx.images.create(alice, {
          name: `img-${index}`, tags: index % 2 === 0 ? ['even', 'x'] : ['odd'],
          properties: { os_distro: index < 2 ? 'ubuntu' : 'rocky' },
        }))
        fx.clock.advance(1000)
      }
      await fx.images.create(admin, { name: 'other', visibility: 'public', tags: ['x'] })
      expect(await list(alice, { tags: ['even'] })).toEqual(['img-0', 'img-2'])
      expect(await list(alice, { tags: ['even', 'odd'] })).toEqual([])
      expect(await list(alice, { tags: ['x'] })).toEqual(['img-0', 'img-2', 'other'])
      expect(await list(alice, { properties: { os_distro: 'rocky' } })).toEqual(['img-2', 'img-3'])
      expect(await list(alice, { name: 'img-1' })).toEqual(['img-1'])
      expect(await list(alice, { ownerProjectId: alice.projectId, status: 'queued' })).toEqual(['img-0', 'img-1', 'img-2', 'img-3'])

      const first = await fx.images.list(alice, { limit: 2, marker: null, ownerProjectId: alice.projectId })
      expect(ids(first.items)).toEqual(['img-3', 'img-2'])
      expect(first.hasMore).toBe(true)
      const next = await fx.images.list(alice, { limit: 2, marker: first.items[1].id, ownerProjectId: alice.projectId })
      expect(ids(next.items)).toEqual(['img-1', 'img-0'])
      const ascending = await fx.images.list(alice, { limit: 2, marker: made[0].id, direction: 'asc', ownerProjectId: alice.projectId })
      expect(ids(ascending.items)).toEqual(['img-1', 'img-2'])

      await expectKind(fx.images.list(bob, { limit: 2, marker: made[0].id }), 'bad_request')
      await expectKind(fx.images.list(bob, { limit: 2, marker: null, memberStatus: 'maybe' as never }), 'bad_request')
    })
  })

  describe('data', () => {
    it('uploads (queued → active with size and checksums) and downloads the same bytes', async () => {
      const image = await fx.images.create(alice, { name: 'data', ...RAW })
      const bytes = Buffer.from('hello, image world')
      const active = await fx.images.upload(alice, image.id, chunks(bytes.subarray(0, 5), bytes.subarray(5)))
      expect(active).toMatchObject({
        status: 'active', sizeBytes: bytes.length,
        checksumMd5: createHash('md5').update(bytes).digest('hex'),
        sha512: createHash('sha512').update(bytes).digest('hex'),
      })
      expect(active.filePath).not.toBeNull()
      expect(readFileSync(active.filePath!)).toEqual(bytes)
      expect(await fx.images.get(alice, image.id)).toEqual(active)
      const { image: shown, data } = await fx.images.download(alice, image.id)
      expect(shown.id).toBe(image.id)
      expect(await collect(data)).toEqual(bytes)
      await expectKind(fx.images.upload(alice, image.id, chunks('again')), 'conflict')
      expect(filesOnDisk()).toEqual([image.id])
    })

    it('a failed upload returns the image to queued with no file, and a later upload works', async () => {
      const image = await fx.images.create(alice, { name: 'flaky', ...RAW })
      await expect(fx.images.upload(alice, image.id, failingAfter('partial'))).rejects.toThrow('client went away')
      expect(await fx.images.get(alice, image.id)).toMatchObject({ status: 'queued', sizeBytes: null, filePath: null })
      expect(filesOnDisk()).toEqual([])
      expect((await fx.images.download(alice, image.id)).data).toBeNull()

      const tooLarge = await expectKind(fx.images.upload(alice, image.id, chunks('x'.repeat(40), 'y'.repeat(40))), 'quota_exceeded')
      expect(tooLarge.quota).toBe('image_size')
      expect((await fx.images.get(alice, image.id)).status).toBe('queued')
      expect(filesOnDisk()).toEqual([])

      expect((await fx.images.upload(alice, image.id, chunks('fine'))).sizeBytes).toBe(4)
    })

    it('needs disk and container formats before data, and only the owner uploads', async () => {
      const bare = await fx.images.create(alice, { name: 'no formats' })
      await expectKind(fx.images.upload(alice, bare.id, chunks('x')), 'bad_request')
      expect((await fx.images.get(alice, bare.id)).status).toBe('queued')
      await expectKind(fx.images.upload(bob, bare.id, chunks('x')), 'not_found')
      await expectKind(fx.images.update(alice, (await fx.images.upload(alice,
        (await fx.images.create(alice, { name: 'done', ...RAW })).id, chunks('x'))).id, { diskFormat: 'qcow2' }), 'forbidden')
    })

    it('deactivated images give no data to their users; reactivation restores it', async () => {
      const image = await fx.images.create(alice, { name: 'ro', ...RAW, visibility: 'community' })
      await expectKind(fx.images.deactivate(alice, image.id), 'forbidden')
      await fx.images.upload(alice, image.id, chunks('abc'))
      expect((await fx.images.deactivate(alice, image.id)).status).toBe('deactivated')
      expect((await fx.images.deactivate(alice, image.id)).status).toBe('deactivated')
      await expectKind(fx.images.download(alice, image.id), 'forbidden')
      await expectKind(fx.images.download(bob, image.id), 'forbidden')
      expect((await fx.images.reactivate(alice, image.id)).status).toBe('active')
      expect(await collect((await fx.images.download(bob, image.id)).data)).toEqual(Buffer.from('abc'))
    })

    it('a seeded public image is active without data; seeding again returns the same image', async () => {
      const seed = { name: 'Rocky 9', osType: 'linux' as const, minDiskGb: 10, minRamMb: 1024, sizeBytes: 1_000_000, properties: { os_distro: 'rocky' } }
      const image = await fx.store.transaction((tx) => ensurePublicImage(tx, seed, fx.clock.now()))
      expect(image).toMatchObject({
        ownerProjectId: null, status: 'active', visibility: 'public', filePath: null, osType: 'linux',
        properties: { os_distro: 'rocky', os_type: 'linux' }, minDiskGb: 10, sizeBytes: 1_000_000,
      })
      expect(await fx.store.transaction((tx) => ensurePublicImage(tx, seed, fx.clock.now()))).toEqual(image)
      const withId = { ...seed, id: '3d1f0e57-2c55-4f7d-9d4c-2d2a0f6b4a11', name: 'Windows 2022', osType: 'windows' as const }
      const windows = await fx.store.transaction((tx) => ensurePublicImage(tx, withId, fx.clock.now()))
      expect(windows).toMatchObject({ id: withId.id, osType: 'windows' })
      expect(await fx.store.transaction((tx) => ensurePublicImage(tx, withId, fx.clock.now()))).toEqual(windows)
      expect((await fx.images.download(bob, image.id)).data).toBeNull()
      expect(await list(bob)).toEqual(['Rocky 9', 'Windows 2022'])
    })
  })

  describe('server snapshots', () => {
    it('queued → saving → active, private to the project, carrying the base image\'s properties', async () => {
      const base = await fx.store.transaction((tx) => ensurePublicImage(tx, {
        name: 'Ubuntu', osType: 'linux', minDiskGb: 10, minRamMb: 0, sizeBytes: 10, properties: { os_distro: 'ubuntu' },
      }, fx.clock.now()))
      const queued = await fx.store.transaction((tx) => beginServerSnapshot(tx, alice, {
        serverId: 'server-1', name: 'snap', metadata: { purpose: 'backup' }, minDiskGb: 20, minRamMb: 1024,
        baseImageId: base.id, baseImageProperties: { checksum: 'of the base image' },
      }, fx.clock.now()))
      expect(queued).toMatchObject({
        ownerProjectId: alice.projectId, status: 'queued', visibility: 'private', minDiskGb: 20, minRamMb: 1024,
        sourceServerId: 'server-1', diskFormat: 'qcow2', containerFormat: 'bare', checksumMd5: null,
        properties: {
          os_distro: 'ubuntu', os_type: 'linux', purpose: 'backup', image_type: 'snapshot', instance_uuid: 'server-1',
          user_id: alice.userId, base_image_ref: base.id,
        },
      })
      expect(await fx.inUse(alice, 'images')).toBe(1)
      await expectKind(fx.images.get(bob, queued.id), 'not_found')

      const saving = await fx.store.transaction((tx) => saveServerSnapshot(tx, queued.id, fx.clock.now()))
      expect(saving.status).toBe('saving')
      const active = await fx.store.transaction((tx) =>
        finishServerSnapshot(tx, queued.id, { sizeBytes: 4096, checksum: 'abc123' }, fx.clock.now()))
      expect(active).toMatchObject({ status: 'active', sizeBytes: 4096, checksumMd5: 'abc123', filePath: null })
      expect(await fx.store.transaction((tx) => failServerSnapshot(tx, queued.id))).toBeNull()
      expect((await fx.images.get(alice, queued.id)).status).toBe('active')
    })

    it('a failed snapshot deletes the image and returns its quota', async () => {
      const queued = await fx.store.transaction((tx) => beginServerSnapshot(tx, alice, {
        serverId: 'server-1', name: 'doomed',
      }, fx.clock.now()))
      const failed = await fx.store.transaction((tx) => failServerSnapshot(tx, queued.id))
      expect(failed?.id).toBe(queued.id)
      await expectKind(fx.images.get(alice, queued.id), 'not_found')
      expect(await fx.inUse(alice, 'images')).toBe(0)
      await expectKind(fx.store.transaction((tx) =>
        finishServerSnapshot(tx, queued.id, { sizeBytes: 1, checksum: 'x' }, fx.clock.now())), 'not_found')
    })
  })
})
