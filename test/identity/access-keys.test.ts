import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deriveSecretKey, secretKeyHash } from '../../src/core/projects/access-key-secret.ts'
import { AUTHENTICATION_REQUIRED } from '../../src/core/projects/auth-context.ts'
import { IdentityService } from '../../src/core/projects/identity-service.ts'
import type { Project } from '../../src/core/projects/project.ts'
import type { User } from '../../src/core/projects/user.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import { testEngines } from '../support/stores.ts'
import { createIdentityFixture, expectKind, START, type IdentityFixture } from './identity-fixture.ts'

const ownerOf = (user: User): Owner => ({ projectId: user.projectId, userId: user.id, roles: [user.role] })

describe.each(await testEngines())('SCP access keys on %s', (engine) => {
  let fx: IdentityFixture
  let project: Project
  let alice: User
  beforeEach(async () => {
    fx = await createIdentityFixture(engine)
    project = await fx.projects.createProject({ name: 'acme' })
    alice = await fx.identity.createUser({ projectId: project.id, name: 'alice', password: 'pw', role: 'member' })
  })
  afterEach(async () => {
    await fx.close()
  })

  it('creates a key pair whose secret resolves again but is never stored', async () => {
    const created = await fx.identity.createAccessKey({ userId: alice.id, description: 'ci' })
    expect(created.accessKey).toMatch(/^[A-Z0-9]{20}$/)
    expect(created.secretKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(created).toMatchObject({
      projectId: project.id, userId: alice.id, description: 'ci', enabled: true, expiresAt: null, createdAt: START,
    })

    const session = await fx.database.store.accessKeys.findSession(created.accessKey)
    expect(session?.key.secretHash).toBe(secretKeyHash(created.secretKey))
    expect(JSON.stringify(session)).not.toContain(created.secretKey)
    expect(deriveSecretKey(fx.masterKey, created.accessKey, session!.key.secretSalt)).toBe(created.secretKey)

    const resolved = await fx.identity.resolveAccessKey(created.accessKey)
    expect(resolved).toEqual({
      accessKey: created.accessKey,
      secretKey: created.secretKey,
      owner: { projectId: project.id, userId: alice.id, roles: ['member'] },
      project: { id: project.id, name: 'acme', domainId: 'default', appkey: project.appkey, strictNhn: false },
    })
  })

  it('gives every key its own secret', async () => {
    const one = await fx.identity.createAccessKey({ userId: alice.id })
    const two = await fx.identity.createAccessKey({ userId: alice.id })
    expect(one.accessKey).not.toBe(two.accessKey)
    expect(one.secretKey).not.toBe(two.secretKey)
  })

  it('resolves only with the master key the secret was derived with', async () => {
    const created = await fx.identity.createAccessKey({ userId: alice.id })
    const sameKey = fx.otherProcess({ masterKey: Buffer.from(fx.masterKey) })
    expect((await sameKey.resolveAccessKey(created.accessKey)).secretKey).toBe(created.secretKey)
    const otherKey = fx.otherProcess({ masterKey: randomBytes(32) })
    const error = await expectKind(otherKey.resolveAccessKey(created.accessKey), 'unauthorized')
    expect(error.message).toBe(AUTHENTICATION_REQUIRED)
  })

  it('refuses a key whose stored hash does not match the derived secret', async () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA'
    const accessKey = 'TAMPEREDKEY000000001'
    await fx.database.store.accessKeys.insert({
      accessKey, projectId: project.id, userId: alice.id, description: '', enabled: true, expiresAt: null,
      createdAt: START, secretSalt: salt, secretHash: secretKeyHash(deriveSecretKey(randomBytes(32), accessKey, salt)),
    })
    await expectKind(fx.identity.resolveAccessKey(accessKey), 'unauthorized')
  })

  it('refuses unknown and malformed keys', async () => {
    for (const key of ['AAAAAAAAAAAAAAAAAAAA', 'short', 'aaaaaaaaaaaaaaaaaaaa', '']) {
      await expectKind(fx.identity.resolveAccessKey(key), 'unauthorized')
    }
  })

  it('refuses a disabled key until it is enabled again', async () => {
    const created = await fx.identity.createAccessKey({ userId: alice.id })
    await fx.identity.disableAccessKey(ownerOf(alice), created.accessKey)
    await expectKind(fx.identity.resolveAccessKey(created.accessKey), 'unauthorized')
    await fx.identity.setAccessKeyEnabled(ownerOf(alice), created.accessKey, true)
    expect((await fx.identity.resolveAccessKey(created.accessKey)).secretKey).toBe(created.secretKey)
  })

  it('refuses a key from its expiry on', async () => {
    const created = await fx.identity.createAccessKey({ userId: alice.id, expiresAt: new Date(START.getTime() + 60_000) })
    fx.clock.advance(59_999)
    await fx.identity.resolveAccessKey(created.accessKey)
    fx.clock.advance(1)
    await expectKind(fx.identity.resolveAccessKey(created.accessKey), 'unauthorized')
    await expectKind(fx.identity.createAccessKey({ userId: alice.id, expiresAt: fx.clock.now() }), 'bad_request')
  })

  it('refuses a key of a disabled user or project', async () => {
    const created = await fx.identity.createAccessKey({ userId: alice.id })
    await fx.identity.updateUser(alice.id, { enabled: false })
    await expectKind(fx.identity.resolveAccessKey(created.accessKey), 'unauthorized')
    await fx.identity.updateUser(alice.id, { enabled: true })
    await fx.projects.updateProject(project.id, { enabled: false })
    await expectKind(fx.identity.resolveAccessKey(created.accessKey), 'unauthorized')
  })

  it('refuses a key for an unknown user', async () => {
    await expectKind(fx.identity.createAccessKey({ userId: 'nobody' }), 'not_found')
  })

  it('lists a user\'s keys without secrets, in pages', async () => {
    const first = await fx.identity.createAccessKey({ userId: alice.id, description: 'one' })
    fx.clock.advance(1)
    const second = await fx.identity.createAccessKey({ userId: alice.id, description: 'two' })
    const bob = await fx.identity.createUser({ projectId: project.id, name: 'bob', password: 'pw', role: 'member' })
    const bobs = await fx.identity.createAccessKey({ userId: bob.id })

    const page = await fx.identity.listAccessKeys(alice.id, { limit: 1, marker: null })
    expect(page.hasMore).toBe(true)
    expect(page.items.map((key) => key.accessKey)).toEqual([first.accessKey])
    expect(Object.keys(page.items[0]).sort()).toEqual(
      ['accessKey', 'createdAt', 'description', 'enabled', 'expiresAt', 'projectId', 'userId'])
    const rest = await fx.identity.listAccessKeys(alice.id, { limit: 5, marker: first.accessKey })
    const { secretKey: _secret, ...secondListed } = second
    expect(rest).toEqual({ items: [secondListed], hasMore: false })
    await expectKind(fx.identity.listAccessKeys(alice.id, { limit: 5, marker: bobs.accessKey }), 'bad_request')
  })

  describe('tenant isolation', () => {
    let key: string
    let bob: User
    let admin: User
    let stranger: User
    beforeEach(async () => {
      key = (await fx.identity.createAccessKey({ userId: alice.id })).accessKey
      bob = await fx.identity.createUser({ projectId: project.id, name: 'bob', password: 'pw', role: 'member' })
      admin = await fx.identity.createUser({ projectId: project.id, name: 'boss', password: 'pw', role: 'admin' })
      const other = await fx.projects.createProject({ name: 'other' })
      stranger = await fx.identity.createUser({ projectId: other.id, name: 'mallory', password: 'pw', role: 'admin' })
    })

    it('another project cannot see, disable or delete the key, even as its admin', async () => {
      await expectKind(fx.identity.deleteAccessKey(ownerOf(stranger), key), 'not_found')
      await expectKind(fx.identity.disableAccessKey(ownerOf(stranger), key), 'not_found')
      expect((await fx.identity.resolveAccessKey(key)).owner.userId).toBe(alice.id)
    })

    it('another member of the project cannot delete it; its owner and the project admin can', async () => {
      await expectKind(fx.identity.deleteAccessKey(ownerOf(bob), key), 'not_found')
      await expectKind(fx.identity.disableAccessKey(ownerOf(bob), key), 'not_found')
      await fx.identity.resolveAccessKey(key)

      await fx.identity.deleteAccessKey(ownerOf(alice), key)
      await expectKind(fx.identity.resolveAccessKey(key), 'unauthorized')
      await expectKind(fx.identity.deleteAccessKey(ownerOf(alice), key), 'not_found')

      const another = (await fx.identity.createAccessKey({ userId: alice.id })).accessKey
      await fx.identity.deleteAccessKey(ownerOf(admin), another)
      await expectKind(fx.identity.resolveAccessKey(another), 'unauthorized')
    })
  })

  it('requires a master key of at least 32 bytes', () => {
    expect(() => new IdentityService({ store: fx.database.store, clock: fx.clock }, { accessKeyMasterKey: randomBytes(16) }))
      .toThrow(RangeError)
  })
})
