/**
 * The bundle `npm start`, the benchmark and a deployment run (scripts/build.ts → dist/main.js), as a
 * real process on a temporary data directory, every listener on 127.0.0.1: it answers /healthz, issues
 * a Keystone token that creates and shows a Nova server, serves /docs with the API documents exactly as
 * committed in openapi/ (so the packages bundled into it behave as they do from node_modules), and stops
 * cleanly on SIGTERM. Every other process-level test runs the sources (src/main.ts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLE_ENTRY, buildBundle } from '../../scripts/build.ts'
import { OPENAPI_DIR } from '../../scripts/gen-openapi.ts'
import { nhnDemoFlavors } from '../../src/core/flavors/demo-flavors.ts'
import { startGureumProcess, type GureumProcess } from '../support/gureum-process.ts'
import { waitFor } from '../support/wait-for.ts'

const LOCAL_DISK_FLAVOR = nhnDemoFlavors.find((flavor) => flavor.name === 'u2.c1m1')?.id as string

async function json(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? null : JSON.parse(text) }
}

describe('gureum serve from the bundle (dist/main.js)', () => {
  let gureum: GureumProcess

  beforeAll(async () => {
    await buildBundle()
    gureum = await startGureumProcess({ entry: BUNDLE_ENTRY })
  }, 120_000)

  afterAll(async () => {
    await gureum?.stop()
  })

  it('answers /healthz on the console listener of 127.0.0.1', async () => {
    expect(gureum.urls.console).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const health = await json('GET', `${gureum.urls.console}/healthz`)
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', version: expect.any(String) } })
  })

  it('issues a Keystone v2.0 token that creates a Nova server and shows it ACTIVE', async () => {
    const { credentials, urls } = gureum
    const issued = await json('POST', `${urls.identity}/v2.0/tokens`, {
      auth: { tenantId: credentials.project.id, passwordCredentials: { username: credentials.user.name, password: credentials.user.password } },
    })
    expect(issued.status).toBe(200)
    const auth = { 'x-auth-token': issued.body.access.token.id as string }
    const nova = `${urls.compute}/v2/${credentials.project.id}`

    const keypair = await json('POST', `${nova}/os-keypairs`, { keypair: { name: 'bundle-key' } }, auth)
    expect(keypair.status, JSON.stringify(keypair.body)).toBeLessThan(300)
    const created = await json('POST', `${nova}/servers`, {
      server: {
        name: 'bundle-web', imageRef: credentials.defaults.image_id, flavorRef: LOCAL_DISK_FLAVOR,
        networks: [{ uuid: credentials.defaults.network_id }], key_name: 'bundle-key',
      },
    }, auth)
    expect(created.status, JSON.stringify(created.body)).toBe(202)
    const id = created.body.server.id as string

    const shown = await waitFor(async () => {
      const show = await json('GET', `${nova}/servers/${id}`, undefined, auth)
      return show.status === 200 && show.body.server.status !== 'BUILD' ? show.body.server : undefined
    }, { what: `server ${id} to leave BUILD` })
    expect(shown).toMatchObject({
      id, name: 'bundle-web', status: 'ACTIVE', key_name: 'bundle-key',
      flavor: expect.anything(), image: { id: credentials.defaults.image_id },
    })
  })

  it('serves /docs and every API document as committed in openapi/', async () => {
    const index = await json('GET', `${gureum.urls.console}/docs`)
    expect(index.status).toBe(200)
    const names = (index.body.documents as { name: string; url: string }[]).map((document) => document.name)
    expect(names.length).toBeGreaterThan(0)
    for (const { name, url } of index.body.documents as { name: string; url: string }[]) {
      const served = await json('GET', `${gureum.urls.console}${url}`)
      expect(served.status).toBe(200)
      const committed = JSON.parse(readFileSync(join(OPENAPI_DIR, `${name}.json`), 'utf8'))
      // The committed documents name the default ports; the served ones the ports this process listens on.
      expect({ ...served.body, servers: committed.servers }, `/docs/${name}.json`).toEqual(committed)
    }
  })

  it('stops cleanly on SIGTERM', async () => {
    await gureum.stop()
    expect(gureum.exitStatus()).toEqual({ code: 0, signal: null })
    await expect(fetch(`${gureum.urls.console}/healthz`)).rejects.toThrow()
  })
})
