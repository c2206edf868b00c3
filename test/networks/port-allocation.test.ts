import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DomainError } from '../../src/core/shared/errors.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import type { NetworkRequest, ServerPort } from '../../src/core/networks/network.ts'
import type { SeededNetwork } from '../../src/core/networks/network-seed.ts'
import {
  allocateServerPorts, attachInterface, detachInterface, releaseServerPorts, serverNetworkViews,
} from '../../src/core/networks/server-networking.ts'
import { testEngines } from '../support/stores.ts'
import { createNetworkFixture, expectKind, type NetworkFixture } from './network-fixture.ts'

describe.each(await testEngines())('port allocation on %s', (engine) => {
  let fx: NetworkFixture
  let owner: Owner
  let net: SeededNetwork

  beforeEach(async () => {
    fx = await createNetworkFixture(engine)
    owner = await fx.newProject()
    net = await fx.projectNetwork(owner, '10.0.0.0/24')
  })
  afterEach(async () => {
    await fx.close()
  })

  const allocate = (serverId: string, requests: readonly NetworkRequest[], groups: readonly string[] = [], who: Owner = owner) =>
    fx.store.transaction((tx) => allocateServerPorts(tx, who, serverId, requests, groups, fx.env))
  const release = (serverId: string) => fx.store.transaction((tx) => releaseServerPorts(tx, serverId, fx.env))

  it('fills the pool lowest first, after the gateway, with distinct fa:16:3e MACs', async () => {
    expect(net.subnet.gatewayIp).toBe('10.0.0.1')
    expect(net.subnet.allocationPool).toEqual({ start: '10.0.0.2', end: '10.0.0.254' })
    const nics: ServerPort[] = []
    for (let i = 0; i < 5; i++) nics.push(...await allocate(`server-${i}`, [{ networkId: net.network.id }]))
    expect(nics.map((nic) => nic.ipAddress)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'])
    expect(new Set(nics.map((nic) => nic.macAddress)).size).toBe(5)
    for (const nic of nics) {
      expect(nic.macAddress).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/)
      expect(nic).toMatchObject({
        networkId: net.network.id, networkName: 'private', subnetId: net.subnet.id, cidr: '10.0.0.0/24', gatewayIp: '10.0.0.1',
      })
    }
    expect(await fx.inUse(owner, 'ports')).toBe(5)
    const port = await fx.networks.getPort(owner, nics[0].portId)
    expect(port).toMatchObject({ deviceId: 'server-0', deviceOwner: 'compute:nova', status: 'ACTIVE', preserveOnDelete: false })
  })

  it('gives one server several NICs in request order', async () => {
    const second = await fx.projectNetwork(owner, '192.168.7.0/24', 'second')
    const nics = await allocate('multi', [{ networkId: second.network.id }, { networkId: net.network.id, fixedIp: '10.0.0.50' }])
    expect(nics.map((nic) => [nic.networkName, nic.ipAddress])).toEqual([['second', '192.168.7.2'], ['private', '10.0.0.50']])
    const views = await serverNetworkViews(fx.store, ['multi', 'nothing'])
    expect(views.get('multi')!.map((view) => view.ipAddress)).toEqual(['192.168.7.2', '10.0.0.50'])
    expect(views.get('nothing')).toEqual([])
  })

  it('never hands out an address twice: 200 concurrent allocations on a pool of 125', async () => {
    // Four projects share the network, so their transactions do not queue behind one project's quota row:
    // only the subnet's allocation cursor keeps them apart.
    const admin = await fx.newProject({ roles: ['admin'] })
    const shared = await fx.networks.createNetwork(admin, { name: 'crowded', shared: true })
    const subnet = await fx.networks.createSubnet(admin, { networkId: shared.id, cidr: '172.16.0.0/25' })
    expect(subnet.allocationPool).toEqual({ start: '172.16.0.2', end: '172.16.0.126' })
    const tenants = [owner, await fx.newProject(), await fx.newProject(), await fx.newProject()]
    const outcomes = await Promise.allSettled(Array.from({ length: 200 }, (_, i) =>
      allocate(`crowd-${i}`, [{ networkId: shared.id }], [], tenants[i % tenants.length])))

    const made = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value : []))
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []))
    expect(made).toHaveLength(125)
    expect(refused).toHaveLength(75)
    for (const error of refused) {
      expect(error).toBeInstanceOf(DomainError)
      expect((error as DomainError).kind).toBe('conflict')
      expect((error as DomainError).message).toBe(`No more IP addresses available on subnet ${subnet.id}.`)
    }
    expect(new Set(made.map((nic) => nic.ipAddress)).size).toBe(125)
    expect(new Set(made.map((nic) => nic.macAddress)).size).toBe(125)
    expect(made.every((nic) => nic.subnetId === subnet.id)).toBe(true)
    let stored = 0
    for (const tenant of tenants) {
      const ports = await fx.networks.listPorts(tenant, { subnetId: subnet.id }, { limit: 1000, marker: null })
      expect(await fx.inUse(tenant, 'ports')).toBe(ports.items.length)
      stored += ports.items.length
    }
    expect(stored).toBe(125)
  })

  it('allocates a requested fixed IP, refusing a taken one (conflict) and one outside the pool (bad_request)', async () => {
    const [nic] = await allocate('fixed', [{ networkId: net.network.id, fixedIp: '10.0.0.77' }])
    expect(nic.ipAddress).toBe('10.0.0.77')
    const taken = await expectKind(allocate('again', [{ networkId: net.network.id, fixedIp: '10.0.0.77' }]), 'conflict')
    expect(taken.message).toContain('already allocated')
    for (const fixedIp of ['10.0.0.1', '10.0.0.255', '10.0.0.0', '10.0.1.5', 'not-an-ip']) {
      await expectKind(allocate('outside', [{ networkId: net.network.id, fixedIp }]), 'bad_request')
    }
    await expectKind(allocate('both', [{ subnetId: net.subnet.id, fixedIp: '10.0.0.99', portId: nic.portId }]), 'bad_request')
    expect(await fx.inUse(owner, 'ports')).toBe(1)
  })

  it('skips a fixed address the cursor later reaches', async () => {
    await allocate('fixed', [{ subnetId: net.subnet.id, fixedIp: '10.0.0.3' }])
    const nics = [...await allocate('a', [{ networkId: net.network.id }]), ...await allocate('b', [{ networkId: net.network.id }])]
    expect(nics.map((nic) => nic.ipAddress)).toEqual(['10.0.0.2', '10.0.0.4'])
  })

  it('binds an existing unbound port, keeps it on release, and refuses one in use', async () => {
    const port = await fx.networks.createPort(owner, { networkId: net.network.id, name: 'mine', securityGroupIds: [] })
    expect(port).toMatchObject({ deviceId: null, status: 'DOWN', preserveOnDelete: true })
    const [nic] = await allocate('binder', [{ portId: port.id }])
    expect(nic).toMatchObject({ portId: port.id, ipAddress: port.ipAddress, macAddress: port.macAddress, networkName: 'private' })
    expect(await fx.networks.getPort(owner, port.id)).toMatchObject({ deviceId: 'binder', status: 'ACTIVE' })
    expect(await fx.inUse(owner, 'ports')).toBe(1)

    await expectKind(allocate('thief', [{ portId: port.id }]), 'conflict')
    await expectKind(allocate('twice', [{ portId: port.id }, { portId: port.id }]), 'conflict')
    await expectKind(fx.networks.deletePort(owner, port.id), 'conflict')

    await release('binder')
    expect(await fx.networks.getPort(owner, port.id)).toMatchObject({ deviceId: null, deviceOwner: null, status: 'DOWN' })
    expect(await fx.inUse(owner, 'ports')).toBe(1)
    const [rebound] = await allocate('next', [{ portId: port.id, networkId: net.network.id }])
    expect(rebound.ipAddress).toBe(port.ipAddress)
  })

  it('release deletes the ports made for the server and frees their addresses for reuse', async () => {
    const small = await fx.projectNetwork(owner, '10.9.0.0/29', 'tiny')
    expect(small.subnet.allocationPool).toEqual({ start: '10.9.0.2', end: '10.9.0.6' })
    for (let i = 0; i < 5; i++) await allocate(`s${i}`, [{ networkId: small.network.id }])
    await expectKind(allocate('full', [{ networkId: small.network.id }]), 'conflict')
    expect(await fx.inUse(owner, 'ports')).toBe(5)

    await release('s1')
    await release('s3')
    expect(await fx.inUse(owner, 'ports')).toBe(3)
    expect((await serverNetworkViews(fx.store, ['s1'])).get('s1')).toEqual([])
    await expectKind(fx.networks.getPort(owner, 'whatever'), 'not_found')
    const reused = [...await allocate('r1', [{ networkId: small.network.id }]), ...await allocate('r2', [{ networkId: small.network.id }])]
    expect(reused.map((nic) => nic.ipAddress).sort()).toEqual(['10.9.0.3', '10.9.0.5'])
    await expectKind(allocate('full-again', [{ networkId: small.network.id }]), 'conflict')
    expect(await fx.inUse(owner, 'ports')).toBe(5)
  })

  it('moves to the next subnet of the network when the first is full', async () => {
    const second = await fx.store.transaction(async (tx) => {
      const { createSubnetIn } = await import('../../src/core/networks/network-access.ts')
      return createSubnetIn(tx, fx.env, net.network, { cidr: '10.0.1.0/30' })
    })
    const tiny = await fx.projectNetwork(owner, '10.8.0.0/30', 'tiny')
    await allocate('t1', [{ networkId: tiny.network.id }])
    await expectKind(allocate('t2', [{ networkId: tiny.network.id }]), 'conflict')
    const [onSecond] = await allocate('on-second', [{ subnetId: second.id }])
    expect(onSecond.ipAddress).toBe('10.0.1.2')
  })

  it('attaches and detaches interfaces with the same rules', async () => {
    const [first] = await allocate('srv', [{ networkId: net.network.id }])
    const attached = await fx.store.transaction((tx) => attachInterface(tx, owner, 'srv', { networkId: net.network.id }, fx.env))
    expect(attached.ipAddress).toBe('10.0.0.3')
    expect((await serverNetworkViews(fx.store, ['srv'])).get('srv')!.map((nic) => nic.portId)).toEqual([first.portId, attached.portId])
    await expectKind(fx.store.transaction((tx) => detachInterface(tx, owner, 'other-server', attached.portId, fx.env)), 'not_found')
    await fx.store.transaction((tx) => detachInterface(tx, owner, 'srv', attached.portId, fx.env))
    expect((await serverNetworkViews(fx.store, ['srv'])).get('srv')!.map((nic) => nic.portId)).toEqual([first.portId])
    expect(await fx.inUse(owner, 'ports')).toBe(1)
  })

  it('stops at the ports quota', async () => {
    const limited = await fx.newProject({ quotaLimits: { ports: 2 } })
    const limitedNet = await fx.projectNetwork(limited, '10.1.0.0/24')
    await allocate('q1', [{ networkId: limitedNet.network.id }, { networkId: limitedNet.network.id }], [], limited)
    await expectKind(allocate('q2', [{ networkId: limitedNet.network.id }], [], limited), 'quota_exceeded')
    expect(await fx.inUse(limited, 'ports')).toBe(2)
  })

  it('keeps tenants apart: another project\'s network, subnet or port is not_found', async () => {
    const other = await fx.newProject()
    const foreignPort = await fx.networks.createPort(owner, { networkId: net.network.id, securityGroupIds: [] })
    const cases: [NetworkRequest, string][] = [
      [{ networkId: net.network.id }, 'network'],
      [{ subnetId: net.subnet.id }, 'subnet'],
      [{ portId: foreignPort.id }, 'port'],
      [{ networkId: 'no-such-network' }, 'network'],
    ]
    for (const [request, resource] of cases) {
      const error = await expectKind(allocate('intruder', [request], [], other), 'not_found')
      expect(error.resource).toBe(resource)
    }
    expect(await fx.inUse(other, 'ports')).toBe(0)
  })

  it('lets servers use shared networks but not external ones', async () => {
    const admin = await fx.newProject({ roles: ['admin'] })
    const shared = await fx.networks.createNetwork(admin, { name: 'shared-net', shared: true })
    await fx.networks.createSubnet(admin, { networkId: shared.id, cidr: '100.64.0.0/24' })
    const [nic] = await allocate('tenant-server', [{ networkId: shared.id }])
    expect(nic.networkName).toBe('shared-net')
    const external = await fx.externalNetwork()
    await expectKind(allocate('tenant-server-2', [{ networkId: external.network.id }]), 'forbidden')
    await expectKind(allocate('no-nic-target', [{}]), 'bad_request')
  })
})
