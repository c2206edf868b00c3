/**
 * The placement guarantee end to end: 200 builds race for room for exactly 100 servers. Exactly 100
 * become ACTIVE, the other 100 go to ERROR with Nova's "No valid host" fault, no host is ever past its
 * capacity × allocation ratio, every host's usage is the sum of its allocations, quotas count exactly
 * what the servers hold; deleting everything returns every host and quota to zero, and the same 100 fit
 * again. Several drains claim tasks at once, so on PostgreSQL builds place concurrently.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureFirstStart } from '../../src/admin/first-start.ts'
import { defaultConfig } from '../../src/config.ts'
import type { Gureum } from '../../src/deps.ts'
import { NO_VALID_HOST } from '../../src/core/scheduler/scheduler.ts'
import type { CreateServersCommand } from '../../src/core/servers/server-commands.ts'
import type { Server } from '../../src/core/servers/server.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import { buildTestGureum, type TestGureum } from '../support/build-app.ts'
import { allocationsOfServers, capacityOf, expectHostsEmpty, expectHostsMatchAllocations } from '../support/bookkeeping.ts'
import { openInstance } from '../support/installation.ts'
import { createTestDatabase, testEngines, type TestDatabase } from '../support/stores.ts'

const HOSTS = 4
// 9 vCPUs × 2.8 = 25.2 virtual CPUs: 25 one-vCPU servers per host once floored, 100 in all. Memory
// (40,000 MB × 1.5 = 29 servers of 2 GB) and disk (1,000 GB = 100 servers of 10 GB) have room to spare,
// so CPU is the one limit.
const simulation = {
  ...defaultConfig.simulation,
  hosts: HOSTS, zones: ['kr-pub-a'], hostVcpus: 9, hostRamMb: 40_000, hostDiskGb: 1000,
  cpuAllocationRatio: 2.8, ramAllocationRatio: 1.5, diskAllocationRatio: 1,
}
const ROOM = 100
const engines = await testEngines()

describe.each(engines)('placement under concurrent builds on %s', (engine) => {
  let t: TestGureum
  let owner: Owner
  let base: CreateServersCommand

  beforeAll(async () => {
    t = await buildTestGureum({ engine, config: { simulation } })
    const { services } = t.gureum
    owner = (await services.identity.authenticate({ username: 'demo', password: t.credentials.user.password })).owner
    const admin = (await services.identity.authenticate({ username: t.credentials.admin.name, password: t.credentials.admin.password })).owner
    await services.quotas.setLimits(admin, owner.projectId, { instances: 1000, cores: 1000, ram: 10_000_000, ports: 1000 })
    base = {
      name: 'racer', imageId: t.credentials.defaults.image_id, flavorId: t.credentials.defaults.flavor_id,
      networks: [{ networkId: t.credentials.defaults.network_id }], keyName: null, securityGroups: [], userData: null,
      metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1, blockDevices: [], serverGroupId: null, strictNhn: false,
    }
  })
  afterAll(async () => t?.close())

  async function createConcurrently(count: number, prefix: string): Promise<string[]> {
    const created = await Promise.all(Array.from({ length: count }, (_, index) =>
      t.gureum.services.servers.create(owner, { ...base, name: `${prefix}-${index}` })))
    return created.flatMap((result) => result.serverIds)
  }

  /** Two drains at once: their claims race, and so do the builds they run. */
  async function drainRacing(): Promise<number> {
    const counts = await Promise.all([t.gureum.runner.drain(), t.gureum.runner.drain()])
    expect(await t.gureum.store.tasks.countUnfinished()).toBe(0)
    const total = counts[0] + counts[1]
    if (total >= ROOM) expect(Math.min(...counts), 'tasks run by the less busy drain').toBeGreaterThan(0)
    return total
  }

  async function servers(ids: readonly string[]): Promise<Server[]> {
    return Promise.all(ids.map(async (id) => {
      const server = await t.gureum.store.servers.getById(id)
      if (!server) throw new Error(`server ${id} is gone`)
      return server
    }))
  }

  async function usage(): Promise<Record<string, number>> {
    const quotas = await t.gureum.services.quotas.usage(owner)
    const inUse = (resource: string) => quotas.find((quota) => quota.resource === resource)?.inUse
    return { instances: inUse('instances')!, cores: inUse('cores')!, ram: inUse('ram')!, ports: inUse('ports')! }
  }

  it('fills the hosts exactly, refuses the rest with No valid host, and frees everything on delete', async () => {
    const flavor = await t.gureum.services.flavors.get(owner, base.flavorId)
    expect(flavor).toMatchObject({ vcpus: 1, ramMb: 2048 })

    const firstWave = await createConcurrently(2 * ROOM, 'first')
    expect(new Set(firstWave).size).toBe(2 * ROOM)
    expect(await drainRacing()).toBe(2 * ROOM)

    const built = await servers(firstWave)
    const active = built.filter((server) => server.vmState === 'active')
    const failed = built.filter((server) => server.vmState === 'error')
    expect({ active: active.length, failed: failed.length }).toEqual({ active: ROOM, failed: ROOM })
    for (const server of active) {
      expect(server).toMatchObject({ taskState: null, fault: null })
      expect(server.hostId).not.toBeNull()
      const held = await t.gureum.store.hosts.allocationsOf(server.id)
      expect(held.map((allocation) => allocation.hostId)).toEqual([server.hostId])
    }
    for (const server of failed) {
      expect(server.taskState).toBeNull()
      expect(server.fault?.message).toMatch(new RegExp(`^${NO_VALID_HOST.replace(/\./g, '\\.')}`))
      expect(await t.gureum.store.hosts.allocationsOf(server.id)).toEqual([])
    }
    const full = await expectHostsMatchAllocations(t.gureum.store, firstWave)
    expect(full).toHaveLength(HOSTS)
    expect(full.map((host) => host.vcpusUsed)).toEqual(full.map((host) => capacityOf(host).vcpus))
    expect(full.reduce((sum, host) => sum + host.serverCount, 0)).toBe(ROOM)
    // A server that failed to build keeps its quota until it is deleted, as in Nova.
    expect(await usage()).toEqual({ instances: 2 * ROOM, cores: 2 * ROOM * flavor.vcpus, ram: 2 * ROOM * flavor.ramMb, ports: 2 * ROOM })

    await Promise.all(firstWave.map((id) => t.gureum.services.servers.delete(owner, id)))
    expect(await drainRacing()).toBe(2 * ROOM)
    expect((await servers(firstWave)).every((server) => server.deleted && server.vmState === 'deleted')).toBe(true)
    expect(await allocationsOfServers(t.gureum.store, firstWave)).toEqual([])
    expectHostsEmpty(await expectHostsMatchAllocations(t.gureum.store, firstWave))
    expect(await usage()).toEqual({ instances: 0, cores: 0, ram: 0, ports: 0 })

    const secondWave = await createConcurrently(ROOM, 'second')
    expect(await drainRacing()).toBe(ROOM)
    expect((await servers(secondWave)).map((server) => server.vmState)).toEqual(secondWave.map(() => 'active'))
    const refilled = await expectHostsMatchAllocations(t.gureum.store, secondWave)
    expect(refilled.map((host) => host.vcpusUsed)).toEqual(refilled.map((host) => capacityOf(host).vcpus))

    const [oneTooMany] = await createConcurrently(1, 'extra')
    await drainRacing()
    const [refused] = await servers([oneTooMany])
    expect(refused.vmState).toBe('error')
    expect(refused.fault?.message).toContain(NO_VALID_HOST)
    expect(await usage()).toEqual({ instances: ROOM + 1, cores: (ROOM + 1) * flavor.vcpus, ram: (ROOM + 1) * flavor.ramMb, ports: ROOM + 1 })
  })
})

