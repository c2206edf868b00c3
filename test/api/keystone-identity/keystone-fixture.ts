/**
 * Helpers for the Keystone identity API tests: request bodies as keystoneauth and gophercloud send them,
 * a second tenant for isolation cases, and the checks every Keystone error answer must pass.
 */
import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import type { LightMyRequestResponse } from 'fastify'
import { AUTHENTICATION_REQUIRED } from '../../../src/core/projects/auth-context.ts'
import type { Role } from '../../../src/core/shared/owner.ts'
import type { TestGureum } from '../../support/build-app.ts'

export const JSON_HEADERS = { 'content-type': 'application/json' }

/** Keystone's ValidationError wording after "Expecting to find X in Y.". */
export const CLIENT_IN_ERROR = 'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.'

export interface Tenant {
  readonly projectId: string
  readonly projectName: string
  readonly userId: string
  readonly username: string
  readonly password: string
}

/** The seeded demo tenant of a test Gureum. */
export async function demoTenant(t: TestGureum): Promise<Tenant> {
  const user = await t.gureum.services.identity.getUserByName(t.credentials.user.name)
  return {
    projectId: t.credentials.project.id, projectName: t.credentials.project.name,
    userId: user.id, username: user.name, password: t.credentials.user.password,
  }
}

/** A new project with one user of `role`, under unique names. */
export async function createTenant(t: TestGureum, role: Role = 'member'): Promise<Tenant> {
  const suffix = randomBytes(4).toString('hex')
  const project = await t.gureum.services.projects.createProject({ name: `tenant-${suffix}`, description: 'second tenant' })
  const password = `pw-${randomBytes(8).toString('hex')}`
  const user = await t.gureum.services.identity.createUser({ projectId: project.id, name: `user-${suffix}`, password, role })
  return { projectId: project.id, projectName: project.name, userId: user.id, username: user.name, password }
}

export function v2PasswordBody(tenant: Pick<Tenant, 'username' | 'password'>, scope: Record<string, string> = {}) {
  return { auth: { ...scope, passwordCredentials: { username: tenant.username, password: tenant.password } } }
}

/** keystoneauth's v3 password body: user by name in the Default domain, project scope by id. */
export function v3PasswordBody(
  tenant: Pick<Tenant, 'username' | 'password'>,
  scope: unknown = undefined,
) {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: tenant.username, domain: { name: 'Default' }, password: tenant.password } } },
      ...(scope === undefined ? {} : { scope }),
    },
  }
}

export function v3TokenBody(token: string, scope: unknown = undefined) {
  return { auth: { identity: { methods: ['token'], token: { id: token } }, ...(scope === undefined ? {} : { scope }) } }
}

export async function postV2Token(t: TestGureum, body: unknown): Promise<LightMyRequestResponse> {
  return t.inject('identity', { method: 'POST', url: '/v2.0/tokens', headers: JSON_HEADERS, payload: body as object })
}

export async function postV3Token(t: TestGureum, body: unknown, query = ''): Promise<LightMyRequestResponse> {
  return t.inject('identity', { method: 'POST', url: `/v3/auth/tokens${query}`, headers: JSON_HEADERS, payload: body as object })
}

/** A v3 token of `tenant` (its own project). */
export async function v3TokenOf(t: TestGureum, tenant: Tenant): Promise<string> {
  const response = await postV3Token(t, v3PasswordBody(tenant, { project: { id: tenant.projectId } }))
  expect(response.statusCode).toBe(201)
  return response.headers['x-subject-token'] as string
}

export function expectKeystoneError(response: LightMyRequestResponse, code: number, message?: string | RegExp): void {
  expect(response.statusCode, response.body).toBe(code)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  const body = response.json() as { error: { code: number; title: string; message: string } }
  const titles: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 413: 'Request Entity Too Large' }
  expect(body).toEqual({ error: { code, title: titles[code], message: expect.any(String) } })
  if (typeof message === 'string') expect(body.error.message).toBe(message)
  else if (message) expect(body.error.message).toMatch(message)
}

/** Keystone's 401: one message whatever was wrong, and where to authenticate. */
export function expectUnauthorized(response: LightMyRequestResponse): void {
  expectKeystoneError(response, 401, AUTHENTICATION_REQUIRED)
  expect(response.headers['www-authenticate']).toBe('Keystone uri="http://localhost:80"')
}

/**
 * How many tokens were ever stored by this Gureum and are still there: moves the clock past every
 * expiry and purges. It ends every token of the instance, so a test calls it last.
 */
export async function storedTokensAtEnd(t: TestGureum): Promise<number> {
  await t.clock.advanceAsync(13 * 60 * 60 * 1000)
  return t.gureum.services.identity.purgeExpiredTokens()
}
