/**
 * Builds one Fastify instance per listener from a composed Gureum: each dialect at the root of its own
 * port, and the admin API with /healthz on the console port.
 */
import type { FastifyBaseLogger } from 'fastify'
import swagger from '@fastify/swagger'
import { publicUrl } from './config.ts'
import type { Gureum } from './deps.ts'
import { progressionPolicy } from './deps.ts'
import { adminPlugin, type AdminControls } from './admin/admin-plugin.ts'
import { dialects } from './dialects/index.ts'
import type { DialectContext, ListenerName } from './dialects/shared/context.ts'
import { createListener, type DialectApp } from './dialects/shared/listener.ts'
import { openApiDocumentSource, openApiOptions } from './dialects/shared/openapi.ts'
import { notFound } from './core/shared/errors.ts'
import type { ProgressionPolicy } from './drivers/simulated/progression.ts'

export const VERSION = '0.1.0'

export const LISTENERS: readonly ListenerName[] = ['identity', 'compute', 'image', 'network', 'volume', 'nhnV1', 'scp', 'console']

export interface AppOptions {
  readonly logger: FastifyBaseLogger | boolean
  /** Extra setup per listener before routes are added (tests register response validation here). */
  readonly decorate?: (app: DialectApp, listener: ListenerName) => void | Promise<void>
}

export function adminControls(gureum: Gureum): AdminControls {
  const { driver, clock, store } = gureum
  let policy: ProgressionPolicy = progressionPolicy(gureum.config)
  return {
    setProgression(next) {
      policy = next.mode === 'immediate' ? { mode: 'immediate' } : { mode: next.mode, speed: next.speed ?? 1 }
      driver.setProgression(policy)
    },
    progression: () => ({ mode: policy.mode, ...('speed' in policy && policy.speed !== undefined ? { speed: policy.speed } : {}) }),
    async advanceClock(seconds) {
      await clock.advanceAsync(seconds * 1000)
      gureum.queue.wake()
      return clock.now()
    },
    now: () => clock.now(),
    injectFault: (fault) => driver.injectFault(fault as Parameters<typeof driver.injectFault>[0]),
    async setHostDown(host, down) {
      driver.setHostDown(host, down)
      await gureum.services.hosts.setState(host, down ? 'down' : 'up')
    },
    clearFaults: () => driver.clearFaults(),
    listFaults: () => driver.listFaults(),
    async setServerMetrics(serverId, profile) {
      const server = await store.servers.getById(serverId)
      if (!server || server.deleted) throw notFound('server', serverId)
      return { ...(await driver.setMetricsProfile(serverId, profile)) }
    },
    listTasks: (filter) => store.tasks.list({ ...filter, status: filter.status as never }),
    reset: () => gureum.reset(),
  }
}

export async function buildListeners(gureum: Gureum, options: AppOptions): Promise<Map<ListenerName, DialectApp>> {
  const { config } = gureum
  const publicUrls = Object.fromEntries(LISTENERS.map((name) => [name, publicUrl(config, name)])) as Record<ListenerName, string>
  const context: DialectContext = {
    services: gureum.services, clock: gureum.clock, publicUrls, region: config.region,
    imageSizeLimitBytes: config.imageSizeLimitBytes,
  }
  const listeners = new Map<ListenerName, DialectApp>()
  for (const name of LISTENERS) {
    const plugin = dialects[name]
    if (name !== 'console' && !plugin) continue
    const app = createListener({ name, bodyLimitBytes: config.bodyLimitBytes, logger: options.logger })
    await options.decorate?.(app, name)
    // Registered before the routes so that its onRoute hook sees every one of them.
    await app.register(swagger, openApiOptions(name, publicUrls[name], VERSION))
    if (name === 'console') {
      adminPlugin(app, {
        services: gureum.services, controls: adminControls(gureum), version: VERSION,
        documents: openApiDocumentSource(listeners),
      })
    } else {
      await plugin?.(app, context)
    }
    listeners.set(name, app)
  }
  return listeners
}
