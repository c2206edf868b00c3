import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Owner } from '../../src/core/shared/owner.ts'
import type { SeededNetwork } from '../../src/core/networks/network-seed.ts'
import {
  allocateServerPorts, associateFloatingIpToServer, disassociateFloatingIpFromServer, releaseServerPorts,
  serverNetworkViews,
} from '../../src/core/networks/server-networking.ts'
import { testEngines } from '../support/stores.ts'
import { createNetworkFixture, expectKind, type NetworkFixture } from './network-fixture.ts'

const FIRST_PAGE = { limit: 100, marker: null }

describe.each(await testEngines())('floating IPs on %s', (engine) => {
  let fx: NetworkFixture
  let owner: Owner
  let net: SeededNetwork
  let pub: SeededNetwork

  beforeEach(async () => {
    fx = await createNetworkFixture(engine)
    owner = await fx.newProject()
    net = await fx.projectNetwork(owner)
    pub = await fx.externalNetwork('203.0.113.0/29', 'public')
  })
  afterEach(async () => {
    await fx.close()
  })

  const boot = async (serverId: string, who: Owner = owner, networkId = net.network.id) =>
    fx.store.transaction((tx) => allocateServerPorts(tx, who, serverId, [{ networkId }], [], fx.env))

  it('allocates from the default external network, counting the quota, until the pool is empty', async () => {
    expect(pub.subnet.allocationPool).toEqual({ start: '203.0.113.2', end: '203.0.113.6' })
    const first = await fx.networks.allocateFloatingIp(owner, {})
    expect(first).toMatchObject({
      address: '203.0.113.2', floatingNetworkId: pub.network.id, subnetId: pub.subnet.id, status: 'DOWN', portId: null,
      fixedIp: null, serverId: null, projectId: owner.projectId,
    })
    const byName = await fx.networks.allocateFloatingIp(owner, { floatingNetwork: 'public' })
    const byAddress = await fx.networks.allocateFloatingIp(owner, { floatingNetwork: pub.network.id, address: '203.0.113.6' })
    expect([byName.address, byAddress.address]).toEqual(['203.0.113.3', '203.0.113.6'])
    expect(await fx.inUse(owner, 'floating_ips')).toBe(3)

    await expectKind(fx.networks.allocateFloatingIp(owner, { address: '203.0.113.6' }), 'conflict')
    await expectKind(fx.networks.allocateFloatingIp(owner, { address: '203.0.113.7' }), 'bad_request')
    await expectKind(fx.networks.allocateFloatingIp(owner, { address: '198.51.100.1' }), 'bad_request')
    await fx.networks.allocateFloatingIp(owner, {})
    await fx.networks.allocateFloatingIp(owner, {})
    const exhausted = await expectKind(fx.networks.allocateFloatingIp(owner, {}), 'conflict')
    expect(exhausted.message).toContain('No more IP addresses available')
    expect(await fx.inUse(owner, 'floating_ips')).toBe(5)

    await fx.networks.releaseFloatingIp(owner, byName.id)
    expect(await fx.inUse(owner, 'floating_ips')).toBe(4)
    expect((await fx.networks.allocateFloatingIp(owner, {})).address).toBe('203.0.113.3')
  })

  it('refuses a project network as a pool, and stops at the quota', async () => {
    await expectKind(fx.networks.allocateFloatingIp(owner, { floatingNetwork: net.network.id }), 'bad_request')
    await expectKind(fx.networks.allocateFloatingIp(owner, { floatingNetwork: 'nowhere' }), 'not_found')
    const limited = await fx.newProject({ quotaLimits: { floating_ips: 1 } })
    await fx.networks.allocateFloatingIp(limited, {})
    await expectKind(fx.networks.allocateFloatingIp(limited, {}), 'quota_exceeded')
    expect(await fx.inUse(limited, 'floating_ips')).toBe(1)
  })

  it('associates with a port, moves between ports, disassociates and shows in server views', async () => {
    const [nic] = await boot('web')
    const [otherNic] = await boot('db')
    const fip = await fx.networks.allocateFloatingIp(owner, {})
    const associated = await fx.networks.associateFloatingIp(owner, fip.id, { portId: nic.portId })
    expect(associated).toMatchObject({ portId: nic.portId, fixedIp: nic.ipAddress, serverId: 'web', status: 'ACTIVE' })
    expect((await serverNetworkViews(fx.store, ['web'])).get('web')![0].floatingIps).toEqual([fip.address])

    await expectKind(fx.networks.associateFloatingIp(owner, fip.id, { portId: otherNic.portId, fixedIp: '10.0.0.200' }), 'bad_request')
    const second = await fx.networks.allocateFloatingIp(owner, {})
    const taken = await expectKind(fx.networks.associateFloatingIp(owner, second.id, { portId: nic.portId }), 'conflict')
    expect(taken.message).toContain('already has a floating IP')

    const moved = await fx.networks.associateFloatingIp(owner, fip.id, { portId: otherNic.portId, fixedIp: otherNic.ipAddress })
    expect(moved).toMatchObject({ portId: otherNic.portId, serverId: 'db' })
    const views = await serverNetworkViews(fx.store, ['web', 'db'])
    expect(views.get('web')![0].floatingIps).toEqual([])
    expect(views.get('db')![0].floatingIps).toEqual([fip.address])

    const listed = await fx.networks.listFloatingIps(owner, { portId: otherNic.portId }, FIRST_PAGE)
    expect(listed.items.map((item) => item.id)).toEqual([fip.id])
    expect((await fx.networks.listFloatingIps(owner, { status: 'DOWN' }, FIRST_PAGE)).items.map((item) => item.id)).toEqual([second.id])
    expect((await fx.networks.listFloatingIps(owner, { fixedIpAddress: otherNic.ipAddress }, FIRST_PAGE)).items).toHaveLength(1)
    expect((await fx.networks.listFloatingIps(owner, { floatingIpAddress: second.address }, FIRST_PAGE)).items.map((item) => item.id))
      .toEqual([second.id])

    const released = await fx.networks.disassociateFloatingIp(owner, fip.id)
    expect(released).toMatchObject({ portId: null, fixedIp: null, serverId: null, status: 'DOWN' })
  })

  it('associates at allocation time with a port of the project', async () => {
    const [nic] = await boot('app')
    const fip = await fx.networks.allocateFloatingIp(owner, { portId: nic.portId })
    expect(fip).toMatchObject({ portId: nic.portId, fixedIp: nic.ipAddress, status: 'ACTIVE' })
  })

  it('adds and removes floating IPs by server (Nova addFloatingIp / removeFloatingIp)', async () => {
    const second = await fx.projectNetwork(owner, '192.168.50.0/24', 'second')
    const nics = await fx.store.transaction((tx) =>
      allocateServerPorts(tx, owner, 'vm', [{ networkId: net.network.id }, { networkId: second.network.id }], [], fx.env))
    const fip = await fx.networks.allocateFloatingIp(owner, {})
    const onServer = (address: string, fixed?: string | null) =>
      fx.store.transaction((tx) => associateFloatingIpToServer(tx, owner, 'vm', address, fixed, fx.env))
    const offServer = (serverId: string, address: string) =>
      fx.store.transaction((tx) => disassociateFloatingIpFromServer(tx, owner, serverId, address, fx.env))

    await onServer(fip.address, nics[1].ipAddress)
    expect(await fx.networks.getFloatingIp(owner, fip.id)).toMatchObject({ portId: nics[1].portId, serverId: 'vm' })
    await expectKind(onServer(fip.address, '10.0.0.99'), 'bad_request')
    await expectKind(onServer('203.0.113.99'), 'not_found')
    await expectKind(fx.store.transaction((tx) => associateFloatingIpToServer(tx, owner, 'no-nics', fip.address, null, fx.env)), 'bad_request')

    await expectKind(offServer('another-vm', fip.address), 'conflict')
    await offServer('vm', fip.address)
    await expectKind(offServer('vm', fip.address), 'conflict')
    await onServer(fip.address)
    expect(await fx.networks.getFloatingIp(owner, fip.id)).toMatchObject({ portId: nics[0].portId, fixedIp: nics[0].ipAddress })
  })

  it('disassociates on server release when the port goes, and keeps it on a preserved port', async () => {
    const [made] = await boot('temp')
    const userPort = await fx.networks.createPort(owner, { networkId: net.network.id, securityGroupIds: [] })
    await fx.store.transaction((tx) => allocateServerPorts(tx, owner, 'keeper', [{ portId: userPort.id }], [], fx.env))
    const a = await fx.networks.allocateFloatingIp(owner, { portId: made.portId })
    const b = await fx.networks.allocateFloatingIp(owner, { portId: userPort.id })

    await fx.store.transaction((tx) => releaseServerPorts(tx, 'temp', fx.env))
    await fx.store.transaction((tx) => releaseServerPorts(tx, 'keeper', fx.env))
    expect(await fx.networks.getFloatingIp(owner, a.id)).toMatchObject({ portId: null, fixedIp: null, status: 'DOWN' })
    expect(await fx.networks.getFloatingIp(owner, b.id)).toMatchObject({ portId: userPort.id, fixedIp: userPort.ipAddress, serverId: null })
    expect(await fx.inUse(owner, 'floating_ips')).toBe(2)
  })

  it('deleting a port disassociates its floating IP', async () => {
    const port = await fx.networks.createPort(owner, { networkId: net.network.id, securityGroupIds: [] })
    const fip = await fx.networks.allocateFloatingIp(owner, { portId: port.id })
    await fx.networks.deletePort(owner, port.id)
    expect(await fx.networks.getFloatingIp(owner, fip.id)).toMatchObject({ portId: null, status: 'DOWN' })
  })

  it('keeps tenants apart: another project\'s floating IP or port is not_found', async () => {
    const other = await fx.newProject()
    const otherNet = await fx.projectNetwork(other, '10.50.0.0/24')
    const [otherNic] = await boot('theirs', other, otherNet.network.id)
    const [nic] = await boot('mine')
    const mine = await fx.networks.allocateFloatingIp(owner, {})
    const theirs = await fx.networks.allocateFloatingIp(other, {})

    await expectKind(fx.networks.getFloatingIp(other, mine.id), 'not_found')
    await expectKind(fx.networks.associateFloatingIp(other, mine.id, { portId: otherNic.portId }), 'not_found')
    await expectKind(fx.networks.associateFloatingIp(owner, mine.id, { portId: otherNic.portId }), 'not_found')
    await expectKind(fx.networks.releaseFloatingIp(other, mine.id), 'not_found')
    await expectKind(fx.store.transaction((tx) => associateFloatingIpToServer(tx, owner, 'mine', theirs.address, null, fx.env)), 'not_found')
    await expectKind(fx.networks.allocateFloatingIp(other, { portId: nic.portId }), 'not_found')
    expect((await fx.networks.listFloatingIps(other, {}, FIRST_PAGE)).items.map((item) => item.id)).toEqual([theirs.id])
    expect(await fx.inUse(other, 'floating_ips')).toBe(1)
  })
})
