/**
 * Shared helpers of the NHN v1.0 API tests: a Gureum with a v1.0 token for the demo project, a caller
 * that insists on HTTP 200 and the header envelope (seed 000: every answer, failures included), the seed
 * samples, and a snapshot of the project's state to prove that a failure changed nothing.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { InjectOptions } from 'fastify'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import type { Engine } from '../../../src/store/database.ts'
import type { Owner } from '../../../src/core/shared/owner.ts'

export interface V1Header {
  readonly isSuccessful: boolean
  readonly resultCode: number
  readonly resultMessage: string
}

/** A parsed v1.0 answer: the header and whatever payload the operation has. */
export type V1Answer = { readonly header: V1Header } & Record<string, any>

export interface CallOptions {
  readonly payload?: unknown
  /** Sent verbatim (malformed JSON tests). */
  readonly rawBody?: string
  /** Undefined: the fixture's token; null: no X-Auth-Token header. */
  readonly token?: string | null
  readonly headers?: Record<string, string>
}

export interface V1Fixture {
  readonly t: TestGureum
  readonly owner: Owner
  readonly appkey: string
  readonly token: string
  /** `/v1.0/appkeys/{appkey}` of the demo project. */
  readonly base: string
  call(method: InjectOptions['method'], url: string, options?: CallOptions): Promise<V1Answer>
  close(): Promise<void>
}

export async function buildV1(engine: Engine, options: { readonly validateResponses?: boolean } = {}): Promise<V1Fixture> {
  const t = await buildTestGureum({ engine, validateResponses: options.validateResponses })
  const appkey = t.credentials.project.appkey
  const base = `/v1.0/appkeys/${appkey}`
  const call: V1Fixture['call'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers }
    const token = options.token === undefined ? fixtureToken : options.token
    if (token !== null) headers['x-auth-token'] = token
    let payload: InjectOptions['payload']
    if (options.rawBody !== undefined) {
      payload = options.rawBody
      headers['content-type'] ??= 'application/json;charset=UTF-8'
    } else if (options.payload !== undefined) {
      payload = JSON.stringify(options.payload)
      headers['content-type'] ??= 'application/json;charset=UTF-8'
    }
    const response = await t.inject('nhnV1', { method, url, headers, payload })
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    const body = response.json() as V1Answer
    expect(Object.keys(body.header).sort()).toEqual(['isSuccessful', 'resultCode', 'resultMessage'])
    expect(body.header.isSuccessful).toBe(body.header.resultCode === 0)
    return body
  }
  let fixtureToken: string | null = null
  const issued = await call('POST', `${base}/tokens`, {
    token: null, payload: { auth: { username: 'demo', password: t.credentials.user.password } },
  })
  expect(issued.header.resultCode).toBe(0)
  fixtureToken = issued.access.token.id as string
  const owner = (await t.gureum.services.identity.validateToken(fixtureToken)).owner
  return { t, owner, appkey, token: fixtureToken, base, call, close: () => t.close() }
}

export function expectSuccess(answer: V1Answer): void {
  expect(answer.header, JSON.stringify(answer)).toEqual({ isSuccessful: true, resultCode: 0, resultMessage: 'SUCCESS' })
}

/** A failure: the code, a message "<resultMessage>[: detail]", and nothing but the header. */
export function expectFailure(answer: V1Answer, resultCode: number, message?: RegExp): void {
  expect(answer.header.resultCode, JSON.stringify(answer)).toBe(resultCode)
  expect(answer.header.isSuccessful).toBe(false)
  if (message) expect(answer.header.resultMessage).toMatch(message)
  expect(Object.keys(answer)).toEqual(['header'])
}

export function sample(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'samples', `${name}.json`), 'utf8'))
}

const PLACEHOLDER = /^\{[^{}]+\}$/

/** The seed's request example with its placeholders replaced; an unfilled `{…}` placeholder fails. */
export function fillSample(name: string, values: Readonly<Record<string, unknown>>): unknown {
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      // The token example writes its placeholders without braces ("User Name").
      const key = PLACEHOLDER.test(node) ? node.slice(1, -1) : node
      if (key in values) return values[key]
      if (PLACEHOLDER.test(node)) throw new Error(`sample ${name}: no value for placeholder ${node}`)
      return node
    }
    if (Array.isArray(node)) return node.map(fill)
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]))
    }
    return node
  }
  return fill(sample(name))
}

export interface ShapeOptions {
  /** Sample key → the key we answer with (the show example's `updateAt`). */
  readonly renames?: Readonly<Record<string, string>>
  /** Sample keys that may be absent (`floatingIpAddress`). */
  readonly optional?: readonly string[]
  /** Keys we answer with that the sample lacks (`header` on the brief list). */
  readonly extra?: readonly string[]
}

/**
 * The answer has exactly the sample's keys, recursively. A placeholder in the sample stands for any
 * string or number (the seed quotes numeric placeholders: CATALOG §6 A7); other sample values fix
 * the type; arrays are compared element by element against the sample's first element.
 */
export function expectShape(actual: unknown, expected: unknown, options: ShapeOptions = {}, path = '$'): void {
  if (typeof expected === 'string' && PLACEHOLDER.test(expected)) {
    expect(['string', 'number'], `${path} is ${JSON.stringify(actual)}`).toContain(typeof actual)
    return
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true)
    for (const [index, item] of (actual as unknown[]).entries()) expectShape(item, expected[0], options, `${path}[${index}]`)
    return
  }
  if (expected !== null && typeof expected === 'object') {
    expect(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${path} is an object`).toBe(true)
    const record = actual as Record<string, unknown>
    // metadata is the user's map: the sample's key is only an example; its values are strings.
    if (path.endsWith('.metadata')) {
      for (const value of Object.values(record)) expect(typeof value, `${path} values`).toBe('string')
      return
    }
    const wanted = Object.keys(expected).map((key) => options.renames?.[key] ?? key)
    const required = wanted.filter((key) => !options.optional?.includes(key))
    for (const key of required) expect(record, `${path} lacks ${key}`).toHaveProperty([key])
    const allowed = new Set([...wanted, ...(path === '$' ? options.extra ?? [] : [])])
    for (const key of Object.keys(record)) expect(allowed.has(key), `${path} has unexpected ${key}`).toBe(true)
    for (const [key, value] of Object.entries(expected)) {
      const ours = options.renames?.[key] ?? key
      if (ours in record) expectShape(record[ours], value, options, `${path}.${ours}`)
    }
    return
  }
  expect(typeof actual, `${path}`).toBe(typeof expected)
}

/** Everything of the project a v1.0 call could change, to compare before and after a failure. */
export async function projectState(t: TestGureum, owner: Owner): Promise<unknown> {
  const { servers, volumes, networks, images, quotas } = t.gureum.services
  const page = { limit: 1000, marker: null }
  return {
    quotas: await quotas.usage(owner),
    servers: (await servers.list(owner, page)).items
      .map(({ id, name, vmState, taskState, flavorId, updatedAt }) => ({ id, name, vmState, taskState, flavorId, updatedAt })),
    volumes: (await volumes.list(owner, page)).items.map(({ id, status, attachments }) => ({ id, status, attachments })),
    ports: (await networks.listPorts(owner, {}, page)).items.map(({ id, deviceId, securityGroupIds }) => ({ id, deviceId, securityGroupIds })),
    floatingIps: (await networks.listFloatingIps(owner, {}, page)).items.map(({ id, portId }) => ({ id, portId })),
    images: (await images.list(owner, { ...page, visibility: 'private' })).items.map(({ id, status }) => ({ id, status })),
  }
}
