/**
 * A worker process killed with SIGKILL while the simulator is in the middle of a build, a stop and a
 * resize; a new process on the same database (SQLite file or PostgreSQL schema) must resume each task to
 * its end, or fail it with a fault saying why once its deadline has passed, never leave it hanging; and
 * host capacity and quotas must add up to what the live servers hold.
 *
 * This process is the API node (it creates servers and issues actions through the core services);
 * workers are `node src/main.ts serve --roles worker` children: `--progression manual` holds every
 * simulated operation until the virtual clock moves, which nothing in that process does, so the
 * operations are in flight when the process dies.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ensureFirstStart } from '../../src/admin/first-start.ts'
import { defaultConfig } from '../../src/config.ts'
import type { Gureum } from '../../src/deps.ts'
import { PowerState } from '../../src/core/ports/hypervisor-driver.ts'
import type { CreateServersCommand } from '../../src/core/servers/server-commands.ts'
import type { Server } from '../../src/core/servers/server.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import type { Task } from '../../src/core/tasks/task.ts'
import { expectHostsEmpty, expectHostsMatchAllocations } from '../support/bookkeeping.ts'
import { killAllStarted, startNode, waitForOutput, type ChildNode } from '../support/child-nodes.ts'
import { openInstance } from '../support/installation.ts'
import { createTestDatabase, testEngines, type TestDatabase } from '../support/stores.ts'
import { waitFor } from '../support/wait-for.ts'

const LEASE_MS = 1000
const SMALL = '294c255a-e4df-4994-9175-4dbe84c2c7f4' // m2.c1m2: 1 vCPU, 2 GB
const BIGGER = '181347cf-e559-43d4-9617-24ac1b38a977' // m2.c2m4: 2 vCPUs, 4 GB

describe.each(await testEngines())('recovery from a killed worker on %s', (engine) => {
  let database: TestDatabase | undefined
  let dataDir: string | undefined
  let api: Gureum | undefined

  afterEach(async () => {
    await killAllStarted()
    await api?.close()
    await database?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    api = database = dataDir = undefined
  })

  /** The database, the API node in this process, and a demo user with room for a few servers. */
  async function installation(buildDeadlineSeconds = defaultConfig.tasks.buildDeadlineSeconds) {
    database = await createTestDatabase(engine)
    dataDir = mkdtempSync(join(tmpdir(), 'gureum-crash-'))
    api = await openInstance(database, {
      dataDir, config: { roles: ['api'], tasks: { ...defaultConfig.tasks, buildDeadlineSeconds } },
    })
    const credentials = await ensureFirstStart(api)
    if (!credentials) throw new Error('the first start did not seed')
    const owner: Owner = (await api.services.identity.authenticate({ username: 'demo', password: credentials.user.password })).owner
    const base: CreateServersCommand = {
      name: 'survivor', imageId: credentials.defaults.image_id, flavorId: SMALL,
      networks: [{ networkId: credentials.defaults.network_id }], keyName: null, securityGroups: [], userData: null,
      metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1, blockDevices: [], serverGroupId: null, strictNhn: false,
    }
    return { gureum: api, owner, base, database, dataDir }
  }

  async function startWorker(progression: 'manual' | 'immediate'): Promise<ChildNode> {
    const flags = [
      'serve', '--roles', 'worker', '--data-dir', dataDir!, '--database', database!.url,
      ...(database!.pgSchema ? ['--pg-schema', database!.pgSchema] : []),
      '--progression', progression, '--task-lease-ms', String(LEASE_MS), '--task-poll-ms', '50', '--log-level', 'info',
    ]
    const worker = startNode('src/main.ts', flags)
    await waitForOutput(worker, '"msg":"gureum started"')
    return worker
  }

  async function server(id: string): Promise<Server> {
    const found = await api!.store.servers.getById(id)
    if (!found) throw new Error(`server ${id} is gone`)
    return found
  }

  async function tasksOf(id: string): Promise<readonly Task[]> {
    return (await api!.store.tasks.list({ resourceId: id, limit: 20, marker: null })).items
  }

  async function quotaInUse(owner: Owner): Promise<Record<'instances' | 'cores' | 'ram', number>> {
    const usage = await api!.services.quotas.usage(owner)
    const inUse = (resource: string) => usage.find((quota) => quota.resource === resource)!.inUse
    return { instances: inUse('instances'), cores: inUse('cores'), ram: inUse('ram') }
  }

  /** Waits until no task is queued or running and none of the servers is in a transition. */
  async function settled(worker: ChildNode, ids: readonly string[]): Promise<Server[]> {
    return waitFor(async () => {
      if (await api!.store.tasks.countUnfinished() > 0) return undefined
      const servers = await Promise.all(ids.map(server))
      return servers.every((current) => current.taskState === null || current.deleted) ? servers : undefined
    }, {
      what: 'every task to finish and every server to leave its transition',
      describe: async () => `${JSON.stringify((await Promise.all(ids.map(server))).map((current) =>
        [current.name, current.vmState, current.taskState]))}\nworker output:\n${worker.output().slice(-4000)}`,
    })
  }

  it('resumes a build, a stop and a resize that a killed worker left in flight, keeping capacity and quotas exact', async () => {
    const { gureum, owner, base } = await installation()
    const { servers } = gureum.services

    // Two servers built by this process (its own simulator, immediate): one to stop, one to resize.
    const toStop = (await servers.create(owner, { ...base, name: 'to-stop' })).serverIds[0]
    const toResize = (await servers.create(owner, { ...base, name: 'to-resize' })).serverIds[0]
    await gureum.drain()
    expect((await server(toStop)).vmState).toBe('active')
    expect((await server(toResize)).vmState).toBe('active')

    const doomed = await startWorker('manual')
    await servers.stop(owner, toStop)
    await servers.resize(owner, toResize, { flavorId: BIGGER })
    const toBuild = (await servers.create(owner, { ...base, name: 'to-build' })).serverIds[0]
    const ids = [toStop, toResize, toBuild]

    // Each task's handler has reached the driver call, which the manual simulator holds.
    await waitFor(async () => {
      const [stopping, resizing, building] = await Promise.all(ids.map(server))
      const running = (await gureum.store.tasks.list({ status: 'running', limit: 10, marker: null })).items
      return stopping.taskState === 'powering-off' && resizing.taskState === 'resize_migrating'
        && building.taskState === 'spawning' && building.hostId !== null && running.length === 3
    }, {
      what: 'the stop, the resize and the build to be in flight in the doomed worker',
      describe: async () => `${JSON.stringify((await Promise.all(ids.map(server))).map((current) => current.taskState))}\n${doomed.output()}`,
    })
    expect(await doomed.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' })
    const orphaned = (await gureum.store.tasks.list({ status: 'running', limit: 10, marker: null })).items
    expect(orphaned.map((task) => task.resourceId).sort()).toEqual([...ids].sort())

    const successor = await startWorker('immediate')
    const [stopped, resized, built] = await settled(successor, ids)
    expect(stopped).toMatchObject({ vmState: 'stopped', powerState: PowerState.SHUTDOWN, fault: null })
    expect(resized).toMatchObject({ vmState: 'resized', flavorId: BIGGER, vcpus: 2, ramMb: 4096, previousFlavorId: SMALL })
    expect(built).toMatchObject({ vmState: 'active', powerState: PowerState.RUNNING, fault: null })
    // The very tasks the dead worker held were claimed again and finished (not replaced by new ones).
    for (const task of orphaned) {
      const resumed = (await gureum.store.tasks.get(task.id))!
      expect(resumed.status, `${task.kind} of ${(await server(task.resourceId!)).name}`).toBe('succeeded')
      expect(resumed.attempts).toBeGreaterThan(task.attempts)
    }

    await expectHostsMatchAllocations(gureum.store, ids)
    // Until it is confirmed, a resize holds the larger flavor's quota (and its claim on the target host).
    expect(await quotaInUse(owner)).toEqual({ instances: 3, cores: 1 + 2 + 1, ram: 2048 + 4096 + 2048 })

    // The survivor finishes the lifecycle: confirm, then delete everything.
    await servers.confirmResize(owner, toResize)
    await settled(successor, ids)
    expect(await server(toResize)).toMatchObject({ vmState: 'active', previousFlavorId: null })
    await expectHostsMatchAllocations(gureum.store, ids)
    expect(await quotaInUse(owner)).toEqual({ instances: 3, cores: 4, ram: 8192 })
    for (const id of ids) await servers.delete(owner, id)
    const gone = await settled(successor, ids)
    expect(gone.every((current) => current.deleted)).toBe(true)
    expectHostsEmpty(await expectHostsMatchAllocations(gureum.store, ids))
    expect(await quotaInUse(owner)).toEqual({ instances: 0, cores: 0, ram: 0 })

    expect(await successor.kill('SIGTERM')).toEqual({ code: 0, signal: null })
  })

  it('fails a build whose deadline passed while no worker was alive, with a fault saying why', async () => {
    const deadlineSeconds = 5
    const { gureum, owner, base } = await installation(deadlineSeconds)
    const doomed = await startWorker('manual')
    const id = (await gureum.services.servers.create(owner, { ...base, name: 'too-late' })).serverIds[0]
    const [build] = await tasksOf(id)
    await waitFor(async () => (await server(id)).taskState === 'spawning',
      { what: 'the build to be in flight in the doomed worker', describe: () => doomed.output() })
    await doomed.kill('SIGKILL')
    // The worker must die before the deadline, or it would have failed the build itself.
    expect(Date.now(), 'this machine took the whole deadline to start the build').toBeLessThan(build.deadlineAt.getTime())
    await waitFor(() => Date.now() > build.deadlineAt.getTime(),
      { what: 'the build deadline to pass', timeoutMs: deadlineSeconds * 1000 + 5000 })

    const successor = await startWorker('immediate')
    const [failed] = await settled(successor, [id])
    expect(failed).toMatchObject({ vmState: 'error', taskState: null, hostId: null })
    expect(failed.fault?.message).toMatch(/^deadline exceeded after \d+ attempt\(s\): lease expired: the worker stopped before finishing$/)
    expect((await tasksOf(id))[0]).toMatchObject({ id: build.id, status: 'failed', lastError: failed.fault?.message })
    expectHostsEmpty(await expectHostsMatchAllocations(gureum.store, [id]))
    // A failed build keeps its quota until the server is deleted, as in Nova.
    expect(await quotaInUse(owner)).toEqual({ instances: 1, cores: 1, ram: 2048 })

    await gureum.services.servers.delete(owner, id)
    await settled(successor, [id])
    expect(await quotaInUse(owner)).toEqual({ instances: 0, cores: 0, ram: 0 })
  })
})
