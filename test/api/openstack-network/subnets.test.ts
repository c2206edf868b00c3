import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import {
  buildNetworkFixture, expectAttributesWithin, expectNeutronError, sample, UUID, type NetworkFixture, type Tenant,
} from './network-fixture.ts'

describe.each(await testEngines())('Neutron subnets (%s)', (engine) => {
  let n: NetworkFixture
  let other: Tenant
  let networkId: string

  beforeAll(async () => {
    n = await buildNetworkFixture(engine)
    other = await n.newTenant()
    networkId = (await n.call('POST', '/v2.0/networks', { payload: { network: { name: 'subnet-host' } } })).json().network.id
  })
  afterAll(async () => n?.close())

  const createSubnet = (subnet: Record<string, unknown>) => n.call('POST', '/v2.0/subnets', { payload: { subnet } })

  it('creates a subnet with Neutron\'s exact shape (the api-ref request) and its network lists it', async () => {
    const created = await createSubnet({ network_id: networkId, ip_version: 4, cidr: '192.168.199.0/24' })
    expect(created.statusCode).toBe(201)
    const { subnet } = created.json()
    expect(subnet).toEqual({
      id: expect.stringMatching(UUID), name: '', description: '', network_id: networkId,
      tenant_id: n.demo.owner.projectId, project_id: n.demo.owner.projectId, ip_version: 4, cidr: '192.168.199.0/24',
      gateway_ip: '192.168.199.1', allocation_pools: [{ start: '192.168.199.2', end: '192.168.199.254' }], enable_dhcp: true,
      dns_nameservers: [], host_routes: [], ipv6_address_mode: null, ipv6_ra_mode: null, subnetpool_id: null, service_types: [],
      created_at: '2026-11-28T00:00:00Z', updated_at: '2026-11-28T00:00:00Z', revision_number: 1, tags: [],
    })
    expectAttributesWithin(subnet, sample('subnet-create-response').subnet as object)
    expect((await n.call('GET', `/v2.0/networks/${networkId}`)).json().network.subnets).toEqual([subnet.id])
    expect((await n.call('GET', `/v2.0/subnets/${subnet.id}`)).json()).toEqual({ subnet })
    expect((await n.call('GET', `/v2.0/subnets?network_id=${networkId}`)).json()).toEqual({ subnets: [subnet] })
  })

  it('takes a gateway (or none), one allocation pool and DNS servers; updates name and DNS servers', async () => {
    const created = await createSubnet({
      network_id: networkId, ip_version: 4, cidr: '10.30.0.0/24', name: 'pooled', gateway_ip: null,
      allocation_pools: [{ start: '10.30.0.10', end: '10.30.0.20' }], dns_nameservers: ['8.8.8.8'], enable_dhcp: false,
    })
    expect(created.statusCode).toBe(201)
    const { subnet } = created.json()
    expect(subnet).toMatchObject({
      name: 'pooled', gateway_ip: null, allocation_pools: [{ start: '10.30.0.10', end: '10.30.0.20' }],
      dns_nameservers: ['8.8.8.8'], enable_dhcp: false,
    })
    const updated = await n.call('PUT', `/v2.0/subnets/${subnet.id}`, {
      payload: { subnet: { name: 'renamed', dns_nameservers: ['1.1.1.1', '8.8.4.4'], enable_dhcp: true } },
    })
    expect(updated.json().subnet).toMatchObject({ name: 'renamed', dns_nameservers: ['1.1.1.1', '8.8.4.4'], enable_dhcp: true })
    expectNeutronError(await n.call('PUT', `/v2.0/subnets/${subnet.id}`, { payload: { subnet: { gateway_ip: '10.30.0.1' } } }),
      400, 'HTTPBadRequest', /gateway_ip/)
    expectNeutronError(await n.call('PUT', `/v2.0/subnets/${subnet.id}`, { payload: { subnet: { cidr: '10.31.0.0/24' } } }),
      400, 'HTTPBadRequest', "Unrecognized attribute(s) 'cidr'")
  })

  it('refuses invalid subnets with Neutron\'s errors and creates nothing', async () => {
    const count = async () => (await n.call('GET', `/v2.0/subnets?network_id=${networkId}&fields=id`)).json().subnets.length
    const before = await count()
    expectNeutronError(await createSubnet({ network_id: networkId, cidr: '10.40.0.0/24' }), 400, 'HTTPBadRequest',
      "Failed to parse request. Required attribute 'ip_version' not specified")
    expectNeutronError(await createSubnet({ ip_version: 4, cidr: '10.40.0.0/24' }), 400, 'HTTPBadRequest',
      "Failed to parse request. Required attribute 'network_id' not specified")
    expectNeutronError(await createSubnet({ network_id: networkId, ip_version: 4 }), 400, 'BadRequest',
      'Bad subnet request: a subnetpool must be specified in the absence of a cidr.')
    expectNeutronError(await createSubnet({ network_id: networkId, ip_version: 6, cidr: 'fd00::/64' }), 400, 'HTTPBadRequest', /IPv4/)
    expectNeutronError(await createSubnet({ network_id: networkId, ip_version: 'four', cidr: '10.40.0.0/24' }), 400,
      'HTTPBadRequest', /^Invalid input for ip_version/)
    expectNeutronError(await createSubnet({ network_id: networkId, ip_version: 4, cidr: 'not-a-cidr' }), 400, 'HTTPBadRequest', /^Invalid input for cidr/)
    expectNeutronError(await createSubnet({ network_id: networkId, ip_version: 4, cidr: '10.40.0.0/24', gateway_ip: '10.41.0.1' }),
      400, 'BadRequest', /Gateway IP 10\.41\.0\.1/)
    expectNeutronError(await createSubnet({
      network_id: networkId, ip_version: 4, cidr: '10.40.0.0/24', host_routes: [{ destination: '0.0.0.0/0', nexthop: '10.40.0.9' }],
    }), 400, 'HTTPBadRequest', /host_routes/)
    expectNeutronError(await createSubnet({ network_id: networkId, ip_version: 4, cidr: '192.168.199.128/25' }), 400, 'InvalidInput',
      /^Invalid input for operation: Requested subnet with cidr: 192\.168\.199\.128\/25 for network: .* overlaps with another subnet\.$/)
    expect(await count()).toBe(before)
  })

  it('keeps another project\'s subnets and networks out of reach (404) and refuses subnets on the external network (403)', async () => {
    const theirs = await n.t.gureum.services.networks.createNetwork(other.owner, { name: 'theirs' })
    const theirSubnet = await n.t.gureum.services.networks.createSubnet(other.owner, { networkId: theirs.id, cidr: '10.50.0.0/24' })
    expectNeutronError(await n.call('GET', `/v2.0/subnets/${theirSubnet.id}`), 404, 'SubnetNotFound',
      `Subnet ${theirSubnet.id} could not be found.`)
    expectNeutronError(await n.call('DELETE', `/v2.0/subnets/${theirSubnet.id}`), 404, 'SubnetNotFound')
    expectNeutronError(await createSubnet({ network_id: theirs.id, ip_version: 4, cidr: '10.51.0.0/24' }), 404, 'NetworkNotFound')
    expect((await n.call('GET', `/v2.0/subnets?id=${theirSubnet.id}`)).json()).toEqual({ subnets: [] })
    expectNeutronError(await createSubnet({ network_id: n.publicNetworkId, ip_version: 4, cidr: '10.52.0.0/24' }), 403,
      'PolicyNotAuthorized')
  })

  it('refuses to delete a subnet with allocations (409 SubnetInUse), then deletes it', async () => {
    const { subnet } = (await createSubnet({ network_id: networkId, ip_version: 4, cidr: '10.60.0.0/24' })).json()
    const { port } = (await n.call('POST', '/v2.0/ports', {
      payload: { port: { network_id: networkId, fixed_ips: [{ subnet_id: subnet.id }] } },
    })).json()
    expectNeutronError(await n.call('DELETE', `/v2.0/subnets/${subnet.id}`), 409, 'SubnetInUse',
      `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`)
    await n.call('DELETE', `/v2.0/ports/${port.id}`)
    expect((await n.call('DELETE', `/v2.0/subnets/${subnet.id}`)).statusCode).toBe(204)
    expectNeutronError(await n.call('GET', `/v2.0/subnets/${subnet.id}`), 404, 'SubnetNotFound')
  })

  it('answers over quota with 409 OverQuota', async () => {
    const tight = await n.newTenant({ quotaLimits: { subnets: 0 } })
    const { network } = (await n.call('POST', '/v2.0/networks', { token: tight.token, payload: { network: { name: 'q' } } })).json()
    expectNeutronError(await n.call('POST', '/v2.0/subnets', {
      token: tight.token, payload: { subnet: { network_id: network.id, ip_version: 4, cidr: '10.70.0.0/24' } },
    }), 409, 'OverQuota', "Quota exceeded for resources: ['subnet'].")
  })
})
