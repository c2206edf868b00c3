import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { compute, demoCaller, newTenant, type Caller } from './catalog-fixture.ts'
import { activeServer, ensureKeypair, ownerOf, raiseQuotas, showServer } from './server-fixture.ts'

interface Interface { net_id: string; port_id: string; mac_addr: string; port_state: string; fixed_ips: { ip_address: string; subnet_id: string }[] }

describe.each(await testEngines())('nhn-instance-v2 os-interface (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let id: string

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    await ensureKeypair(t, demo)
    await raiseQuotas(t, demo.tenantId)
    id = await activeServer(t, demo, { name: 'nics' })
  })
  afterAll(async () => { await t.close() })

  const path = (suffix = '') => `/servers/${id}/os-interface${suffix}`
  const interfaces = async () => ((await compute(t, demo, { path: path() })).json() as { interfaceAttachments: Interface[] }).interfaceAttachments

  it('lists the server\'s ports as the addresses show them', async () => {
    const [nic] = await interfaces()
    const { network_id: networkId, subnet_id: subnetId } = t.credentials.defaults
    const fixed = ((await showServer(t, demo, id)).addresses as Record<string, { addr: string; 'OS-EXT-IPS-MAC:mac_addr': string }[]>)['Default Network'][0]
    expect(nic).toEqual({
      net_id: networkId, port_id: expect.any(String), mac_addr: fixed['OS-EXT-IPS-MAC:mac_addr'], port_state: 'ACTIVE',
      fixed_ips: [{ ip_address: fixed.addr, subnet_id: subnetId }],
    })
    const shown = await compute(t, demo, { path: path(`/${nic.port_id}`) })
    expect(shown.json()).toEqual({ interfaceAttachment: nic })
    expect((await compute(t, demo, { path: path(`/${crypto.randomUUID()}`) })).statusCode).toBe(404)
  })

  it('attaches a NIC on a network with a fixed IP, and an existing port; detaches them (202)', async () => {
    const { network_id: networkId } = t.credentials.defaults
    const onNetwork = await compute(t, demo, {
      method: 'POST', path: path(), payload: { interfaceAttachment: { net_id: networkId, fixed_ips: [{ ip_address: '192.168.7.7' }] } },
    })
    expect(onNetwork.statusCode, onNetwork.body).toBe(200)
    const added = (onNetwork.json() as { interfaceAttachment: Interface }).interfaceAttachment
    expect(added).toMatchObject({ net_id: networkId, fixed_ips: [{ ip_address: '192.168.7.7' }] })

    const owner = await ownerOf(t, demo)
    const port = await t.gureum.services.networks.createPort(owner, { networkId })
    const byPort = await compute(t, demo, { method: 'POST', path: path(), payload: { interfaceAttachment: { port_id: port.id } } })
    expect(byPort.statusCode, byPort.body).toBe(200)
    expect((byPort.json() as { interfaceAttachment: Interface }).interfaceAttachment.port_id).toBe(port.id)

    const addresses = (await showServer(t, demo, id)).addresses as Record<string, { addr: string }[]>
    expect(addresses['Default Network'].map((entry) => entry.addr)).toContain('192.168.7.7')
    expect(await interfaces()).toHaveLength(3)

    for (const portId of [added.port_id, port.id]) {
      const detached = await compute(t, demo, { method: 'DELETE', path: path(`/${portId}`) })
      expect(detached.statusCode).toBe(202)
    }
    expect(await interfaces()).toHaveLength(1)
    // A port created by the user outlives the detach (Neutron keeps it, unbound).
    expect((await t.gureum.services.networks.getPort(owner, port.id)).deviceId).toBeNull()
    expect((await compute(t, demo, { method: 'DELETE', path: path(`/${added.port_id}`) })).statusCode).toBe(404)
  })

  it('refuses bad attach bodies (400) and other tenants (404)', async () => {
    const { network_id: networkId } = t.credentials.defaults
    for (const payload of [
      {}, { interfaceAttachment: { net_id: networkId, port_id: crypto.randomUUID() } },
      { interfaceAttachment: { fixed_ips: [{ ip_address: '192.168.7.8' }] } }, { interfaceAttachment: { net_id: 5 } },
      { interfaceAttachment: { net_id: networkId, extra: true } },
    ]) {
      const response = await compute(t, demo, { method: 'POST', path: path(), payload })
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
    }
    const other = await newTenant(t)
    const [nic] = await interfaces()
    for (const request of [
      { path: path() }, { path: path(`/${nic.port_id}`) },
      { method: 'POST' as const, path: path(), payload: { interfaceAttachment: { net_id: networkId } } },
      { method: 'DELETE' as const, path: path(`/${nic.port_id}`) },
    ]) {
      expect((await compute(t, other, request)).statusCode, JSON.stringify(request)).toBe(404)
    }
    expect(await interfaces()).toHaveLength(1)
  })
})
