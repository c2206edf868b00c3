/**
 * A Gureum with the network listener for the Neutron dialect's tests: the demo project's token, a
 * second project (for isolation), an admin, and helpers to call the API and compare with the
 * reference samples.
 */
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import type { LightMyRequestResponse } from 'fastify'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import type { Engine } from '../../../src/store/database.ts'
import type { Owner, Role } from '../../../src/core/shared/owner.ts'
import type { QuotaResource } from '../../../src/core/quotas/quota-repository.ts'

export interface Tenant {
  readonly token: string
  readonly owner: Owner
}

export interface NetworkFixture {
  readonly t: TestGureum
  /** The seeded demo project (member). */
  readonly demo: Tenant
  readonly defaults: TestGureum['credentials']['defaults']
  /** The seeded external network ("Public Network"). */
  readonly publicNetworkId: string
  call(method: string, url: string, options?: { payload?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<LightMyRequestResponse>
  /** A new project with one user of the given role (member by default). */
  newTenant(options?: { role?: Role; quotaLimits?: Partial<Record<QuotaResource, number>> }): Promise<Tenant>
  admin(): Promise<Tenant>
  close(): Promise<void>
}

let tenantCount = 0

export async function buildNetworkFixture(engine: Engine): Promise<NetworkFixture> {
  const t = await buildTestGureum({ engine })
  const { identity, projects, networks } = t.gureum.services
  const login = async (username: string, password: string): Promise<Tenant> => {
    const issued = await identity.authenticate({ username, password })
    return { token: issued.token, owner: issued.owner }
  }
  const demo = await login('demo', t.credentials.user.password)
  const external = await networks.listNetworks(demo.owner, { external: true }, { limit: 10, marker: null })
  return {
    t,
    demo,
    defaults: t.credentials.defaults,
    publicNetworkId: external.items[0].id,
    call(method, url, options = {}) {
      const token = options.token === undefined ? demo.token : options.token
      return t.inject('network', {
        method: method as 'GET',
        url,
        headers: { ...(token === null ? {} : { 'x-auth-token': token }), ...options.headers },
        ...(options.payload === undefined ? {} : { payload: options.payload as object }),
      })
    },
    async newTenant(options = {}) {
      tenantCount++
      const project = await projects.createProject({ name: `neutron-tenant-${tenantCount}`, quotaLimits: options.quotaLimits })
      const name = `neutron-user-${tenantCount}-${project.id.slice(0, 6)}`
      await identity.createUser({ projectId: project.id, name, password: 'tenant-pass-1', role: options.role ?? 'member' })
      return login(name, 'tenant-pass-1')
    },
    admin: () => login('admin', t.credentials.admin.password),
    close: () => t.close(),
  }
}

export function sample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./samples/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>
}

/** Every attribute Gureum answers is one the reference body has (Gureum may leave extensions out). */
export function expectAttributesWithin(actual: object, reference: object): void {
  const extra = Object.keys(actual).filter((key) => !(key in reference))
  expect(extra, `attributes not in the reference body: ${extra.join(', ')}`).toEqual([])
}

/** Neutron's error body: the exception name, and no other keys. */
export function expectNeutronError(response: LightMyRequestResponse, status: number, type: string, message?: string | RegExp): void {
  expect(response.statusCode, response.body).toBe(status)
  const body = response.json() as { NeutronError: { type: string; message: string; detail: string } }
  expect(Object.keys(body)).toEqual(['NeutronError'])
  expect(body.NeutronError.type).toBe(type)
  expect(body.NeutronError.detail).toBe('')
  if (typeof message === 'string') expect(body.NeutronError.message).toBe(message)
  else if (message) expect(body.NeutronError.message).toMatch(message)
}

export function expectUnauthorized(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(401)
  expect(response.json()).toEqual({
    error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
  })
  expect(response.headers['www-authenticate']).toMatch(/^Keystone uri="http/)
}

export const NEUTRON_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
