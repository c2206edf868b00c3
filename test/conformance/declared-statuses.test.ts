/**
 * The statuses a dialect's error handler produces for the common failures are declared on every route
 * that can produce them (STYLE.md §7, Nova's expected_errors). Every registered route is called
 *   - without a token (URL parameters random UUIDs),
 *   - with a valid token and a malformed JSON body, where the route takes a body,
 *   - with a valid token and unknown ids in the URL, where the route names a resource and takes no body,
 * and must answer a status its schema declares, never 500 (response validation is on in these builds,
 * so an undeclared status already turns into a 500). NHN v1.0 answers everything with HTTP 200: there
 * the answer must be its failure envelope with a resultCode.
 */
import { randomUUID } from 'node:crypto'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../support/build-app.ts'
import { testEngines } from '../support/stores.ts'
import { withBuiltListeners, type RouteRecord } from '../../scripts/route-table.ts'
import type { ListenerName } from '../../src/dialects/shared/context.ts'

const routes = await withBuiltListeners(async (built) => built.routes)

/** The URL parameter that names the caller's own project on each listener, and what fills it. */
const SCOPE_PARAMETER: Partial<Record<ListenerName, { name: string; value: 'projectId' | 'appkey' }>> = {
  compute: { name: 'tenantId', value: 'projectId' },
  volume: { name: 'projectId', value: 'projectId' },
  nhnV1: { name: 'appkey', value: 'appkey' },
}

const hasBody = (route: RouteRecord) => route.schema?.body !== undefined
const parameterNames = (url: string) => [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1])

interface Caller {
  readonly projectId: string
  readonly appkey: string
  /** A token of the demo project's member, or of the admin on the console. */
  token(listener: ListenerName): string
}

/** The route's URL with its parameters filled: the caller's project where `scoped`, random UUIDs elsewhere. */
function urlOf(route: RouteRecord, caller: Caller, scoped: boolean): string {
  const scope = SCOPE_PARAMETER[route.listener]
  return route.url.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) =>
    scoped && scope?.name === name ? caller[scope.value] : randomUUID())
}

interface Probe {
  readonly name: string
  applies(route: RouteRecord): boolean
  request(route: RouteRecord, caller: Caller): InjectOptions
}

const probes: readonly Probe[] = [
  {
    name: 'no token',
    applies: () => true,
    request: (route, caller) => ({ method: route.method as InjectOptions['method'], url: urlOf(route, caller, false) }),
  },
  {
    name: 'malformed JSON body',
    applies: hasBody,
    request: (route, caller) => ({
      method: route.method as InjectOptions['method'], url: urlOf(route, caller, true),
      headers: { 'x-auth-token': caller.token(route.listener), 'content-type': 'application/json' },
      payload: '{"malformed": ',
    }),
  },
  {
    name: 'unknown ids',
    applies: (route) => !hasBody(route) && parameterNames(route.url).some((name) => name !== SCOPE_PARAMETER[route.listener]?.name),
    request: (route, caller) => ({
      method: route.method as InjectOptions['method'], url: urlOf(route, caller, true),
      headers: { 'x-auth-token': caller.token(route.listener) },
    }),
  },
]

function declares(route: RouteRecord, status: number): boolean {
  const declared = Object.keys((route.schema?.response ?? {}) as object)
  return declared.includes(String(status)) || declared.includes(`${String(status).charAt(0)}XX`) || declared.includes('default')
}

/** Why the answer breaks the route's contract, or null. */
function violation(route: RouteRecord, status: number, body: string): string | null {
  if (route.listener === 'nhnV1') {
    if (status !== 200) return `HTTP ${status} (NHN v1.0 always answers 200)`
    let header: { isSuccessful?: unknown; resultCode?: unknown } | undefined
    try {
      header = (JSON.parse(body) as { header?: typeof header }).header
    } catch {
      return 'a body that is not JSON'
    }
    if (header?.isSuccessful !== false || typeof header.resultCode !== 'number') return `no failure envelope: ${body.slice(0, 200)}`
    return null
  }
  if (status === 500) return `500: ${body.slice(0, 300)}`
  if (!declares(route, status)) return `undeclared ${status} (declares ${Object.keys(route.schema?.response ?? {}).join(', ')})`
  return null
}

describe.each(await testEngines())('declared statuses (%s)', (engine) => {
  let t: TestGureum
  let caller: Caller
  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    const { identity } = t.gureum.services
    const member = (await identity.authenticate({ username: t.credentials.user.name, password: t.credentials.user.password })).token
    const admin = (await identity.authenticate({ username: t.credentials.admin.name, password: t.credentials.admin.password })).token
    caller = {
      projectId: t.credentials.project.id, appkey: t.credentials.project.appkey,
      token: (listener) => (listener === 'console' ? admin : member),
    }
  })
  afterAll(async () => t.close())

  for (const probe of probes) {
    it(`every route answers a declared status: ${probe.name}`, async () => {
      const failures: string[] = []
      for (const route of routes.filter((candidate) => probe.applies(candidate))) {
        const request = probe.request(route, caller)
        const response = await t.inject(route.listener, request)
        const problem = violation(route, response.statusCode, response.body)
        if (problem) failures.push(`${route.listener} ${route.method} ${route.url}: ${problem}`)
      }
      expect(failures, `${failures.length} routes answer outside their contract (${probe.name}):\n${failures.join('\n')}`).toEqual([])
    })
  }
})