describe.each(engines)('placement from a stale host cache on %s', (engine) => {
  // Two nodes on one database, each with its own host cache: two hosts with room for 3 servers each.
  const config = {
    simulation: {
      ...defaultConfig.simulation, hosts: 2, zones: ['kr-pub-a'], hostVcpus: 3, cpuAllocationRatio: 1,
    },
  }
  let database: TestDatabase
  let dataDir: string
  let first: Gureum
  let second: Gureum
  let owner: Owner
  let base: CreateServersCommand

  beforeAll(async () => {
    database = await createTestDatabase(engine)
    dataDir = mkdtempSync(join(tmpdir(), 'gureum-stale-'))
    first = await openInstance(database, { dataDir, config })
    const credentials = await ensureFirstStart(first)
    if (!credentials) throw new Error('the first start did not seed')
    second = await openInstance(database, { dataDir, config })
    const { identity } = first.services
    owner = (await identity.authenticate({ username: 'demo', password: credentials.user.password })).owner
    base = {
      name: 'node', imageId: credentials.defaults.image_id, flavorId: credentials.defaults.flavor_id,
      networks: [{ networkId: credentials.defaults.network_id }], keyName: null, securityGroups: [], userData: null,
      metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1, blockDevices: [], serverGroupId: null, strictNhn: false,
    }
  })
  afterAll(async () => {
    await first?.close()
    await second?.close()
    await database?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  async function build(node: Gureum, count: number): Promise<Server[]> {
    const created = await node.services.servers.create(owner, { ...base, minCount: count, maxCount: count })
    await node.drain()
    return Promise.all(created.serverIds.map(async (id) => (await node.store.servers.getById(id))!))
  }

  it('reads the hosts again instead of trusting a cache another node made stale, either way', async () => {
    const filled = await build(second, 6)
    expect(filled.map((server) => server.vmState)).toEqual(Array(6).fill('active'))

    // The first node's cache still shows both hosts empty: each claim is refused, and the build fails
    // cleanly instead of waiting on the database.
    const [refused] = await build(first, 1)
    expect(refused).toMatchObject({ vmState: 'error', taskState: null, hostId: null })
    expect(refused.fault?.message).toContain(NO_VALID_HOST)

    // The second node frees a host; the first node's cache now shows both hosts full.
    const onOneHost = filled.filter((server) => server.hostId === filled[0].hostId)
    for (const server of onOneHost) await second.services.servers.delete(owner, server.id)
    await second.drain()
    const placed = await build(first, onOneHost.length)
    expect(placed.map((server) => [server.vmState, server.hostId])).toEqual(onOneHost.map(() => ['active', filled[0].hostId]))
    const hosts = await expectHostsMatchAllocations(first.store, [...filled, refused, ...placed].map((server) => server.id))
    expect(hosts.map((host) => host.vcpusUsed)).toEqual([3, 3])
  })
})
