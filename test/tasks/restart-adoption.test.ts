/**
 * The simulator keeps nothing on disk: after a restart it learns each server from the store on the
 * first call that names it, not all of them at start. What a client sees must be as if every server had
 * been handed back at the restart: its power state, a console that says so (stamped with the restart
 * time, then the boot of a running guest), metrics counted from the restart, and actions, faults and
 * metric profiles working on it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ensureFirstStart } from '../../src/admin/first-start.ts'
import { adminControls } from '../../src/app.ts'
import type { Gureum } from '../../src/deps.ts'
import { PowerState } from '../../src/core/ports/hypervisor-driver.ts'
import type { CreateServersCommand } from '../../src/core/servers/server-commands.ts'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import { openInstance } from '../support/installation.ts'
import { createTestDatabase, testEngines, type TestDatabase } from '../support/stores.ts'

const SMALL = '294c255a-e4df-4994-9175-4dbe84c2c7f4' // m2.c1m2: 1 vCPU, 2 GB
const BUILT_AT = new Date('2026-11-28T00:00:00.000Z')
const RESTARTED_AT = new Date('2026-11-28T06:00:00.000Z')

describe.each(await testEngines())('the simulator after a restart on %s', (engine) => {
  let database: TestDatabase | undefined
  let dataDir: string | undefined
  const open: Gureum[] = []

  afterEach(async () => {
    for (const gureum of open.splice(0)) await gureum.close().catch(() => undefined)
    await database?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    database = dataDir = undefined
  })

  it('adopts each server on first use, as it was at the restart', async () => {
    database = await createTestDatabase(engine)
    dataDir = mkdtempSync(join(tmpdir(), 'gureum-adopt-'))
    const first = await openInstance(database, { dataDir, clock: new ControllableClock({ frozenAt: BUILT_AT }) })
    open.push(first)
    const credentials = await ensureFirstStart(first)
    if (!credentials) throw new Error('the first start did not seed')
    const owner = (await first.services.identity.authenticate({ username: 'demo', password: credentials.user.password })).owner
    const base: CreateServersCommand = {
      name: 'survivor', imageId: credentials.defaults.image_id, flavorId: SMALL,
      networks: [{ networkId: credentials.defaults.network_id }], keyName: null, securityGroups: [], userData: null,
      metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1, blockDevices: [], serverGroupId: null, strictNhn: false,
    }
    const create = async (name: string) => (await first.services.servers.create(owner, { ...base, name })).serverIds[0]
    const running = await create('running')
    const stopped = await create('stopped')
    const rebooted = await create('rebooted')
    const deleted = await create('deleted')
    await first.drain()
    await first.services.servers.stop(owner, stopped)
    await first.drain()
    const address = first.driver.describeServer(running)?.nics[0]?.ipAddress
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    await first.close()

    const clock = new ControllableClock({ frozenAt: RESTARTED_AT })
    const gureum = await openInstance(database, { dataDir, clock })
    open.push(gureum)
    const { servers, inspector } = gureum.services
    expect(gureum.driver.listServers()).toEqual([])
    clock.advance(10_000)

    // Power state, console and metrics as of the restart, not of the first question.
    expect(await gureum.driver.getPowerState(running)).toBe(PowerState.RUNNING)
    expect(await gureum.driver.getPowerState(stopped)).toBe(PowerState.SHUTDOWN)
    const console = await inspector.consoleOutput(owner, running)
    const lines = console.split('\n')
    expect(lines[0]).toBe(`[gureum-sim ${RESTARTED_AT.toISOString()}] adopt: running ${running} on host ${gureum.driver.describeServer(running)?.host} (power state RUNNING)`)
    expect(lines[1]).toMatch(new RegExp(`^\\[gureum-sim ${RESTARTED_AT.toISOString()}\\] boot: running ${running} .*\\(boot #1\\)$`))
    expect(console).toContain(`| eth0   | True | ${address?.padEnd(15)} |`)
    expect(lines.at(-1)).toBe('running login: ')
    expect(await inspector.consoleOutput(owner, running, 1)).toBe('running login: ')
    expect(await inspector.metrics(owner, running)).toMatchObject({ cpuPercent: 2, memoryPercent: 20, networkInBytes: 12_000, networkOutBytes: 8000 })
    expect(await inspector.metrics(owner, stopped)).toMatchObject({ cpuPercent: 0, memoryPercent: 0, networkInBytes: 0 })
    expect(await inspector.consoleOutput(owner, stopped)).toBe(
      `[gureum-sim ${RESTARTED_AT.toISOString()}] adopt: stopped ${stopped} on host ${gureum.driver.describeServer(stopped)?.host} (power state SHUTDOWN)`)

    // Actions on servers the simulator has not been asked about yet.
    const controls = adminControls(gureum)
    expect(await controls.setServerMetrics(stopped, { cpu: 75 })).toMatchObject({ cpu: 75 })
    await servers.start(owner, stopped)
    await servers.stop(owner, running)
    await gureum.drain()
    expect(await servers.get(owner, stopped)).toMatchObject({ vmState: 'active', powerState: PowerState.RUNNING })
    expect(await servers.get(owner, running)).toMatchObject({ vmState: 'stopped', powerState: PowerState.SHUTDOWN })
    expect(await inspector.metrics(owner, stopped)).toMatchObject({ cpuPercent: 75, networkInBytes: 0 })
    expect(await inspector.consoleOutput(owner, stopped)).toContain('boot: stopped')
    expect(await inspector.consoleOutput(owner, running, 1)).toMatch(/\] power-off: running /)

    // An injected fault applies to a server adopted by the very call it fails.
    controls.injectFault({ operation: 'reboot', serverId: rebooted, count: 1, message: 'reboot refused' })
    await servers.reboot(owner, rebooted, 'soft')
    await gureum.drain()
    const [reboot] = (await gureum.store.tasks.list({ resourceId: rebooted, kind: 'server.power', limit: 5, marker: null })).items
    expect(reboot).toMatchObject({ attempts: 1, lastError: expect.stringContaining('reboot refused') })
    clock.advance(60_000)
    await gureum.drain()
    expect(await servers.get(owner, rebooted)).toMatchObject({ vmState: 'active', taskState: null, powerState: PowerState.RUNNING })
    expect(await inspector.consoleOutput(owner, rebooted)).toContain('reboot: rebooted')

    await servers.delete(owner, deleted)
    await gureum.drain()
    expect((await gureum.store.servers.getById(deleted))?.deleted).toBe(true)
    expect(gureum.driver.describeServer(deleted)).toBeUndefined()
    expect(gureum.driver.listServers().map((server) => server.serverId).sort()).toEqual([running, stopped, rebooted].sort())
  })
})
