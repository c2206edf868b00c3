/**
 * The real openstackclient (Debian's python3-openstackclient: keystoneauth1 and keystoneclient) logging
 * in to a started `gureum serve` through Keystone v3 (versioned and root auth URLs, so both discovery
 * documents are read) and v2.0 (NHN Cloud's documented identity API), reading the catalog, and revoking
 * a token. Skipped with a printed reason where `openstack` is not installed, except in CI (CI=true),
 * where that is a failure.
 */
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGureumProcess, type GureumProcess } from '../support/gureum-process.ts'

const openstackMissing = spawnSync('which', ['openstack']).status !== 0
if (openstackMissing) {
  if (process.env.CI === 'true') throw new Error('openstack (python3-openstackclient) is required in CI: apt-get install -y python3-openstackclient')
  console.warn('skipping the Keystone client tests: `openstack` is not installed (apt-get install -y python3-openstackclient)')
}

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

describe.skipIf(openstackMissing)('openstackclient against gureum serve: Keystone v3 and v2.0', () => {
  let gureum: GureumProcess
  let home: string

  beforeAll(async () => {
    gureum = await startGureumProcess()
    // Its own HOME: no clouds.yaml or cache of the person running the tests.
    home = mkdtempSync(join(tmpdir(), 'gureum-osc-home-'))
  }, 120_000)

  afterAll(async () => {
    await gureum?.stop()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  /** The OS_* settings of the demo user: none of this process's OS_* variables leak in. */
  function environment(overrides: Record<string, string>): Record<string, string> {
    const { credentials } = gureum
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      OS_USERNAME: credentials.user.name,
      OS_PASSWORD: credentials.user.password,
      OS_REGION_NAME: 'KR1',
      ...overrides,
    }
  }

  const v3 = (authUrl: string, extra: Record<string, string> = {}) => environment({
    OS_AUTH_URL: authUrl,
    OS_IDENTITY_API_VERSION: '3',
    OS_PROJECT_NAME: gureum.credentials.project.name,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    ...extra,
  })

  const openstack = (env: Record<string, string>, ...args: string[]) => new Promise<Run>((resolve) => {
    execFile('openstack', args, { env, cwd: home, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })

  async function json(env: Record<string, string>, ...args: string[]): Promise<any> {
    const run = await openstack(env, ...args, '-f', 'json')
    expect(run.code, `openstack ${args.join(' ')} failed:\n${run.stderr}\n--- gureum ---\n${gureum.output()}`).toBe(0)
    return JSON.parse(run.stdout)
  }

  /** Asks Gureum itself whether a token is live (the token checks itself). */
  async function tokenStatus(token: string): Promise<number> {
    const response = await fetch(`${gureum.urls.identity}/v3/auth/tokens`, {
      headers: { 'X-Auth-Token': token, 'X-Subject-Token': token },
    })
    return response.status
  }

  function expectTokenOfDemo(issued: { id: string; project_id: string; user_id: string; expires: string }): void {
    expect(issued.id).toMatch(/^[0-9a-f]{32}$/)
    expect(issued.project_id).toBe(gureum.credentials.project.id)
    expect(issued.user_id).toMatch(/^[0-9a-f]{32}$/)
    // 12 hours ahead, as keystoneauth parsed it.
    const hoursLeft = (Date.parse(issued.expires.replace(/\+0000$/, 'Z')) - Date.now()) / 3_600_000
    expect(hoursLeft).toBeGreaterThan(11.5)
    expect(hoursLeft).toBeLessThanOrEqual(12)
  }

  it('token issue with Keystone v3 at /v3', async () => {
    const issued = await json(v3(`${gureum.urls.identity}/v3`), 'token', 'issue')
    expectTokenOfDemo(issued)
    expect(await tokenStatus(issued.id)).toBe(200)
  }, 120_000)

  it('token issue with Keystone v3 discovered from the root (300 Multiple Choices)', async () => {
    const issued = await json(v3(gureum.urls.identity), 'token', 'issue')
    expectTokenOfDemo(issued)
  }, 120_000)

  it('token issue with Keystone v2.0 and a tenant name, as NHN Cloud documents', async () => {
    const env = environment({
      OS_AUTH_URL: `${gureum.urls.identity}/v2.0`,
      OS_IDENTITY_API_VERSION: '2.0',
      OS_TENANT_NAME: gureum.credentials.project.name,
    })
    const issued = await json(env, 'token', 'issue')
    expectTokenOfDemo(issued)
    expect(await tokenStatus(issued.id)).toBe(200)
  }, 120_000)

  it('catalog list shows every endpoint at the listeners Gureum was started on', async () => {
    const catalog: { Name: string; Type: string; Endpoints: { interface: string; url: string }[] }[] =
      await json(v3(`${gureum.urls.identity}/v3`), 'catalog', 'list')
    const publicUrls = Object.fromEntries(catalog.map((entry) => [entry.Type, entry.Endpoints.find((endpoint) => endpoint.interface === 'public')?.url]))
    const tenant = gureum.credentials.project.id
    expect(publicUrls).toEqual({
      identity: `${gureum.urls.identity}/v3`,
      compute: `${gureum.urls.compute}/v2/${tenant}`,
      image: gureum.urls.image,
      network: gureum.urls.network,
      volumev2: `${gureum.urls.volume}/v2/${tenant}`,
      volumev3: `${gureum.urls.volume}/v3/${tenant}`,
      'block-storage': `${gureum.urls.volume}/v3/${tenant}`,
    })
  }, 120_000)

  it('token revoke ends the token', async () => {
    const env = v3(`${gureum.urls.identity}/v3`)
    const { id } = await json(env, 'token', 'issue')
    expect(await tokenStatus(id)).toBe(200)
    const revoke = await openstack(env, 'token', 'revoke', id)
    expect(revoke.code, revoke.stderr).toBe(0)
    expect(await tokenStatus(id)).toBe(401)
  }, 120_000)

  it('a wrong password is Keystone\'s 401, which the client reports', async () => {
    for (const env of [
      v3(`${gureum.urls.identity}/v3`, { OS_PASSWORD: 'wrong' }),
      environment({ OS_AUTH_URL: `${gureum.urls.identity}/v2.0`, OS_IDENTITY_API_VERSION: '2.0', OS_TENANT_NAME: 'demo', OS_PASSWORD: 'wrong' }),
    ]) {
      const run = await openstack(env, 'token', 'issue', '-f', 'json')
      expect(run.code).not.toBe(0)
      expect(run.stderr).toContain('The request you have made requires authentication. (HTTP 401)')
    }
  }, 120_000)
})
