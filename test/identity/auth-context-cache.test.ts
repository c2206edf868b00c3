import { describe, expect, it } from 'vitest'
import { AuthContextCache } from '../../src/core/projects/auth-context-cache.ts'
import type { AuthContext } from '../../src/core/projects/auth-context.ts'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'

const START = new Date('2024-03-01T00:00:00.000Z')

function context(userId: string, projectId: string, expiresInMs = 3_600_000): AuthContext {
  return {
    owner: { projectId, userId, roles: ['member'] },
    user: { id: userId, name: userId, roles: ['member'] },
    project: { id: projectId, name: projectId, domainId: 'default', appkey: 'A'.repeat(20), strictNhn: false },
    issuedAt: START,
    expiresAt: new Date(START.getTime() + expiresInMs),
    auditId: `audit-${userId}`,
  }
}

describe('AuthContextCache', () => {
  it('serves an entry for its TTL and never past the token expiry', () => {
    const clock = new ControllableClock({ frozenAt: START })
    const cache = new AuthContextCache(clock, { ttlMs: 5_000 })
    cache.set('long', context('u1', 'p1'))
    cache.set('short', context('u2', 'p1', 2_000))
    clock.advance(1_999)
    expect(cache.get('long')?.user.id).toBe('u1')
    expect(cache.get('short')?.user.id).toBe('u2')
    clock.advance(1)
    expect(cache.get('short')).toBeUndefined()
    clock.advance(2_999)
    expect(cache.get('long')?.user.id).toBe('u1')
    clock.advance(1)
    expect(cache.get('long')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('stays within its bound, dropping the least recently used entry', () => {
    const cache = new AuthContextCache(new ControllableClock({ frozenAt: START }), { maxEntries: 2 })
    cache.set('a', context('a', 'p'))
    cache.set('b', context('b', 'p'))
    cache.get('a')
    cache.set('c', context('c', 'p'))
    expect(cache.size).toBe(2)
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')?.user.id).toBe('a')
    expect(cache.get('c')?.user.id).toBe('c')
  })

  it('forgets by token, user and project', () => {
    const cache = new AuthContextCache(new ControllableClock({ frozenAt: START }))
    cache.set('t1', context('u1', 'p1'))
    cache.set('t2', context('u1', 'p1'))
    cache.set('t3', context('u2', 'p1'))
    cache.set('t4', context('u3', 'p2'))
    cache.forgetToken('t3')
    expect(cache.get('t3')).toBeUndefined()
    cache.forgetUser('u1')
    expect([cache.get('t1'), cache.get('t2')]).toEqual([undefined, undefined])
    cache.set('t3', context('u2', 'p1'))
    cache.forgetProject('p1')
    expect(cache.get('t3')).toBeUndefined()
    expect(cache.get('t4')?.user.id).toBe('u3')
  })

  it('caches nothing when the TTL is zero', () => {
    const cache = new AuthContextCache(new ControllableClock({ frozenAt: START }), { ttlMs: 0 })
    cache.set('t', context('u', 'p'))
    expect(cache.get('t')).toBeUndefined()
  })
})
