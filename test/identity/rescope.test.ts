/**
 * The token method (Keystone re-scope) and login by user id, which the Keystone dialect relies on:
 * a live token yields a new one for the same user and project without the password, never outliving
 * the original, and never surviving what revokes the original.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AUTHENTICATION_REQUIRED } from '../../src/core/projects/auth-context.ts'
import type { Project } from '../../src/core/projects/project.ts'
import type { User } from '../../src/core/projects/user.ts'
import { testEngines } from '../support/stores.ts'
import { createIdentityFixture, expectKind, START, type IdentityFixture } from './identity-fixture.ts'

const HOUR = 60 * 60 * 1000

describe.each(await testEngines())('token re-scope and login by id on %s', (engine) => {
  let fx: IdentityFixture
  let project: Project
  let alice: User
  beforeEach(async () => {
    fx = await createIdentityFixture(engine)
    project = await fx.projects.createProject({ name: 'acme' })
    alice = await fx.identity.createUser({ projectId: project.id, name: 'alice', password: 'wonderland', role: 'member' })
  })
  afterEach(async () => {
    await fx.close()
  })

  it('logs in by user id as by name, and refuses both or neither', async () => {
    const issued = await fx.identity.authenticate({ userId: alice.id, password: 'wonderland' })
    expect(issued.user.id).toBe(alice.id)
    expect(issued.project.id).toBe(project.id)
    for (const input of [
      { userId: alice.id, password: 'wrong' },
      { userId: '0'.repeat(32), password: 'wonderland' },
      { userId: alice.id, username: 'alice', password: 'wonderland' },
      { password: 'wonderland' },
      { userId: 42 as never, password: 'wonderland' },
    ]) {
      const error = await expectKind(fx.identity.authenticate(input), 'unauthorized')
      expect(error.message).toBe(AUTHENTICATION_REQUIRED)
    }
  })

  it('issues a new token for the same user and project that expires with the original', async () => {
    const original = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
    fx.clock.advance(HOUR)
    const rescoped = await fx.identity.rescopeToken({ token: original.token, projectId: project.id })
    expect(rescoped.token).toMatch(/^[0-9a-f]{32}$/)
    expect(rescoped.token).not.toBe(original.token)
    expect(rescoped.auditId).not.toBe(original.auditId)
    expect(rescoped.issuedAt).toEqual(new Date(START.getTime() + HOUR))
    expect(rescoped.expiresAt).toEqual(original.expiresAt)
    expect(rescoped.owner).toEqual(original.owner)
    expect(await fx.identity.validateToken(rescoped.token)).toMatchObject({ user: original.user, project: original.project })
    // Both stay valid; revoking one leaves the other.
    await fx.identity.revokeToken(original.token)
    await expectKind(fx.identity.validateToken(original.token), 'unauthorized')
    expect((await fx.identity.validateToken(rescoped.token)).user.id).toBe(alice.id)
    // Chained re-scopes never extend the login.
    const again = await fx.identity.rescopeToken({ token: rescoped.token, projectName: 'acme' })
    expect(again.expiresAt).toEqual(original.expiresAt)
  })

  it('refuses another project, an unknown, expired or revoked token, with the one message', async () => {
    const other = await fx.projects.createProject({ name: 'other' })
    const { token } = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
    const revoked = (await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })).token
    await fx.identity.revokeToken(revoked)
    for (const input of [
      { token, projectId: other.id },
      { token, projectName: 'other' },
      { token: 'f'.repeat(32) },
      { token: 'not a token' },
      { token: revoked },
    ]) {
      const error = await expectKind(fx.identity.rescopeToken(input), 'unauthorized')
      expect(error.message).toBe(AUTHENTICATION_REQUIRED)
    }
    fx.clock.advance(12 * HOUR)
    await expectKind(fx.identity.rescopeToken({ token }), 'unauthorized')
  })

  it('a password change or a disabled user stops re-scoping, even from another process', async () => {
    const { token } = await fx.identity.authenticate({ username: 'alice', password: 'wonderland' })
    // Another process's cache has not heard of the change: the re-scope must read the store.
    const elsewhere = fx.otherProcess()
    fx.clock.advance(1000)
    await fx.identity.changePassword(alice.id, 'looking-glass')
    await expectKind(elsewhere.rescopeToken({ token }), 'unauthorized')

    const fresh = await fx.identity.authenticate({ username: 'alice', password: 'looking-glass' })
    await fx.identity.updateUser(alice.id, { enabled: false })
    await expectKind(elsewhere.rescopeToken({ token: fresh.token }), 'unauthorized')
  })
})
