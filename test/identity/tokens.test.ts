import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AUTHENTICATION_REQUIRED } from '../../src/core/projects/auth-context.ts'
import { IdentityService } from '../../src/core/projects/identity-service.ts'
import { sha256Hex } from '../../src/core/projects/secure-random.ts'
import { verifyPassword } from '../../src/core/projects/password-hash.ts'
import type { Project } from '../../src/core/projects/project.ts'
import type { User } from '../../src/core/projects/user.ts'
import { testEngines } from '../support/stores.ts'
import { CHEAP_SCRYPT, createIdentityFixture, domainErrorOf, expectKind, START, type IdentityFixture } from './identity-fixture.ts'

const TWELVE_HOURS = 12 * 60 * 60 * 1000

describe.each(await testEngines())('users and tokens on %s', (engine) => {
  let fx: IdentityFixture
  let project: Project
  let alice: User
  beforeEach(async () => {
    fx = await createIdentityFixture(engine)
    project = await fx.projects.createProject({ name: 'acme' })
    alice = await fx.identity.createUser({ projectId: project.id, name: 'alice', password: 'wonderland', role: 'member', email: 'a@example.com' })
  })
  afterEach(async () => {
    await fx.close()
  })

  describe('users', () => {
    it('stores a salted scrypt hash of the password, never the password', async () => {
      expect(alice).toMatchObject({ projectId: project.id, name: 'alice', role: 'member', email: 'a@example.com', enabled: true })
      expect(alice.id).toMatch(/^[0-9a-f]{32}$/)
      expect(alice).not.toHaveProperty('passwordHash')
      const stored = await fx.database.store.users.findById(alice.id)
      expect(stored?.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/)
      expect(stored?.passwordHash).not.toContain('wonderland')
      expect(await verifyPassword('wonderland', stored!.passwordHash)).toBe(true)
      const twin = await fx.identity.createUser({ projectId: project.id, name: 'alice2', password: 'wonderland', role: 'member' })
      expect((await fx.database.store.users.findById(twin.id))?.passwordHash).not.toBe(stored?.passwordHash)
    })

    it('refuses a duplicate name, an unknown project and a bad role', async () => {
      const other = await fx.projects.createProject({ name: 'other' })
      const error = await expectKind(fx.identity.createUser({ projectId: other.id, name: 'alice', password: 'x', role: 'reader' }), 'conflict')
      expect(error.resource).toBe('user')
      await expectKind(fx.identity.createUser({ projectId: '0'.repeat(32), name: 'bob', password: 'x', role: 'reader' }), 'not_found')
      await expectKind(fx.identity.createUser({ projectId: project.id, name: 'bob', password: 'x', role: 'root' as never }), 'bad_request')
      await expectKind(fx.identity.createUser({ projectId: project.id, name: 'bob', password: '', role: 'reader' }), 'bad_request')
    })

    it('gets users by id and name, and lists one project\'s users in pages', async () => {
      expect(await fx.identity.getUser(alice.id)).toEqual(alice)
      expect(await fx.identity.getUserByName('alice')).toEqual(alice)
      await expectKind(fx.identity.getUser('nobody'), 'not_found')
      fx.clock.advance(1)
      const bob = await fx.identity.createUser({ projectId: project.id, name: 'bob', password: 'pw', role: 'reader' })
      const other = await fx.projects.createProject({ name: 'other' })
      const carol = await fx.identity.createUser({ projectId: other.id, name: 'carol', password: 'pw', role: 'admin' })
      const first = await fx.identity.listUsers(project.id, { limit: 1, marker: null })
      expect(first).toEqual({ items: [alice], hasMore: true })
      const second = await fx.identity.listUsers(project.id, { limit: 1, marker: alice.id })
      expect(second).toEqual({ items: [bob], hasMore: false })
      expect((await fx.identity.listUsers(other.id)).items).toEqual([carol])
      // Another project's user is no marker for this project's list.
      await expectKind(fx.identity.listUsers(project.id, { limit: 1, marker: carol.id }), 'bad_request')
    })
  })

  describe('tokens', () => {
    it('issues a 128-bit hex token valid for 12 hours, scoped to the user\'s project', async () => {
      const issued = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      expect(issued.token).toMatch(/^[0-9a-f]{32}$/)
      expect(issued.issuedAt).toEqual(START)
      expect(issued.expiresAt).toEqual(new Date(START.getTime() + TWELVE_HOURS))
      expect(issued.auditId).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(issued.user).toEqual({ id: alice.id, name: 'alice', roles: ['member'] })
      expect(issued.project).toEqual({ id: project.id, name: 'acme', domainId: 'default', appkey: project.appkey, strictNhn: false })
      expect(issued.owner).toEqual({ projectId: project.id, userId: alice.id, roles: ['member'] })

      const context = await fx.identity.validateToken(issued.token)
      const { token: _token, ...expected } = issued
      expect(context).toEqual(expected)
    })

    it('accepts the scope given by project id, project name or appkey', async () => {
      for (const scope of [{ projectId: project.id }, { projectName: 'acme' }, { appkey: project.appkey }]) {
        const issued = await fx.identity.authenticate({ username: 'alice', password: 'wonderland', ...scope })
        expect(issued.project.id).toBe(project.id)
      }
    })

    it('stores only the SHA-256 of the token', async () => {
      const issued = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      const tokens = fx.database.store.tokens
      expect(await tokens.findByHash(issued.token)).toBeNull()
      const stored = await tokens.findByHash(sha256Hex(issued.token))
      expect(stored).toEqual({
        idHash: sha256Hex(issued.token), userId: alice.id, projectId: project.id, auditId: issued.auditId,
        issuedAt: issued.issuedAt, expiresAt: issued.expiresAt,
      })
    })

    it('expires tokens by the clock', async () => {
      const issued = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      const fresh = fx.otherProcess()
      fx.clock.advance(TWELVE_HOURS - 1)
      expect((await fx.identity.validateToken(issued.token)).auditId).toBe(issued.auditId)
      expect((await fresh.validateToken(issued.token)).auditId).toBe(issued.auditId)
      fx.clock.advance(1)
      await expectKind(fx.identity.validateToken(issued.token), 'unauthorized')
      await expectKind(fresh.validateToken(issued.token), 'unauthorized')
    })

    it('honours a configured token lifetime', async () => {
      const shortLived = new IdentityService({ store: fx.database.store, clock: fx.clock }, {
        accessKeyMasterKey: fx.masterKey, tokenTtlMs: 60_000, passwordHashCost: CHEAP_SCRYPT,
      })
      const issued = await shortLived.authenticate({ username: 'alice', password: 'wonderland' })
      expect(issued.expiresAt.getTime() - issued.issuedAt.getTime()).toBe(60_000)
      fx.clock.advance(60_000)
      await expectKind(shortLived.validateToken(issued.token), 'unauthorized')
    })

    it('purges expired tokens and keeps live ones', async () => {
      const old = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      fx.clock.advance(TWELVE_HOURS)
      const live = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      expect(await fx.identity.purgeExpiredTokens()).toBe(1)
      expect(await fx.database.store.tokens.findByHash(sha256Hex(old.token))).toBeNull()
      expect(await fx.database.store.tokens.findByHash(sha256Hex(live.token))).not.toBeNull()
    })

    it('revokes a token at once in this process', async () => {
      const issued = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      const kept = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      await fx.identity.validateToken(issued.token)
      await fx.identity.revokeToken(issued.token)
      await expectKind(fx.identity.validateToken(issued.token), 'unauthorized')
      await expectKind(fx.identity.revokeToken(issued.token), 'not_found')
      await expectKind(fx.identity.revokeToken('not a token'), 'not_found')
      expect((await fx.identity.validateToken(kept.token)).auditId).toBe(kept.auditId)
    })

    it('another process may accept a revoked token only until its cache entry lapses', async () => {
      const issued = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      const other = fx.otherProcess()
      await other.validateToken(issued.token)
      await fx.identity.revokeToken(issued.token)
      expect((await other.validateToken(issued.token)).auditId).toBe(issued.auditId)
      fx.clock.advance(5_000)
      await expectKind(other.validateToken(issued.token), 'unauthorized')
    })

    it('a password change revokes every token of the user and the old password', async () => {
      const first = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      const second = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      await fx.identity.validateToken(first.token)
      fx.clock.advance(1000)
      await fx.identity.changePassword(alice.id, 'looking-glass')
      await expectKind(fx.identity.validateToken(first.token), 'unauthorized')
      await expectKind(fx.identity.validateToken(second.token), 'unauthorized')
      expect(await fx.database.store.tokens.findByHash(sha256Hex(first.token))).toBeNull()
      await expectKind(fx.identity.authenticate({ username: 'alice', password: 'wonderland' }), 'unauthorized')
      const renewed = await fx.identity.authenticate({ username: 'alice', password: 'looking-glass' })
      expect((await fx.identity.validateToken(renewed.token)).user.id).toBe(alice.id)
      await expectKind(fx.identity.changePassword('nobody', 'x'), 'not_found')
    })

    it('does not store a token for a password that changed after it was checked', async () => {
      const stale = (await fx.database.store.users.findById(alice.id))!.passwordHash
      await fx.identity.changePassword(alice.id, 'looking-glass')
      const record = {
        idHash: sha256Hex('race'), userId: alice.id, projectId: project.id, auditId: 'audit',
        issuedAt: fx.clock.now(), expiresAt: new Date(fx.clock.nowMs() + 1000),
      }
      expect(await fx.database.store.tokens.issue(record, stale)).toBe(false)
      expect(await fx.database.store.tokens.findByHash(record.idHash)).toBeNull()
      const current = (await fx.database.store.users.findById(alice.id))!.passwordHash
      expect(await fx.database.store.tokens.issue(record, current)).toBe(true)
    })

    it('disabling the user or the project invalidates its tokens', async () => {
      const issued = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
      await fx.identity.validateToken(issued.token)
      await fx.projects.updateProject(project.id, { enabled: false })
      await expectKind(fx.identity.validateToken(issued.token), 'unauthorized')
      await fx.projects.updateProject(project.id, { enabled: true })
      expect((await fx.identity.validateToken(issued.token)).auditId).toBe(issued.auditId)

      await fx.identity.updateUser(alice.id, { enabled: false })
      await expectKind(fx.identity.validateToken(issued.token), 'unauthorized')
      await fx.identity.updateUser(alice.id, { enabled: true })
      // Disabling revoked the token for good, as Keystone does.
      await expectKind(fx.identity.validateToken(issued.token), 'unauthorized')
    })

    it('refuses malformed and unknown tokens', async () => {
      for (const token of ['', 'abc', 'A'.repeat(32), '0'.repeat(32), `${'0'.repeat(32)} `]) {
        await expectKind(fx.identity.validateToken(token), 'unauthorized')
      }
    })

    it('fails every wrong login with one message that names no part', async () => {
      const other = await fx.projects.createProject({ name: 'other' })
      await fx.identity.createUser({ projectId: project.id, name: 'dora', password: 'explorer', role: 'member' })
      await fx.identity.updateUser((await fx.identity.getUserByName('dora')).id, { enabled: false })
      const frozen = await fx.projects.createProject({ name: 'frozen' })
      await fx.identity.createUser({ projectId: frozen.id, name: 'elsa', password: 'let-it-go', role: 'admin' })
      await fx.projects.updateProject(frozen.id, { enabled: false })

      const attempts = [
        { username: 'alice', password: 'wrong' },
        { username: 'nobody', password: 'wonderland' },
        { username: '', password: '' },
        { username: 'alice', password: 'wonderland', projectId: other.id },
        { username: 'alice', password: 'wonderland', projectName: 'other' },
        { username: 'alice', password: 'wonderland', appkey: other.appkey },
        { username: 'dora', password: 'explorer' },
        { username: 'elsa', password: 'let-it-go' },
      ]
      for (const attempt of attempts) {
        const error = await domainErrorOf(fx.identity.authenticate(attempt))
        expect({ attempt, kind: error.kind, message: error.message })
          .toEqual({ attempt, kind: 'unauthorized', message: AUTHENTICATION_REQUIRED })
        expect(error.resource).toBeUndefined()
      }
    })
  })

  describe('admin basic auth', () => {
    it('admits an admin-role user, forbids others, and refuses wrong credentials', async () => {
      const root = await fx.identity.createUser({ projectId: project.id, name: 'root', password: 'toor', role: 'admin' })
      const context = await fx.identity.authenticateAdminBasic('root', 'toor')
      expect(context.owner).toEqual({ projectId: project.id, userId: root.id, roles: ['admin'] })
      expect(context.project.id).toBe(project.id)
      await expectKind(fx.identity.authenticateAdminBasic('alice', 'wonderland'), 'forbidden')
      const wrong = await expectKind(fx.identity.authenticateAdminBasic('root', 'nope'), 'unauthorized')
      expect(wrong.message).toBe(AUTHENTICATION_REQUIRED)
      await expectKind(fx.identity.authenticateAdminBasic('ghost', 'toor'), 'unauthorized')
      expect(await fx.database.store.tokens.deleteByUser(root.id)).toBe(0)
    })
  })
})
