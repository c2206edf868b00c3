/**
 * Gureum instances on a database the test owns (createTestDatabase), for tests that need more than one
 * node on the same data: several in-process instances, or this process next to child processes that
 * run `gureum serve` on the same SQLite file or PostgreSQL schema. Unlike buildTestGureum, nothing here
 * builds HTTP listeners.
 */
import { randomBytes } from 'node:crypto'
import { defaultConfig, type GureumConfig } from '../../src/config.ts'
import { createGureum, type Gureum } from '../../src/deps.ts'
import type { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import type { TestDatabase } from './stores.ts'

export interface InstanceOptions {
  readonly dataDir: string
  readonly config?: Partial<GureumConfig>
  readonly clock?: ControllableClock
}

/** The configuration an instance on `database` runs with; child processes get the same as flags. */
export function instanceConfig(database: TestDatabase, options: InstanceOptions): GureumConfig {
  return {
    ...defaultConfig,
    dataDir: options.dataDir,
    databaseUrl: database.url,
    progression: { mode: 'immediate', speed: 1, seed: 1 },
    logLevel: 'silent',
    ...options.config,
  }
}

/** A Gureum on the test's database whose tasks run only when drained. */
export function openInstance(database: TestDatabase, options: InstanceOptions): Promise<Gureum> {
  return createGureum(instanceConfig(database, options), {
    clock: options.clock, inlineTasks: true, masterKey: randomBytes(32), pgSchema: database.pgSchema,
  })
}
