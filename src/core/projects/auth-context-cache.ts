/**
 * A short-lived, bounded, in-process cache of validated tokens.
 *
 * Every API request validates its token, and validation is one indexed lookup joining tokens, users and
 * projects. Caching the result for a few seconds removes that query from bursts of requests (a client
 * polling a server while it builds) at a bounded cost in freshness:
 * - in this process, revoking a token, changing a password, disabling a user or changing a project
 *   forgets the affected entries at once, so nothing stale is served here;
 * - another process (multi-node on PostgreSQL) may keep accepting a revoked token for at most `ttlMs`.
 * An entry never outlives its token's expiry, and ttlMs = 0 turns the cache off.
 */
import type { Clock } from '../ports/clock.ts'
import type { AuthContext } from './auth-context.ts'

export interface AuthContextCacheOptions {
  /** How long a validation is reused; default 5 s, 0 disables the cache. */
  readonly ttlMs?: number
  /** At most this many tokens are remembered; the least recently used is dropped first. */
  readonly maxEntries?: number
}

interface Entry {
  readonly context: AuthContext
  readonly validUntilMs: number
}

export class AuthContextCache {
  readonly #clock: Clock
  readonly #ttlMs: number
  readonly #maxEntries: number
  // Map iteration follows insertion order; re-inserting on each hit makes the first key the least recent.
  readonly #entries = new Map<string, Entry>()

  constructor(clock: Clock, options: AuthContextCacheOptions = {}) {
    this.#clock = clock
    this.#ttlMs = Math.max(0, options.ttlMs ?? 5_000)
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000)
  }

  get size(): number {
    return this.#entries.size
  }

  get(tokenHash: string): AuthContext | undefined {
    const entry = this.#entries.get(tokenHash)
    if (!entry) return undefined
    this.#entries.delete(tokenHash)
    if (this.#clock.nowMs() >= entry.validUntilMs) return undefined
    this.#entries.set(tokenHash, entry)
    return entry.context
  }

  set(tokenHash: string, context: AuthContext): void {
    if (this.#ttlMs === 0) return
    const validUntilMs = Math.min(this.#clock.nowMs() + this.#ttlMs, context.expiresAt.getTime())
    this.#entries.delete(tokenHash)
    this.#entries.set(tokenHash, { context, validUntilMs })
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value
      if (oldest === undefined) break
      this.#entries.delete(oldest)
    }
  }

  forgetToken(tokenHash: string): void {
    this.#entries.delete(tokenHash)
  }

  /** Linear in the cache size, which is bounded; these events are rare next to validations. */
  forgetUser(userId: string): void {
    this.#forgetWhere((context) => context.user.id === userId)
  }

  forgetProject(projectId: string): void {
    this.#forgetWhere((context) => context.project.id === projectId)
  }

  clear(): void {
    this.#entries.clear()
  }

  #forgetWhere(matches: (context: AuthContext) => boolean): void {
    for (const [key, entry] of this.#entries) if (matches(entry.context)) this.#entries.delete(key)
  }
}
