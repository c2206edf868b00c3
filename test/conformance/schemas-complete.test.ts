/**
 * Every route of every listener declares its whole contract (STYLE.md §6, Nova's test_schemas.py): an
 * operationId unique on its listener, tags, a response map with a success status (2xx, or the 300 of
 * OpenStack version discovery), a params schema naming each URL parameter, and a body schema wherever
 * the method carries one, unless the route is listed below with the reason it reads no JSON body.
 * Whether a handler reads query parameters cannot be seen from outside, so querystring is not checked.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { withBuiltListeners, type RouteRecord } from '../../scripts/route-table.ts'

/** `<listener> <METHOD> <url>` → why the route has no body schema. */
const NO_BODY_SCHEMA: Readonly<Record<string, string>> = {
  'image PUT /v2/images/:imageId/file': 'image data is streamed as application/octet-stream',
  'image PUT /v2/images/:imageId/tags/:tag': 'Glance takes the tag from the URL; the request has no body',
  'image POST /v2/images/:imageId/actions/deactivate': 'Glance image actions have no body',
  'image POST /v2/images/:imageId/actions/reactivate': 'Glance image actions have no body',
  'console POST /_admin/reset': 'a reset takes no arguments',
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])

const routeKey = (route: RouteRecord) => `${route.listener} ${route.method} ${route.url}`

/** Path parameter names of a Fastify URL pattern (`/:id.json` names `id`). */
export function urlParameters(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1])
}

function problemsOf(route: RouteRecord): string[] {
  const schema = (route.schema ?? {}) as Record<string, any>
  const problems: string[] = []
  if (typeof schema.operationId !== 'string' || schema.operationId === '') problems.push('no operationId')
  if (!Array.isArray(schema.tags) || schema.tags.length === 0) problems.push('no tags')
  const statuses = Object.keys(schema.response ?? {})
  // OpenStack version discovery at `/` succeeds with 300 Multiple Choices.
  if (!statuses.some((status) => /^(2(\d\d|XX)|300)$/.test(status))) problems.push(`no success response schema (declares ${statuses.join(', ') || 'none'})`)
  const parameters = urlParameters(route.url)
  if (parameters.length > 0) {
    const declared = Object.keys(schema.params?.properties ?? {})
    const missing = parameters.filter((name) => !declared.includes(name))
    if (missing.length > 0) problems.push(schema.params ? `params schema lacks ${missing.join(', ')}` : 'no params schema')
  }
  if (BODY_METHODS.has(route.method) && !schema.body && !(routeKey(route) in NO_BODY_SCHEMA)) problems.push('no body schema')
  return problems
}

describe('route schemas', () => {
  let routes: readonly RouteRecord[] = []
  beforeAll(async () => {
    routes = await withBuiltListeners(async (built) => built.routes)
  })

  it('every listener has routes', () => {
    const listeners = new Set(routes.map((route) => route.listener))
    expect([...listeners].sort()).toEqual(['compute', 'console', 'identity', 'image', 'network', 'nhnV1', 'volume'])
  })

  it('declare operationId, tags, a success response, params and body', () => {
    const offenders = routes.flatMap((route) => {
      const problems = problemsOf(route)
      return problems.length > 0 ? [`${routeKey(route)}: ${problems.join('; ')}`] : []
    })
    expect(offenders, `routes with an incomplete schema:\n${offenders.join('\n')}`).toEqual([])
  })

  it('list only routes that exist and lack a body schema as reading no body', () => {
    const stale = Object.keys(NO_BODY_SCHEMA).filter((key) => {
      const route = routes.find((candidate) => routeKey(candidate) === key)
      return !route || route.schema?.body !== undefined
    })
    expect(stale, 'NO_BODY_SCHEMA entries to remove').toEqual([])
  })

  it('have operation ids unique on their listener', () => {
    const seen = new Map<string, string>()
    const duplicates: string[] = []
    for (const route of routes) {
      const id = (route.schema as { operationId?: string } | undefined)?.operationId
      if (!id) continue
      const key = `${route.listener} ${id}`
      const first = seen.get(key)
      if (first) duplicates.push(`${key}: ${first} and ${route.method} ${route.url}`)
      else seen.set(key, `${route.method} ${route.url}`)
    }
    expect(duplicates, `operation ids used twice:\n${duplicates.join('\n')}`).toEqual([])
  })
})
