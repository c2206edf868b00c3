import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import { serverNetworkViews } from '../../../src/core/networks/server-networking.ts'
import {
  buildNetworkFixture, expectAttributesWithin, expectNeutronError, sample, UUID, type NetworkFixture, type Tenant,
} from './network-fixture.ts'

describe.each(await testEngines())('Neutron floating IPs (%s)', (engine) => {
  let n: NetworkFixture
  let other: Tenant

  beforeAll(async () => {
    n = await buildNetworkFixture(engine)
    other = await n.newTenant()
  })
  afterAll(async () => n?.close())

  const allocate = (floatingip: Record<string, unknown>, token?: string) =>
    n.call('POST', '/v2.0/floatingips', { payload: { floatingip }, token })
  const update = (id: string, floatingip: Record<string, unknown>) => n.call('PUT', `/v2.0/floatingips/${id}`, { payload: { floatingip } })
  const newPort = async () => (await n.call('POST', '/v2.0/ports', { payload: { port: { network_id: n.defaults.network_id } } })).json().port

  it('allocates from the external network with Neutron\'s exact shape', async () => {
    const created = await allocate({ floating_network_id: n.publicNetworkId, description: 'floating ip for testing' })
    expect(created.statusCode).toBe(201)
    const { floatingip } = created.json()
    expect(floatingip).toEqual({
      id: expect.stringMatching(UUID), floating_ip_address: expect.stringMatching(/^203\.0\.113\.\d+$/),
      floating_network_id: n.publicNetworkId, router_id: null, port_id: null, fixed_ip_address: null, status: 'DOWN',
      description: 'floating ip for testing', tenant_id: n.demo.owner.projectId, project_id: n.demo.owner.projectId,
      created_at: '2026-11-28T00:00:00Z', updated_at: '2026-11-28T00:00:00Z', revision_number: 1, tags: [],
    })
    expectAttributesWithin(floatingip, sample('floatingip-create-response').floatingip as object)
    expect((await n.call('GET', `/v2.0/floatingips/${floatingip.id}`)).json()).toEqual({ floatingip })
  })

  it('associates with PUT {port_id}, shows it on the port\'s filters, and disassociates with port_id null', async () => {
    const port = await newPort()
    const { floatingip } = (await allocate({ floating_network_id: n.publicNetworkId })).json()
    const associated = await update(floatingip.id, { port_id: port.id })
    expect(associated.statusCode).toBe(200)
    expect(associated.json().floatingip).toMatchObject({
      port_id: port.id, fixed_ip_address: port.fixed_ips[0].ip_address, status: 'ACTIVE', floating_ip_address: floatingip.floating_ip_address,
    })
    for (const filter of [`port_id=${port.id}`, `fixed_ip_address=${port.fixed_ips[0].ip_address}`,
      `floating_ip_address=${floatingip.floating_ip_address}`, 'status=ACTIVE', `floating_network_id=${n.publicNetworkId}`]) {
      const ids = (await n.call('GET', `/v2.0/floatingips?${filter}&fields=id`)).json().floatingips.map((entry: { id: string }) => entry.id)
      expect(ids, filter).toContain(floatingip.id)
    }
    const disassociated = await update(floatingip.id, { port_id: null })
    expect(disassociated.json().floatingip).toMatchObject({ port_id: null, fixed_ip_address: null, status: 'DOWN' })
    expect((await n.call('GET', `/v2.0/floatingips?port_id=${port.id}`)).json()).toEqual({ floatingips: [] })
    expect((await n.t.gureum.services.networks.getFloatingIp(n.demo.owner, floatingip.id)).portId).toBeNull()
  })

  it('allocates already associated, and a specific address', async () => {
    const port = await newPort()
    const created = await allocate({
      floating_network_id: n.publicNetworkId, floating_ip_address: '203.0.113.200', port_id: port.id,
      fixed_ip_address: port.fixed_ips[0].ip_address,
    })
    expect(created.statusCode).toBe(201)
    expect(created.json().floatingip).toMatchObject({ floating_ip_address: '203.0.113.200', port_id: port.id, status: 'ACTIVE' })
    expectNeutronError(await allocate({ floating_network_id: n.publicNetworkId, floating_ip_address: '203.0.113.200' }), 409,
      'IpAddressAlreadyAllocated')
    const second = (await allocate({ floating_network_id: n.publicNetworkId })).json().floatingip
    expectNeutronError(await update(second.id, { port_id: port.id }), 409, 'FloatingIPPortAlreadyAssociated')
  })

  it('makes the association visible on a server that has the port, and keeps it through disassociation', async () => {
    const port = await newPort()
    const { serverIds: [serverId] } = await n.t.gureum.services.servers.create(n.demo.owner, {
      name: 'fip-server', imageId: n.defaults.image_id, flavorId: n.defaults.flavor_id, networks: [{ portId: port.id }],
      keyName: null, securityGroups: [], userData: null, metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1,
      blockDevices: [], serverGroupId: null, strictNhn: false,
    })
    await n.t.drain()
    const { floatingip } = (await allocate({ floating_network_id: n.publicNetworkId })).json()
    await update(floatingip.id, { port_id: port.id })
    const nics = (await serverNetworkViews(n.t.gureum.store, [serverId])).get(serverId)!
    expect(nics).toEqual([expect.objectContaining({ portId: port.id, floatingIps: [floatingip.floating_ip_address] })])
    expect((await n.t.gureum.services.networks.getFloatingIp(n.demo.owner, floatingip.id)).serverId).toBe(serverId)
    await update(floatingip.id, { port_id: null })
    expect((await serverNetworkViews(n.t.gureum.store, [serverId])).get(serverId)![0].floatingIps).toEqual([])
  })

  it('deleting a port drops its association; deleting the floating IP returns it to the pool', async () => {
    const port = await newPort()
    const { floatingip } = (await allocate({ floating_network_id: n.publicNetworkId, port_id: port.id })).json()
    expect((await n.call('DELETE', `/v2.0/ports/${port.id}`)).statusCode).toBe(204)
    expect((await n.call('GET', `/v2.0/floatingips/${floatingip.id}`)).json().floatingip).toMatchObject({ port_id: null, status: 'DOWN' })
    const deleted = await n.call('DELETE', `/v2.0/floatingips/${floatingip.id}`)
    expect(deleted.statusCode).toBe(204)
    expectNeutronError(await n.call('GET', `/v2.0/floatingips/${floatingip.id}`), 404, 'FloatingIPNotFound',
      `Floating IP ${floatingip.id} could not be found`)
  })

  it('refuses bad requests and other projects\' resources without changing anything', async () => {
    const port = await newPort()
    const { floatingip } = (await allocate({ floating_network_id: n.publicNetworkId })).json()
    const theirFloatingIp = await n.t.gureum.services.networks.allocateFloatingIp(other.owner, {})
    expectNeutronError(await allocate({}), 400, 'HTTPBadRequest', "Failed to parse request. Required attribute 'floating_network_id' not specified")
    expectNeutronError(await allocate({ floating_network_id: 'Public Network' }), 400, 'HTTPBadRequest', /not a valid UUID/)
    expectNeutronError(await allocate({ floating_network_id: n.defaults.network_id }), 400, 'BadRequest', /not a valid external network/)
    expectNeutronError(await update(floatingip.id, { port_id: 'no-such-port' }), 404, 'PortNotFound')
    expectNeutronError(await update(floatingip.id, { port_id: port.id, fixed_ip_address: '192.168.250.250' }), 400, 'BadRequest',
      /does not have fixed ip/)
    expectNeutronError(await update(floatingip.id, { port_id: 7 }), 400, 'HTTPBadRequest', /^Invalid input for port_id/)
    expectNeutronError(await update(floatingip.id, { router_id: 'r' }), 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'router_id'")
    expectNeutronError(await n.call('GET', `/v2.0/floatingips/${theirFloatingIp.id}`), 404, 'FloatingIPNotFound')
    expectNeutronError(await update(theirFloatingIp.id, { port_id: port.id }), 404, 'FloatingIPNotFound')
    expectNeutronError(await n.call('DELETE', `/v2.0/floatingips/${theirFloatingIp.id}`), 404, 'FloatingIPNotFound')
    const theirNetwork = await n.t.gureum.services.networks.createNetwork(other.owner, { name: 'theirs' })
    await n.t.gureum.services.networks.createSubnet(other.owner, { networkId: theirNetwork.id, cidr: '10.11.0.0/24' })
    const theirPort = await n.t.gureum.services.networks.createPort(other.owner, { networkId: theirNetwork.id })
    expectNeutronError(await update(floatingip.id, { port_id: theirPort.id }), 404, 'PortNotFound', `Port ${theirPort.id} could not be found.`)
    expect((await n.call('GET', `/v2.0/floatingips/${floatingip.id}`)).json().floatingip).toMatchObject({ port_id: null })
    expect((await n.t.gureum.services.networks.getFloatingIp(other.owner, theirFloatingIp.id)).portId).toBeNull()
  })

  it('answers over quota with 409 OverQuota', async () => {
    const tight = await n.newTenant({ quotaLimits: { floating_ips: 0 } })
    expectNeutronError(await allocate({ floating_network_id: n.publicNetworkId }, tight.token), 409, 'OverQuota',
      "Quota exceeded for resources: ['floatingip'].")
  })
})
