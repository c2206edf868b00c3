/** Identity services over a real test database, with a frozen clock the test moves by hand. */
import { randomBytes } from 'node:crypto'
import type { Engine } from '../../src/store/database.ts'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import { AuthContextCache, type AuthContextCacheOptions } from '../../src/core/projects/auth-context-cache.ts'
import { IdentityService } from '../../src/core/projects/identity-service.ts'
import { ProjectService } from '../../src/core/projects/project-service.ts'
import { DomainError, type DomainErrorKind } from '../../src/core/shared/errors.ts'
import { createTestDatabase, type TestDatabase } from '../support/stores.ts'

export const START = new Date('2024-03-01T00:00:00.000Z')
/** Keeps logins fast in tests; the default cost is covered by password-hash.test.ts. */
export const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 }

export interface IdentityFixture {
  readonly database: TestDatabase
  readonly clock: ControllableClock
  readonly masterKey: Buffer
  readonly authCache: AuthContextCache
  readonly projects: ProjectService
  readonly identity: IdentityService
  /** Another process on the same database: its own cache, optionally its own master key. */
  otherProcess(options?: { masterKey?: Buffer }): IdentityService
  close(): Promise<void>
}

export async function createIdentityFixture(
  engine: Engine,
  options: { tokenCache?: AuthContextCacheOptions } = {},
): Promise<IdentityFixture> {
  const database = await createTestDatabase(engine)
  const clock = new ControllableClock({ frozenAt: START })
  const masterKey = randomBytes(32)
  const authCache = new AuthContextCache(clock, options.tokenCache)
  const identityFor = (key: Buffer, cache: AuthContextCache) =>
    new IdentityService({ store: database.store, clock, authCache: cache }, {
      accessKeyMasterKey: key, passwordHashCost: CHEAP_SCRYPT,
    })
  return {
    database, clock, masterKey, authCache,
    projects: new ProjectService({ store: database.store, clock, authCache }),
    identity: identityFor(masterKey, authCache),
    otherProcess: (other = {}) => identityFor(other.masterKey ?? masterKey, new AuthContextCache(clock, options.tokenCache)),
    close: () => database.close(),
  }
}

/** The DomainError `work` rejects with, failing the test when it resolves or throws something else. */
export async function domainErrorOf(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work
  } catch (error) {
    if (error instanceof DomainError) return error
    throw error
  }
  throw new Error('expected a DomainError, but the call succeeded')
}

export async function expectKind(work: Promise<unknown>, kind: DomainErrorKind): Promise<DomainError> {
  const error = await domainErrorOf(work)
  if (error.kind !== kind) throw new Error(`expected ${kind}, got ${error.kind}: ${error.message}`)
  return error
}
