/**
 * Helpers for the compute catalog API tests (versions, flavors, zones, keypairs, limits, server groups):
 * tokens for the demo member, the admin and fresh tenants, and a request shortcut for the compute listener.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import type { Role } from '../../../src/core/shared/owner.ts'
import type { TestGureum } from '../../support/build-app.ts'

export interface Caller {
  readonly token: string
  readonly tenantId: string
  readonly userId: string
}

export async function demoCaller(t: TestGureum): Promise<Caller> {
  const issued = await t.gureum.services.identity.authenticate({ username: 'demo', password: t.credentials.user.password })
  return { token: issued.token, tenantId: issued.project.id, userId: issued.user.id }
}

export async function adminCaller(t: TestGureum): Promise<Caller> {
  const issued = await t.gureum.services.identity.authenticate({ username: 'admin', password: t.credentials.admin.password })
  return { token: issued.token, tenantId: issued.project.id, userId: issued.user.id }
}

/** A new project with one user of `role`, for isolation and permission tests. */
export async function newTenant(t: TestGureum, role: Role = 'member'): Promise<Caller> {
  const suffix = randomBytes(4).toString('hex')
  const project = await t.gureum.services.projects.createProject({ name: `tenant-${suffix}` })
  const password = `pw-${randomBytes(8).toString('hex')}`
  await t.gureum.services.identity.createUser({ projectId: project.id, name: `user-${suffix}`, password, role })
  const issued = await t.gureum.services.identity.authenticate({ username: `user-${suffix}`, password })
  return { token: issued.token, tenantId: project.id, userId: issued.user.id }
}

export interface ComputeRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path under `<prefix>/<tenantId>`. */
  readonly path: string
  readonly payload?: unknown
  readonly headers?: Record<string, string>
  /** Send `payload` as this exact text (malformed JSON tests). */
  readonly rawBody?: string
  /** `2.x` sent as OpenStack-API-Version. */
  readonly microversion?: string
  readonly prefix?: '/v2' | '/v2.1'
}

/** A request to `<prefix>/<caller's tenant><path>` with the caller's token. */
export function compute(t: TestGureum, caller: Caller, request: ComputeRequest): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { 'x-auth-token': caller.token, ...request.headers }
  if (request.microversion) headers['openstack-api-version'] = `compute ${request.microversion}`
  const hasBody = request.payload !== undefined || request.rawBody !== undefined
  if (hasBody) headers['content-type'] ??= 'application/json;charset=UTF-8'
  return t.inject('compute', {
    method: request.method ?? 'GET',
    url: `${request.prefix ?? '/v2'}/${caller.tenantId}${request.path}`,
    headers,
    ...(request.rawBody !== undefined
      ? { payload: request.rawBody }
      : request.payload !== undefined ? { payload: JSON.stringify(request.payload) } : {}),
  })
}

/** The only key of a Nova fault body, e.g. `itemNotFound`, with its code. */
export function faultOf(response: LightMyRequestResponse): { name: string; code: number; message: string } {
  const body = response.json() as Record<string, { code: number; message: string }>
  const [name] = Object.keys(body)
  return { name, code: body[name].code, message: body[name].message }
}

/** A body copied from a seed example (test/api/nhn-instance-v2/samples). */
export function sample<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'samples', name), 'utf8')) as T
}

/** The keys of an object, sorted, for shape comparisons with seed examples. */
export const keysOf = (value: object) => Object.keys(value).sort()

/**
 * A value's structure: key names and JSON types, arrays by the distinct shapes of their items. Two bodies
 * with equal shapes differ only in values (what seed-example comparisons need).
 */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null'
  if (Array.isArray(value)) {
    const shapes = new Map(value.map((item) => { const shape = shapeOf(item); return [JSON.stringify(shape), shape] }))
    return [...shapes.values()]
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))
      .map(([key, item]) => [key, shapeOf(item)]))
  }
  return typeof value
}

/** The token expiry (12 h by default) plus a minute. */
export const PAST_TOKEN_EXPIRY_MS = 12 * 3600_000 + 60_000
