import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import {
  buildNetworkFixture, expectAttributesWithin, expectNeutronError, sample, UUID, type NetworkFixture, type Tenant,
} from './network-fixture.ts'

describe.each(await testEngines())('Neutron ports (%s)', (engine) => {
  let n: NetworkFixture
  let other: Tenant

  beforeAll(async () => {
    n = await buildNetworkFixture(engine)
    other = await n.newTenant()
  })
  afterAll(async () => n?.close())

  const createPort = (port: Record<string, unknown>, token?: string) => n.call('POST', '/v2.0/ports', { payload: { port }, token })

  it('creates a port with Neutron\'s exact shape: next free address, generated MAC, the default group, DOWN', async () => {
    const created = await createPort({ network_id: n.defaults.network_id, name: 'private-port', admin_state_up: true })
    expect(created.statusCode).toBe(201)
    const { port } = created.json()
    expect(port).toEqual({
      id: expect.stringMatching(UUID), name: 'private-port', description: '', network_id: n.defaults.network_id,
      tenant_id: n.demo.owner.projectId, project_id: n.demo.owner.projectId, mac_address: expect.stringMatching(/^fa:16:3e(:[0-9a-f]{2}){3}$/),
      admin_state_up: true, status: 'DOWN', device_id: '', device_owner: '',
      fixed_ips: [{ subnet_id: n.defaults.subnet_id, ip_address: expect.stringMatching(/^192\.168\.\d+\.\d+$/) }],
      security_groups: [n.defaults.security_group_id], allowed_address_pairs: [], extra_dhcp_opts: [], port_security_enabled: true,
      created_at: '2026-11-28T00:00:00Z', updated_at: '2026-11-28T00:00:00Z', revision_number: 1, tags: [],
    })
    expectAttributesWithin(port, sample('port-create-response').port as object)
    expect((await n.t.gureum.services.networks.getPort(n.demo.owner, port.id)).ipAddress).toBe(port.fixed_ips[0].ip_address)
    expect((await n.call('GET', `/v2.0/ports/${port.id}`)).json()).toEqual({ port })
  })

  it('takes a fixed IP, security groups, and filters by fixed_ips, device_id (empty = unbound) and fields', async () => {
    const group = await n.t.gureum.services.networks.createSecurityGroup(n.demo.owner, { name: 'port-group' })
    const created = await createPort({
      network_id: n.defaults.network_id, fixed_ips: [{ subnet_id: n.defaults.subnet_id, ip_address: '192.168.77.7' }],
      security_groups: [group.id],
    })
    expect(created.statusCode).toBe(201)
    const { port } = created.json()
    expect(port).toMatchObject({ fixed_ips: [{ subnet_id: n.defaults.subnet_id, ip_address: '192.168.77.7' }], security_groups: [group.id] })
    const byAddress = await n.call('GET', '/v2.0/ports?fixed_ips=ip_address%3D192.168.77.7&fields=id&fields=fixed_ips')
    expect(byAddress.json()).toEqual({ ports: [{ id: port.id, fixed_ips: port.fixed_ips }] })
    const bySubnetAndAddress = `/v2.0/ports?fixed_ips=subnet_id%3D${n.defaults.subnet_id}&fixed_ips=ip_address%3D192.168.77.7&fields=id`
    expect((await n.call('GET', bySubnetAndAddress)).json()).toEqual({ ports: [{ id: port.id }] })
    const unbound = (await n.call('GET', '/v2.0/ports?device_id=&fields=id')).json().ports.map((entry: { id: string }) => entry.id)
    expect(unbound).toContain(port.id)
    expect((await n.call('GET', `/v2.0/ports?security_groups=${group.id}&fields=id`)).json()).toEqual({ ports: [{ id: port.id }] })
    expectNeutronError(await createPort({ network_id: n.defaults.network_id, fixed_ips: [{ ip_address: '192.168.77.7' }] }), 409,
      'IpAddressAlreadyAllocated', `IP address 192.168.77.7 already allocated in subnet ${n.defaults.subnet_id}`)
    expectNeutronError(await createPort({ network_id: n.defaults.network_id, fixed_ips: [{ ip_address: '10.99.0.1' }] }), 400,
      'InvalidIpForSubnet')
  })

  it('updates name, admin state and security groups', async () => {
    const { port } = (await createPort({ network_id: n.defaults.network_id })).json()
    const updated = await n.call('PUT', `/v2.0/ports/${port.id}`, {
      payload: { port: { name: 'renamed', admin_state_up: false, security_groups: [] } },
    })
    expect(updated.statusCode).toBe(200)
    expect(updated.json().port).toMatchObject({ name: 'renamed', admin_state_up: false, security_groups: [] })
    expectNeutronError(await n.call('PUT', `/v2.0/ports/${port.id}`, { payload: { port: { fixed_ips: [{ ip_address: '192.168.3.3' }] } } }),
      400, 'HTTPBadRequest', /fixed_ips/)
    expectNeutronError(await n.call('PUT', `/v2.0/ports/${port.id}`, { payload: { port: { security_groups: ['nope'] } } }), 404,
      'SecurityGroupNotFound', 'Security group nope does not exist')
  })

  it('refuses what a Gureum port cannot hold, and bad input, creating nothing', async () => {
    const before = (await n.call('GET', '/v2.0/ports?fields=id')).json().ports.length
    expectNeutronError(await createPort({ name: 'x' }), 400, 'HTTPBadRequest', "Failed to parse request. Required attribute 'network_id' not specified")
    expectNeutronError(await createPort({ network_id: n.defaults.network_id, mac_address: 'fa:16:3e:00:00:01' }), 400, 'HTTPBadRequest', /mac_address/)
    expectNeutronError(await createPort({ network_id: n.defaults.network_id, device_id: 'some-server' }), 400, 'HTTPBadRequest', /device_id/)
    expectNeutronError(await createPort({ network_id: n.defaults.network_id, fixed_ips: [] }), 400, 'HTTPBadRequest', /fixed_ips/)
    expectNeutronError(await createPort({
      network_id: n.defaults.network_id, allowed_address_pairs: [{ ip_address: '12.12.11.12' }],
    }), 400, 'HTTPBadRequest', /allowed_address_pairs/)
    expectNeutronError(await createPort({ network_id: n.defaults.network_id, admin_state_up: 'yes please' }), 400, 'HTTPBadRequest',
      /^Invalid input for admin_state_up/)
    expectNeutronError(await createPort({ network_id: n.defaults.network_id, 'binding:host_id': 'h' }), 400, 'HTTPBadRequest',
      "Unrecognized attribute(s) 'binding:host_id'")
    expectNeutronError(await createPort({ network_id: 'no-such-network' }), 404, 'NetworkNotFound', 'Network no-such-network could not be found.')
    expectNeutronError(await createPort({ network_id: n.publicNetworkId }), 403, 'PolicyNotAuthorized')
    expect((await n.call('GET', '/v2.0/ports?fields=id')).json().ports.length).toBe(before)
  })

  it('keeps another project\'s ports invisible (404) and its networks unusable', async () => {
    const theirNetwork = await n.t.gureum.services.networks.createNetwork(other.owner, { name: 'theirs' })
    await n.t.gureum.services.networks.createSubnet(other.owner, { networkId: theirNetwork.id, cidr: '10.80.0.0/24' })
    const theirPort = await n.t.gureum.services.networks.createPort(other.owner, { networkId: theirNetwork.id })
    expectNeutronError(await n.call('GET', `/v2.0/ports/${theirPort.id}`), 404, 'PortNotFound', `Port ${theirPort.id} could not be found.`)
    expectNeutronError(await n.call('PUT', `/v2.0/ports/${theirPort.id}`, { payload: { port: { name: 'mine' } } }), 404, 'PortNotFound')
    expectNeutronError(await n.call('DELETE', `/v2.0/ports/${theirPort.id}`), 404, 'PortNotFound')
    expectNeutronError(await createPort({ network_id: theirNetwork.id }), 404, 'NetworkNotFound')
    expect((await n.call('GET', `/v2.0/ports?network_id=${theirNetwork.id}`)).json()).toEqual({ ports: [] })
    expect((await n.t.gureum.services.networks.getPort(other.owner, theirPort.id)).name).toBe('')
  })

  it('shows a server\'s port bound (ACTIVE, compute:nova) and refuses to delete it (409 PortInUse)', async () => {
    const { port } = (await createPort({ network_id: n.defaults.network_id, name: 'server-nic' })).json()
    const { serverIds: [serverId] } = await n.t.gureum.services.servers.create(n.demo.owner, {
      name: 'with-port', imageId: n.defaults.image_id, flavorId: n.defaults.flavor_id, networks: [{ portId: port.id }],
      keyName: null, securityGroups: [], userData: null, metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1,
      blockDevices: [], serverGroupId: null, strictNhn: false,
    })
    await n.t.drain()
    const bound = (await n.call('GET', `/v2.0/ports/${port.id}`)).json().port
    expect(bound).toMatchObject({ device_id: serverId, device_owner: 'compute:nova', status: 'ACTIVE' })
    expect((await n.call('GET', `/v2.0/ports?device_id=${serverId}&fields=id`)).json()).toEqual({ ports: [{ id: port.id }] })
    expectNeutronError(await n.call('DELETE', `/v2.0/ports/${port.id}`), 409, 'PortInUse', new RegExp(`in use by server ${serverId}`))
  })

  it('answers over quota with 409 OverQuota', async () => {
    const tight = await n.newTenant({ quotaLimits: { ports: 0 } })
    const network = await n.t.gureum.services.networks.createNetwork(tight.owner, { name: 'q' })
    await n.t.gureum.services.networks.createSubnet(tight.owner, { networkId: network.id, cidr: '10.90.0.0/24' })
    expectNeutronError(await createPort({ network_id: network.id }, tight.token), 409, 'OverQuota', "Quota exceeded for resources: ['port'].")
  })
})
