import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import { coveringCidr } from '../../../src/dialects/openstack-network/views/vpcs.ts'
import { buildNetworkFixture, expectAttributesWithin, expectNeutronError, sample, type NetworkFixture } from './network-fixture.ts'

describe.each(await testEngines())('NHN VPC views (%s)', (engine) => {
  let n: NetworkFixture

  beforeAll(async () => {
    n = await buildNetworkFixture(engine)
  })
  afterAll(async () => n?.close())

  it('lists the visible networks as VPCs in NHN\'s shape', async () => {
    const response = await n.call('GET', '/v2.0/vpcs')
    expect(response.statusCode).toBe(200)
    const { vpcs } = response.json()
    expect(vpcs).toContainEqual({
      'router:external': false, name: 'Default Network', tenant_id: n.demo.owner.projectId, state: 'available',
      create_time: '2026-11-28 00:00:00', cidrv4: '192.168.0.0/16', shared: false, id: n.defaults.network_id,
    })
    expect(vpcs).toContainEqual(expect.objectContaining({ id: n.publicNetworkId, 'router:external': true, cidrv4: '203.0.113.0/24' }))
    expect((await n.call('GET', '/v2.0/vpcs?router:external=true')).json().vpcs.map((vpc: { id: string }) => vpc.id))
      .toEqual([n.publicNetworkId])
    expect((await n.call('GET', `/v2.0/vpcs?tenant_id=${n.demo.owner.projectId}`)).json().vpcs.map((vpc: { id: string }) => vpc.id))
      .toEqual([n.defaults.network_id])
    expectNeutronError(await n.call('GET', '/v2.0/vpcs?state=available'), 400, 'HTTPBadRequest')
  })

  it('shows a VPC with its subnets, and counts the addresses the project still has', async () => {
    const before = (await n.call('GET', `/v2.0/vpcs/${n.defaults.network_id}`)).json().vpc
    expectAttributesWithin(before, sample('nhn-vpc-show-response').vpc as object)
    expect(before).toMatchObject({ id: n.defaults.network_id, routingtables: [], cidrv4: '192.168.0.0/16' })
    expect(before.subnets).toEqual([{
      'router:external': false, name: 'Default Network-subnet', enable_dhcp: true, tenant_id: n.demo.owner.projectId,
      id: n.defaults.subnet_id, state: 'available', create_time: '2026-11-28 00:00:00', available_ip_count: 65533,
      vpc: { shared: false, state: 'available', id: n.defaults.network_id, cidrv4: '192.168.0.0/16', name: 'Default Network' },
      vpc_id: n.defaults.network_id, routes: [], shared: false, cidr: '192.168.0.0/16', gateway: '192.168.0.1',
    }])
    await n.call('POST', '/v2.0/ports', { payload: { port: { network_id: n.defaults.network_id } } })
    const subnet = (await n.call('GET', `/v2.0/vpcsubnets/${n.defaults.subnet_id}`)).json().vpcsubnet
    expect(subnet.available_ip_count).toBe(65532)
    expectAttributesWithin(subnet, sample('nhn-vpcsubnet-show-response').vpcsubnet as object)
  })

  it('lists VPC subnets with NHN\'s filters', async () => {
    const { network } = (await n.call('POST', '/v2.0/networks', { payload: { network: { name: 'vpc-two' } } })).json()
    await n.call('POST', '/v2.0/subnets', { payload: { subnet: { network_id: network.id, ip_version: 4, cidr: '10.3.0.0/24', name: 'a' } } })
    await n.call('POST', '/v2.0/subnets', { payload: { subnet: { network_id: network.id, ip_version: 4, cidr: '10.3.2.0/24', name: 'b' } } })
    const listed = (await n.call('GET', `/v2.0/vpcsubnets?vpc_id=${network.id}`)).json().vpcsubnets
    expect(listed.map((subnet: { name: string }) => subnet.name).sort()).toEqual(['a', 'b'])
    expect(listed[0].vpc).toMatchObject({ id: network.id, cidrv4: '10.3.0.0/22', name: 'vpc-two' })
    expect((await n.call('GET', `/v2.0/vpcsubnets?cidr=10.3.2.0/24`)).json().vpcsubnets.map((subnet: { name: string }) => subnet.name))
      .toEqual(['b'])
    expect((await n.call('GET', `/v2.0/vpcs/${network.id}`)).json().vpc.cidrv4).toBe('10.3.0.0/22')
  })

  it('keeps another project\'s VPCs out of reach', async () => {
    const other = await n.newTenant()
    const theirs = await n.t.gureum.services.networks.createNetwork(other.owner, { name: 'their-vpc' })
    const theirSubnet = await n.t.gureum.services.networks.createSubnet(other.owner, { networkId: theirs.id, cidr: '10.4.0.0/24' })
    expectNeutronError(await n.call('GET', `/v2.0/vpcs/${theirs.id}`), 404, 'NetworkNotFound')
    expectNeutronError(await n.call('GET', `/v2.0/vpcsubnets/${theirSubnet.id}`), 404, 'SubnetNotFound')
    expect((await n.call('GET', '/v2.0/vpcs')).json().vpcs.map((vpc: { id: string }) => vpc.id)).not.toContain(theirs.id)
  })
})

describe('coveringCidr', () => {
  it('is the smallest block holding every subnet', () => {
    expect(coveringCidr([])).toBeNull()
    expect(coveringCidr(['192.168.0.0/16'])).toBe('192.168.0.0/16')
    expect(coveringCidr(['10.3.0.0/24', '10.3.2.0/24'])).toBe('10.3.0.0/22')
    expect(coveringCidr(['10.0.0.0/24', '192.168.0.0/24'])).toBe('0.0.0.0/0')
  })
})
