/**
 * A server reads the same in a detail list as in its own show, in both compute dialects. Lists describe
 * a whole page at once (NICs with floating IPs in one read, security groups by the page's ports, hosts in
 * one batch) and a show reads one server with prepared statements: two paths that must agree, here on
 * servers with two NICs, a floating IP, two security groups and none of either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { compute, demoCaller, type Caller } from './catalog-fixture.ts'
import {
  activeServer, createServer, ensureKeypair, ownerOf, raiseQuotas, showServer, withStrictNhn, type WireServer,
} from './server-fixture.ts'

describe.each(await testEngines())('server reads: list and show agree (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  const ids: string[] = []

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    await ensureKeypair(t, demo)
    await raiseQuotas(t, demo.tenantId)
    const owner = await ownerOf(t, demo)
    const network = t.credentials.defaults.network_id
    await t.gureum.services.networks.createSecurityGroup(owner, { name: 'web' })
    // Two NICs, a floating IP and two groups; one plain server; one with no NIC at all.
    const rich = await activeServer(t, demo, { name: 'rich', networks: [{ uuid: network }, { uuid: network }] })
    const floating = await t.gureum.services.networks.allocateFloatingIp(owner, {})
    for (const payload of [{ addFloatingIp: { address: floating.address } }, { addSecurityGroup: { name: 'web' } }]) {
      const response = await compute(t, demo, { method: 'POST', path: `/servers/${rich}/action`, payload })
      expect(response.statusCode, response.body).toBe(202)
    }
    ids.push(rich, await activeServer(t, demo, { name: 'plain' }))
    // NHN's strict rules want a network; a plain Nova project may ask for none (2.37).
    ids.push(await withStrictNhn(t, demo.tenantId, false, async () => {
      const id = await createServer(t, demo, { name: 'isolated', networks: 'none' }, '2.37')
      await t.drain()
      return id
    }))
  })
  afterAll(async () => { await t.close() })

  it('gives every server of a detail list page the body its show gives (Nova)', async () => {
    const response = await compute(t, demo, { path: '/servers/detail?limit=1000' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    const listed = new Map((response.json() as { servers: WireServer[] }).servers.map((server) => [server.id, server]))
    for (const id of ids) {
      const shown = await showServer(t, demo, id)
      expect(listed.get(id)).toEqual(shown)
      // The list's text is written by JSON.stringify, the show's by the schema's serializer: same key order.
      expect(JSON.stringify(listed.get(id))).toBe(JSON.stringify(shown))
    }
    const rich = listed.get(ids[0]) as WireServer & { addresses: Record<string, unknown[]>; security_groups: unknown }
    expect(Object.values(rich.addresses).flat()).toHaveLength(3)
    expect(rich.security_groups).toEqual([{ name: 'default' }, { name: 'web' }])
  })

  it('gives every server of the v1.0 detail list the body its show gives (NHN v1.0)', async () => {
    const appkey = t.credentials.project.appkey
    const headers = { 'x-auth-token': demo.token }
    const list = (await t.inject('nhnV1', { method: 'GET', url: `/v1.0/appkeys/${appkey}/servers/detail`, headers })).json()
    expect(list.header.isSuccessful).toBe(true)
    const listed = new Map((list.servers as { id: string }[]).map((server) => [server.id, server]))
    for (const id of ids) {
      const shown = (await t.inject('nhnV1', { method: 'GET', url: `/v1.0/appkeys/${appkey}/servers/${id}`, headers })).json()
      expect(shown.header.isSuccessful).toBe(true)
      expect(listed.get(id)).toEqual(shown.server)
    }
  })
})
