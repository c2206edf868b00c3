/**
 * Every listener built the way `gureum serve` builds it (default configuration, so the same public URLs
 * on every machine) on a throwaway SQLite directory, without listening on any port, and the table of
 * routes they registered as Fastify's onRoute hook reports them. The generators and the conformance
 * tests read the route table from here.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifySchema, RouteOptions } from 'fastify'
import { defaultConfig } from '../src/config.ts'
import { createGureum } from '../src/deps.ts'
import { buildListeners, type AppOptions } from '../src/app.ts'
import type { ListenerName } from '../src/dialects/shared/context.ts'
import type { DialectApp } from '../src/dialects/shared/listener.ts'

export interface RouteRecord {
  readonly listener: ListenerName
  readonly method: string
  /** The full path pattern, prefixes included (`/v2/:tenantId/servers/:serverId`). */
  readonly url: string
  readonly schema: FastifySchema | undefined
}

/** A `decorate` option for buildListeners that records every route, and the records. */
export function recordRoutes(): { readonly routes: RouteRecord[]; readonly decorate: NonNullable<AppOptions['decorate']> } {
  const routes: RouteRecord[] = []
  const decorate = (app: DialectApp, listener: ListenerName) => {
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      // Read the schema when asked, not now: a scope's own onRoute hook may still replace it.
      for (const method of methods) {
        routes.push({ listener, method: String(method), url: route.url, get schema() { return route.schema as FastifySchema | undefined } })
      }
    })
  }
  return { routes, decorate }
}

/** HEAD routes Fastify adds beside each GET, which carry the GET's schema and are not routes of their own. */
export function declaredRoutes(routes: readonly RouteRecord[]): RouteRecord[] {
  const gets = new Set(routes.filter((route) => route.method === 'GET').map((route) => `${route.listener} ${route.url}`))
  return routes.filter((route) => !(route.method === 'HEAD' && gets.has(`${route.listener} ${route.url}`)))
}

export interface BuiltListeners {
  readonly listeners: ReadonlyMap<ListenerName, DialectApp>
  readonly routes: readonly RouteRecord[]
}

/** Builds every listener, runs `work` with them, and removes everything again. */
export async function withBuiltListeners<T>(work: (built: BuiltListeners) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gureum-routes-'))
  const gureum = await createGureum(
    { ...defaultConfig, dataDir, logLevel: 'silent', progression: { ...defaultConfig.progression, mode: 'immediate' } },
    { inlineTasks: true, masterKey: randomBytes(32) },
  )
  const recorder = recordRoutes()
  try {
    const listeners = await buildListeners(gureum, { logger: false, decorate: recorder.decorate })
    try {
      for (const app of listeners.values()) await app.ready()
      return await work({ listeners, routes: declaredRoutes(recorder.routes) })
    } finally {
      await Promise.allSettled([...listeners.values()].map((app) => app.close()))
    }
  } finally {
    await gureum.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
