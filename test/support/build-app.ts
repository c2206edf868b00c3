/**
 * A whole Gureum for API and scenario tests: real store (SQLite file or a PostgreSQL schema), the
 * simulated driver in immediate mode, a controllable clock, the first-start seed, and every listener
 * built for `inject`. Tasks run only when the test drains them (Nova's CastAsCallFixture), so tests
 * can observe transitional states; `autoDrain` drains after every injected request instead.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import responseValidation from '@fastify/response-validation'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { defaultConfig, type GureumConfig } from '../../src/config.ts'
import { createGureum, type Gureum } from '../../src/deps.ts'
import { buildListeners } from '../../src/app.ts'
import { ensureFirstStart, type Credentials } from '../../src/admin/first-start.ts'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import type { ListenerName } from '../../src/dialects/shared/context.ts'
import type { DialectApp } from '../../src/dialects/shared/listener.ts'
import type { Engine } from '../../src/store/database.ts'
import { dropPostgresSchema, ensurePostgresSchema } from '../../src/store/engines/postgres.ts'
import { TEST_PG_URL } from './stores.ts'

export interface TestGureum {
  readonly gureum: Gureum
  readonly credentials: Credentials
  readonly clock: ControllableClock
  readonly listeners: ReadonlyMap<ListenerName, DialectApp>
  /** Sends a request to one listener (and drains tasks afterwards when autoDrain is on). */
  inject(listener: ListenerName, options: InjectOptions): Promise<LightMyRequestResponse>
  drain(): Promise<number>
  close(): Promise<void>
}

export interface TestGureumOptions {
  readonly engine?: Engine
  readonly autoDrain?: boolean
  readonly config?: Partial<GureumConfig>
  /** Validate every response against its route's schema (on by default, as Nova's tests do). */
  readonly validateResponses?: boolean
}

export async function buildTestGureum(options: TestGureumOptions = {}): Promise<TestGureum> {
  const engine = options.engine ?? 'sqlite'
  const dataDir = mkdtempSync(join(tmpdir(), 'gureum-app-'))
  const pgSchema = engine === 'postgres' ? `a_${randomBytes(6).toString('hex')}` : undefined
  if (pgSchema) await ensurePostgresSchema(TEST_PG_URL, pgSchema)
  const config: GureumConfig = {
    ...defaultConfig,
    dataDir,
    databaseUrl: engine === 'postgres' ? TEST_PG_URL : join(dataDir, 'gureum.db'),
    progression: { mode: 'immediate', speed: 1, seed: 1 },
    logLevel: 'silent',
    ...options.config,
  }
  const clock = new ControllableClock({ frozenAt: new Date('2026-11-28T00:00:00.000Z') })
  const gureum = await createGureum(config, { clock, inlineTasks: true, masterKey: randomBytes(32), pgSchema })
  const credentials = await ensureFirstStart(gureum)
  if (!credentials) throw new Error('first start did not seed the test installation')
  const validate = options.validateResponses ?? true
  const listeners = await buildListeners(gureum, {
    logger: false,
    decorate: validate ? async (app) => { await app.register(responseValidation, { ajv: { coerceTypes: false, removeAdditional: false }, responseStatusCodeValidation: true }) } : undefined,
  })
  for (const app of listeners.values()) await app.ready()
  const drain = () => gureum.drain()
  return {
    gureum, credentials, clock, listeners, drain,
    async inject(listener, request) {
      const app = listeners.get(listener)
      if (!app) throw new Error(`no dialect serves the ${listener} listener yet`)
      const response = await app.inject(request)
      if (options.autoDrain) await drain()
      return response
    },
    async close() {
      await Promise.allSettled([...listeners.values()].map((app) => app.close()))
      await gureum.close()
      if (pgSchema) await dropPostgresSchema(TEST_PG_URL, pgSchema)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
