import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Owner } from '../../src/core/shared/owner.ts'
import { allocateServerPorts, ensureDefaultSecurityGroup } from '../../src/core/networks/server-networking.ts'
import { testEngines } from '../support/stores.ts'
import { createNetworkFixture, expectKind, type NetworkFixture } from './network-fixture.ts'

const FIRST_PAGE = { limit: 100, marker: null }

describe.each(await testEngines())('networks, subnets and ports on %s', (engine) => {
  let fx: NetworkFixture
  let owner: Owner
  let admin: Owner

  beforeEach(async () => {
    fx = await createNetworkFixture(engine)
    owner = await fx.newProject()
    admin = await fx.newProject({ roles: ['admin'] })
  })
  afterEach(async () => {
    await fx.close()
  })

  describe('networks', () => {
    it('creates a project network counted in the quota; only admins make shared or external ones', async () => {
      const network = await fx.networks.createNetwork(owner, { name: 'app', description: 'tier' })
      expect(network).toMatchObject({
        projectId: owner.projectId, name: 'app', description: 'tier', shared: false, external: false, status: 'ACTIVE',
        adminStateUp: true, mtu: 1450, subnetIds: [],
      })
      expect(network.createdAt).toEqual(fx.clock.now())
      expect(await fx.inUse(owner, 'networks')).toBe(1)
      await expectKind(fx.networks.createNetwork(owner, { name: 'wide', shared: true }), 'forbidden')
      await expectKind(fx.networks.createNetwork(owner, { name: 'pool', external: true }), 'forbidden')
      await expectKind(fx.networks.createNetwork(owner, { name: 'x'.repeat(256) }), 'bad_request')
      await expectKind(fx.networks.createNetwork(owner, { mtu: 20 }), 'bad_request')
      const limited = await fx.newProject({ quotaLimits: { networks: 0 } })
      await expectKind(fx.networks.createNetwork(limited, { name: 'none' }), 'quota_exceeded')
    })

    it('lists own, shared and external networks, never another project\'s private ones, with filters', async () => {
      const other = await fx.newProject()
      const mine = await fx.networks.createNetwork(owner, { name: 'mine' })
      fx.tick()
      const shared = await fx.networks.createNetwork(admin, { name: 'shared', shared: true })
      fx.tick()
      const pub = await fx.externalNetwork()
      fx.tick()
      const theirs = await fx.networks.createNetwork(other, { name: 'theirs' })

      const names = async (who: Owner, filter = {}) => (await fx.networks.listNetworks(who, filter, FIRST_PAGE)).items.map((n) => n.name)
      expect(await names(owner)).toEqual(['mine', 'shared', 'public'])
      expect(await names(other)).toEqual(['shared', 'public', 'theirs'])
      expect(await names(owner, { shared: true })).toEqual(['shared'])
      expect(await names(owner, { external: true })).toEqual(['public'])
      expect(await names(owner, { external: false, shared: false })).toEqual(['mine'])
      expect(await names(owner, { name: 'theirs' })).toEqual([])
      expect(await names(owner, { id: mine.id })).toEqual(['mine'])
      expect((await fx.networks.getNetwork(owner, pub.network.id)).subnetIds).toEqual([pub.subnet.id])
      expect((await fx.networks.getNetwork(owner, shared.id)).name).toBe('shared')
      await expectKind(fx.networks.getNetwork(owner, theirs.id), 'not_found')
    })

    it('pages with a marker, stable across equal timestamps, refusing foreign or unknown markers', async () => {
      const made: string[] = []
      for (let i = 0; i < 7; i++) {
        if (i % 3 === 0) fx.tick()
        made.push((await fx.networks.createNetwork(owner, { name: `n${i}` })).id)
      }
      const seen: string[] = []
      let marker: string | null = null
      for (let page = 0; page < 10; page++) {
        const result = await fx.networks.listNetworks(owner, {}, { limit: 3, marker })
        seen.push(...result.items.map((network) => network.id))
        if (!result.hasMore) break
        marker = result.items[result.items.length - 1].id
      }
      expect(seen).toHaveLength(7)
      expect(new Set(seen)).toEqual(new Set(made))
      const all = await fx.networks.listNetworks(owner, {}, FIRST_PAGE)
      expect(seen).toEqual(all.items.map((network) => network.id))
      expect(all.hasMore).toBe(false)

      const other = await fx.newProject()
      const foreign = await fx.networks.createNetwork(other, { name: 'foreign' })
      await expectKind(fx.networks.listNetworks(owner, {}, { limit: 3, marker: foreign.id }), 'bad_request')
      await expectKind(fx.networks.listNetworks(owner, {}, { limit: 3, marker: 'unknown' }), 'bad_request')
      await expectKind(fx.networks.listNetworks(owner, {}, { limit: 0, marker: null }), 'bad_request')
    })

    it('updates its own network; a shared one of another project is forbidden, a private one not_found', async () => {
      const other = await fx.newProject()
      const mine = await fx.networks.createNetwork(owner, { name: 'before' })
      fx.tick()
      const updated = await fx.networks.updateNetwork(owner, mine.id, { name: 'after', adminStateUp: false })
      expect(updated).toMatchObject({ name: 'after', adminStateUp: false })
      expect(updated.updatedAt.getTime()).toBeGreaterThan(updated.createdAt.getTime())
      await expectKind(fx.networks.updateNetwork(owner, mine.id, { shared: true }), 'forbidden')
      const shared = await fx.networks.createNetwork(admin, { name: 'shared', shared: true })
      await expectKind(fx.networks.updateNetwork(owner, shared.id, { name: 'mine now' }), 'forbidden')
      await expectKind(fx.networks.deleteNetwork(owner, shared.id), 'forbidden')
      await expectKind(fx.networks.updateNetwork(other, mine.id, { name: 'x' }), 'not_found')
      await expectKind(fx.networks.deleteNetwork(other, mine.id), 'not_found')
    })

    it('deletes a network with its subnets unless a port uses it, returning the quotas', async () => {
      const { network, subnet } = await fx.projectNetwork(owner)
      const port = await fx.networks.createPort(owner, { networkId: network.id, securityGroupIds: [] })
      expect(await fx.inUse(owner, 'subnets')).toBe(1)
      await expectKind(fx.networks.deleteNetwork(owner, network.id), 'conflict')
      await expectKind(fx.networks.deleteSubnet(owner, subnet.id), 'conflict')
      await fx.networks.deletePort(owner, port.id)
      expect(await fx.inUse(owner, 'ports')).toBe(0)
      await fx.networks.deleteNetwork(owner, network.id)
      await expectKind(fx.networks.getNetwork(owner, network.id), 'not_found')
      await expectKind(fx.networks.getSubnet(owner, subnet.id), 'not_found')
      expect(await fx.inUse(owner, 'networks')).toBe(0)
      expect(await fx.inUse(owner, 'subnets')).toBe(0)
    })

    it('keeps an external network while floating IPs come from it', async () => {
      const pub = await fx.networks.createNetwork(admin, { name: 'admin-pool', external: true })
      await fx.networks.createSubnet(admin, { networkId: pub.id, cidr: '198.51.100.0/24' })
      const fip = await fx.networks.allocateFloatingIp(owner, { floatingNetwork: pub.id })
      await expectKind(fx.networks.deleteNetwork(admin, pub.id), 'conflict')
      await fx.networks.releaseFloatingIp(owner, fip.id)
      await fx.networks.deleteNetwork(admin, pub.id)
    })
  })

  describe('subnets', () => {
    it('validates the CIDR and gateway and computes the pool', async () => {
      const network = await fx.networks.createNetwork(owner, { name: 'net' })
      const subnet = await fx.networks.createSubnet(owner, { networkId: network.id, cidr: '192.168.0.0/24', name: 'sub', dnsNameservers: ['8.8.8.8'] })
      expect(subnet).toMatchObject({
        networkId: network.id, projectId: owner.projectId, cidr: '192.168.0.0/24', ipVersion: 4, gatewayIp: '192.168.0.1',
        allocationPool: { start: '192.168.0.2', end: '192.168.0.254' }, enableDhcp: true, dnsNameservers: ['8.8.8.8'], name: 'sub',
      })
      expect((await fx.networks.getNetwork(owner, network.id)).subnetIds).toEqual([subnet.id])
      expect(await fx.inUse(owner, 'subnets')).toBe(1)

      for (const cidr of ['192.168.1.1/24', '10.0.0.0/31', '10.0.0.0/7', 'garbage']) {
        await expectKind(fx.networks.createSubnet(owner, { networkId: network.id, cidr }), 'bad_request')
      }
      await expectKind(fx.networks.createSubnet(owner, { networkId: network.id, cidr: '10.1.0.0/24', gatewayIp: '10.2.0.1' }), 'bad_request')
      await expectKind(fx.networks.createSubnet(owner, { networkId: network.id, cidr: '10.1.0.0/24', gatewayIp: '10.1.0.255' }), 'bad_request')
      await expectKind(fx.networks.createSubnet(owner, { networkId: network.id, cidr: '10.1.0.0/24', dnsNameservers: ['dns'] }), 'bad_request')
      await expectKind(fx.networks.createSubnet(owner, {
        networkId: network.id, cidr: '10.1.0.0/24', allocationPool: { start: '10.1.0.1', end: '10.1.0.20' },
      }), 'bad_request')
      await expectKind(fx.networks.createSubnet(owner, {
        networkId: network.id, cidr: '10.1.0.0/24', allocationPool: { start: '10.1.0.20', end: '10.1.1.20' },
      }), 'bad_request')
      const overlap = await expectKind(fx.networks.createSubnet(owner, { networkId: network.id, cidr: '192.168.0.128/25' }), 'conflict')
      expect(overlap.message).toContain('overlaps')

      const bare = await fx.networks.createSubnet(owner, { networkId: network.id, cidr: '10.3.0.0/29', gatewayIp: null })
      expect(bare).toMatchObject({ gatewayIp: null, allocationPool: { start: '10.3.0.1', end: '10.3.0.6' } })
      const pooled = await fx.networks.createSubnet(owner, {
        networkId: network.id, cidr: '10.4.0.0/24', allocationPool: { start: '10.4.0.100', end: '10.4.0.110' },
      })
      expect(pooled.allocationPool).toEqual({ start: '10.4.0.100', end: '10.4.0.110' })
      const [nic] = await fx.store.transaction((tx) => allocateServerPorts(tx, owner, 'vm', [{ subnetId: pooled.id }], [], fx.env))
      expect(nic.ipAddress).toBe('10.4.0.100')
      expect(await fx.inUse(owner, 'subnets')).toBe(3)
    })

    it('lets the same CIDR live on different networks; of overlapping concurrent creates one wins', async () => {
      const a = await fx.networks.createNetwork(owner, { name: 'a' })
      const b = await fx.networks.createNetwork(owner, { name: 'b' })
      await fx.networks.createSubnet(owner, { networkId: a.id, cidr: '10.0.0.0/24' })
      await fx.networks.createSubnet(owner, { networkId: b.id, cidr: '10.0.0.0/24' })
      const c = await fx.networks.createNetwork(owner, { name: 'c' })
      await fx.warmPool()
      const outcomes = await Promise.allSettled(['10.9.0.0/16', '10.9.0.0/20', '10.9.0.0/22', '10.9.0.0/24'].map((cidr) =>
        fx.networks.createSubnet(owner, { networkId: c.id, cidr })))
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
      expect((await fx.networks.getNetwork(owner, c.id)).subnetIds).toHaveLength(1)
    })

    it('lists subnets of visible networks, updates and deletes its own only', async () => {
      const other = await fx.newProject()
      const mine = await fx.projectNetwork(owner, '10.0.0.0/24', 'mine')
      fx.tick()
      const theirs = await fx.projectNetwork(other, '10.0.0.0/24', 'theirs')
      fx.tick()
      const shared = await fx.networks.createNetwork(admin, { name: 'shared', shared: true })
      const sharedSubnet = await fx.networks.createSubnet(admin, { networkId: shared.id, cidr: '100.64.0.0/24' })
      const ids = (await fx.networks.listSubnets(owner, {}, FIRST_PAGE)).items.map((subnet) => subnet.id)
      expect(ids).toEqual([mine.subnet.id, sharedSubnet.id])
      expect((await fx.networks.listSubnets(owner, { networkId: shared.id }, FIRST_PAGE)).items.map((s) => s.id)).toEqual([sharedSubnet.id])
      expect((await fx.networks.listSubnets(owner, { cidr: '10.0.0.0/24' }, FIRST_PAGE)).items.map((s) => s.id)).toEqual([mine.subnet.id])
      await expectKind(fx.networks.getSubnet(owner, theirs.subnet.id), 'not_found')

      const renamed = await fx.networks.updateSubnet(owner, mine.subnet.id, { name: 'renamed', dnsNameservers: ['1.1.1.1'], enableDhcp: false })
      expect(renamed).toMatchObject({ name: 'renamed', dnsNameservers: ['1.1.1.1'], enableDhcp: false, cidr: '10.0.0.0/24' })
      await expectKind(fx.networks.updateSubnet(owner, sharedSubnet.id, { name: 'nope' }), 'forbidden')
      await expectKind(fx.networks.createSubnet(owner, { networkId: shared.id, cidr: '100.65.0.0/24' }), 'forbidden')
      await expectKind(fx.networks.deleteSubnet(owner, theirs.subnet.id), 'not_found')
      await fx.networks.deleteSubnet(owner, mine.subnet.id)
      expect(await fx.inUse(owner, 'subnets')).toBe(0)
    })
  })

  describe('ports', () => {
    it('creates a port with the default group unless told otherwise, updates and lists it', async () => {
      const { network, subnet } = await fx.projectNetwork(owner)
      const port = await fx.networks.createPort(owner, { networkId: network.id, name: 'p', fixedIp: '10.0.0.9' })
      const defaultId = await fx.store.transaction((tx) => ensureDefaultSecurityGroup(tx, owner.projectId, fx.env))
      expect(port).toMatchObject({
        projectId: owner.projectId, networkId: network.id, subnetId: subnet.id, name: 'p', ipAddress: '10.0.0.9',
        deviceId: null, deviceOwner: null, status: 'DOWN', adminStateUp: true, preserveOnDelete: true, securityGroupIds: [defaultId],
      })
      expect(await fx.inUse(owner, 'ports')).toBe(1)
      const web = await fx.networks.createSecurityGroup(owner, { name: 'web' })
      const updated = await fx.networks.updatePort(owner, port.id, { name: 'q', securityGroupIds: [web.id, defaultId] })
      expect(updated.name).toBe('q')
      expect([...updated.securityGroupIds].sort()).toEqual([web.id, defaultId].sort())
      await expectKind(fx.networks.updatePort(owner, port.id, { securityGroupIds: ['missing'] }), 'not_found')

      const second = await fx.networks.createPort(owner, { networkId: network.id, subnetId: subnet.id, securityGroupIds: [] })
      expect(second.securityGroupIds).toEqual([])
      const byIp = await fx.networks.listPorts(owner, { ipAddress: '10.0.0.9' }, FIRST_PAGE)
      expect(byIp.items.map((item) => item.id)).toEqual([port.id])
      expect((await fx.networks.listPorts(owner, { macAddress: second.macAddress }, FIRST_PAGE)).items.map((item) => item.id)).toEqual([second.id])
      expect((await fx.networks.listPorts(owner, { networkId: network.id }, FIRST_PAGE)).items).toHaveLength(2)
      expect((await fx.networks.listPorts(owner, { status: 'ACTIVE' }, FIRST_PAGE)).items).toHaveLength(0)
    })

    it('refuses ports on external or foreign networks and on subnets of another network', async () => {
      const other = await fx.newProject()
      const mine = await fx.projectNetwork(owner)
      const theirs = await fx.projectNetwork(other, '10.20.0.0/24')
      const pub = await fx.externalNetwork()
      await expectKind(fx.networks.createPort(owner, { networkId: pub.network.id }), 'forbidden')
      await expectKind(fx.networks.createPort(owner, { networkId: theirs.network.id }), 'not_found')
      await expectKind(fx.networks.createPort(owner, { networkId: mine.network.id, subnetId: theirs.subnet.id }), 'not_found')
      const empty = await fx.networks.createNetwork(owner, { name: 'empty' })
      await expectKind(fx.networks.createPort(owner, { networkId: empty.id }), 'bad_request')
      const second = await fx.projectNetwork(owner, '10.30.0.0/24', 'second')
      await expectKind(fx.networks.createPort(owner, { networkId: mine.network.id, subnetId: second.subnet.id }), 'bad_request')
      expect(await fx.inUse(owner, 'ports')).toBe(0)
    })

    it('keeps ports private to their project', async () => {
      const other = await fx.newProject()
      const { network } = await fx.projectNetwork(owner)
      const port = await fx.networks.createPort(owner, { networkId: network.id })
      await expectKind(fx.networks.getPort(other, port.id), 'not_found')
      await expectKind(fx.networks.updatePort(other, port.id, { name: 'x' }), 'not_found')
      await expectKind(fx.networks.deletePort(other, port.id), 'not_found')
      expect((await fx.networks.listPorts(other, {}, FIRST_PAGE)).items).toEqual([])
    })
  })
})
