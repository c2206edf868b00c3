/** Behaviour only the simulator has: progression modes, fault injection, console text, metrics. */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { PowerState } from '../../src/core/ports/hypervisor-driver.ts'
import type { DiskSpec, ServerSpec } from '../../src/core/ports/hypervisor-driver.ts'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import { createDriver, driverFactories, isDriverName } from '../../src/drivers/registry.ts'
import { DriverError } from '../../src/drivers/simulated/driver-error.ts'
import { DEFAULT_METRICS_PROFILE } from '../../src/drivers/simulated/metrics.ts'
import { DEFAULT_DURATIONS_MS } from '../../src/drivers/simulated/progression.ts'
import type { ProgressionPolicy } from '../../src/drivers/simulated/progression.ts'
import { SimulatedDriver } from '../../src/drivers/simulated/simulated-driver.ts'
import type { SimulatedDriverOptions } from '../../src/drivers/simulated/simulated-driver.ts'

const START = new Date('2024-03-01T09:00:00.000Z')
const HOSTS = [
  { name: 'sim-a', availabilityZone: 'zone-1', vcpus: 32, ramMb: 131072, diskGb: 2000 },
  { name: 'sim-b', availabilityZone: 'zone-2', vcpus: 16, ramMb: 65536, diskGb: 1000 },
]
const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb0Xl3Kk3ZLk3r0mJpZ0c0H3vJ2yWk1Q9QzYb6zQx1C alice@laptop'

/** Lets every promise callback queued so far run; not a sleep. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve))

function setup(progression: ProgressionPolicy = { mode: 'immediate' }, options: Partial<SimulatedDriverOptions> = {}) {
  const clock = new ControllableClock({ frozenAt: START })
  const driver = new SimulatedDriver({ clock, hosts: HOSTS, progression, seed: 1, ...options })
  return { clock, driver }
}

function spec(serverId: string, overrides: Partial<ServerSpec> = {}): ServerSpec {
  return {
    serverId,
    name: `web-${serverId}`,
    host: 'sim-a',
    vcpus: 2,
    ramMb: 2048,
    rootDiskGb: 20,
    imageId: 'image-ubuntu-22',
    imagePath: null,
    osType: 'linux',
    nics: [{
      portId: `port-${serverId}`,
      macAddress: 'fa:16:3e:aa:bb:01',
      ipAddress: '192.168.10.21',
      networkId: 'net-1',
      cidr: '192.168.10.0/24',
      gatewayIp: '192.168.10.1',
    }],
    disks: [],
    publicKey: null,
    userData: null,
    metadata: {},
    ...overrides,
  }
}

const volume = (volumeId: string, overrides: Partial<DiskSpec> = {}): DiskSpec => ({
  volumeId, sizeGb: 10, bootIndex: null, imagePath: null, device: '/dev/vdb', ...overrides,
})

/** Tracks whether a promise has settled yet, without awaiting it. */
function track<T>(promise: Promise<T>) {
  const state = { settled: false, error: undefined as unknown }
  promise.then(() => { state.settled = true }, (error: unknown) => { state.settled = true; state.error = error })
  return state
}

describe('SimulatedDriver progression', () => {
  it('immediate: operations complete without the clock moving or any timer', async () => {
    const { clock, driver } = setup()
    await driver.spawn(spec('s1'))
    await driver.powerOff('s1')
    expect(await driver.getPowerState('s1')).toBe(PowerState.SHUTDOWN)
    expect(clock.now()).toEqual(START)
    expect(clock.pendingSleeps).toBe(0)
    expect(driver.pendingOperations()).toEqual([])
  })

  it('timed: an operation waits its jittered duration on the clock, and an advance ends it', async () => {
    const { clock, driver } = setup({ mode: 'timed' })
    const spawning = track(driver.spawn(spec('s1')))
    const [pending] = driver.pendingOperations()
    expect(pending).toMatchObject({ operation: 'spawn', serverId: 's1', host: 'sim-a', mode: 'timed' })
    expect(pending.durationMs).toBeGreaterThanOrEqual(DEFAULT_DURATIONS_MS.spawn * 0.7)
    expect(pending.durationMs).toBeLessThanOrEqual(DEFAULT_DURATIONS_MS.spawn * 1.3)
    expect(clock.pendingSleeps).toBe(1)

    clock.advance(pending.durationMs - 1)
    await flush()
    expect(spawning.settled).toBe(false)
    expect(await driver.getPowerState('s1')).toBe(PowerState.NOSTATE)

    clock.advance(1)
    await flush()
    expect(spawning.settled).toBe(true)
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
  })

  it('timed: an advance ends a wait on a clock that also follows real time', async () => {
    const clock = new ControllableClock()
    const driver = new SimulatedDriver({
      clock, hosts: HOSTS, progression: { mode: 'timed', durations: { spawn: 600_000 } },
    })
    const spawning = driver.spawn(spec('s1'))
    clock.advance(10 * 60_000 * 1.3)
    await spawning
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
  })

  it('timed: durations are deterministic per seed and divided by speed', () => {
    const durationsFor = (seed: number, speed = 1) => {
      const { driver } = setup({ mode: 'timed', speed }, { seed })
      for (const id of ['a', 'b', 'c']) void driver.spawn(spec(id)).catch(() => {})
      const durations = driver.pendingOperations().map((operation) => operation.durationMs)
      driver.dispose()
      return durations
    }
    expect(durationsFor(7)).toEqual(durationsFor(7))
    expect(durationsFor(7)).not.toEqual(durationsFor(8))
    const normal = durationsFor(7)
    const fast = durationsFor(7, 4)
    fast.forEach((duration, index) => expect(Math.abs(duration - normal[index] / 4)).toBeLessThanOrEqual(1))
  })

  it('timed: overridden durations and zero jitter give exact waits', async () => {
    const { clock, driver } = setup({ mode: 'timed', jitter: 0, durations: { spawn: 1000, powerOff: 200 } })
    const spawning = driver.spawn(spec('s1'))
    expect(driver.pendingOperations()[0].durationMs).toBe(1000)
    clock.advance(1000)
    await spawning
    const stopping = track(driver.powerOff('s1'))
    expect(driver.pendingOperations()[0].durationMs).toBe(200)
    clock.advance(200)
    await flush()
    expect(stopping.settled).toBe(true)
  })

  it('manual: an operation stays pending until the clock is advanced past its duration', async () => {
    const { clock, driver } = setup({ mode: 'manual', jitter: 0 })
    const spawning = track(driver.spawn(spec('s1')))
    // The wait lives on the virtual timeline, not on clock sleeps that real time could end.
    expect(clock.pendingSleeps).toBe(0)
    expect(driver.pendingOperations()).toMatchObject([
      { operation: 'spawn', mode: 'manual', durationMs: 3000, remainingMs: 3000 },
    ])
    await flush()
    expect(spawning.settled).toBe(false)

    clock.advance(2000)
    await flush()
    expect(spawning.settled).toBe(false)
    expect(driver.pendingOperations()[0].remainingMs).toBe(1000)

    clock.advance(1000)
    await flush()
    expect(spawning.settled).toBe(true)
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
  })

  it('manual: needs a clock that can be advanced', () => {
    const plainClock = { now: () => new Date(0), nowMs: () => 0, sleep: async () => {} }
    expect(() => new SimulatedDriver({ clock: plainClock, hosts: HOSTS, progression: { mode: 'manual' } }))
      .toThrow(/advanced/)
    const driver = new SimulatedDriver({ clock: plainClock, hosts: HOSTS, progression: { mode: 'immediate' } })
    expect(() => driver.setProgression({ mode: 'manual' })).toThrow(/advanced/)
  })

  it('switching manual to immediate completes pending operations', async () => {
    const { driver } = setup({ mode: 'manual' })
    const spawning = driver.spawn(spec('s1'))
    driver.setProgression({ mode: 'immediate' })
    await spawning
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
    expect(driver.progression).toEqual({ mode: 'immediate' })
  })

  it('switching manual to timed turns what remains into a clock sleep', async () => {
    const { clock, driver } = setup({ mode: 'manual', jitter: 0 })
    const spawning = track(driver.spawn(spec('s1')))
    clock.advance(1000)
    driver.setProgression({ mode: 'timed' })
    expect(clock.pendingSleeps).toBe(1)
    expect(driver.pendingOperations()[0]).toMatchObject({ mode: 'timed', remainingMs: 2000 })
    clock.advance(1999)
    await flush()
    expect(spawning.settled).toBe(false)
    clock.advance(1)
    await flush()
    expect(spawning.settled).toBe(true)
  })

  it('switching timed to manual keeps pending operations releasable by an advance', async () => {
    const { clock, driver } = setup({ mode: 'timed', jitter: 0 })
    const spawning = track(driver.spawn(spec('s1')))
    driver.setProgression({ mode: 'manual', jitter: 0 })
    expect(driver.pendingOperations()[0]).toMatchObject({ mode: 'manual', remainingMs: 3000 })
    clock.advance(3000)
    await flush()
    expect(spawning.settled).toBe(true)
    expect(clock.pendingSleeps).toBe(0)
  })

  it('completePendingOperations ends every wait at once', async () => {
    const { driver } = setup({ mode: 'manual' })
    const first = driver.spawn(spec('s1'))
    const second = driver.spawn(spec('s2', { host: 'sim-b' }))
    expect(driver.completePendingOperations()).toBe(2)
    await Promise.all([first, second])
    expect(driver.listServers().map((server) => server.serverId).sort()).toEqual(['s1', 's2'])
  })

  it('rejects invalid progression settings', () => {
    const { driver } = setup()
    expect(() => driver.setProgression({ mode: 'timed', speed: 0 })).toThrow(RangeError)
    expect(() => driver.setProgression({ mode: 'timed', jitter: 2 })).toThrow(RangeError)
    expect(() => driver.setProgression({ mode: 'manual', durations: { spawn: -1 } })).toThrow(RangeError)
  })

  it('reset fails operations that were pending and forgets servers', async () => {
    const { driver } = setup({ mode: 'manual' })
    await (async () => {
      driver.setProgression({ mode: 'immediate' })
      await driver.spawn(spec('s1'))
      driver.setProgression({ mode: 'manual' })
    })()
    const spawning = driver.spawn(spec('s2'))
    driver.reset()
    await expect(spawning).rejects.toThrow(/reset/)
    expect(driver.listServers()).toEqual([])
    expect(await driver.getPowerState('s1')).toBe(PowerState.NOSTATE)
  })
})

describe('SimulatedDriver fault injection', () => {
  it('fails the next N matching operations on the given host, then recovers', async () => {
    const { driver } = setup()
    const fault = driver.injectFault({ operation: 'spawn', host: 'sim-a', count: 2, message: 'No valid host: out of disk' })
    expect(fault).toMatchObject({ operation: 'spawn', host: 'sim-a', remaining: 2 })

    await driver.spawn(spec('other', { host: 'sim-b' }))
    await expect(driver.spawn(spec('s1'))).rejects.toThrow('No valid host: out of disk')
    expect(driver.listFaults()).toMatchObject([{ remaining: 1 }])
    await expect(driver.spawn(spec('s2'))).rejects.toThrow('No valid host: out of disk')
    expect(driver.listFaults()).toEqual([])
    await driver.spawn(spec('s3'))

    expect(await driver.getPowerState('s1')).toBe(PowerState.NOSTATE)
    expect(await driver.getPowerState('s3')).toBe(PowerState.RUNNING)
  })

  it('a faulted operation fails only once its duration has passed, and changes nothing', async () => {
    const { clock, driver } = setup({ mode: 'timed', jitter: 0 })
    driver.setProgression({ mode: 'immediate' })
    await driver.spawn(spec('s1'))
    driver.setProgression({ mode: 'timed', jitter: 0 })
    driver.injectFault({ operation: 'powerOff', count: 1 })
    const stopping = driver.powerOff('s1')
    const state = track(stopping)
    await flush()
    expect(state.settled).toBe(false)
    clock.advance(DEFAULT_DURATIONS_MS.powerOff)
    await expect(stopping).rejects.toThrow(/injected fault: powerOff/)
    expect(state.error).toBeInstanceOf(DriverError)
    expect((state.error as DriverError).code).toBe('injected_fault')
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
  })

  it('faults can target one server and every faultable operation', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1'))
    await driver.spawn(spec('s2'))
    driver.injectFault({ operation: 'snapshot', serverId: 's2', count: 1 })
    driver.injectFault({ operation: 'metrics', count: 1, message: 'metrics backend unavailable' })
    await driver.snapshot('s1', 'img')
    await expect(driver.snapshot('s2', 'img')).rejects.toThrow(/snapshot/)
    await expect(driver.metrics('s1')).rejects.toThrow('metrics backend unavailable')
    await driver.metrics('s1')
  })

  it('rejects faults for unknown hosts, operations or counts', () => {
    const { driver } = setup()
    expect(() => driver.injectFault({ operation: 'spawn', host: 'nowhere', count: 1 })).toThrow(/nowhere/)
    expect(() => driver.injectFault({ operation: 'teleport' as 'spawn', count: 1 })).toThrow(/teleport/)
    expect(() => driver.injectFault({ operation: 'spawn', count: 0 })).toThrow(/count/)
  })

  it('a down host fails every operation on its servers but is still described', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1'))
    await driver.spawn(spec('s2', { host: 'sim-b' }))
    driver.setHostDown('sim-a', true)
    expect(driver.downHosts()).toEqual(['sim-a'])
    expect((await driver.describeHosts()).map((host) => host.name)).toEqual(['sim-a', 'sim-b'])

    await expect(driver.powerOff('s1')).rejects.toThrow('host sim-a is down')
    await expect(driver.getPowerState('s1')).rejects.toThrow('host sim-a is down')
    await expect(driver.destroy('s1')).rejects.toThrow('host sim-a is down')
    await expect(driver.consoleLog('s1')).rejects.toThrow('host sim-a is down')
    await expect(driver.spawn(spec('s3'))).rejects.toThrow('host sim-a is down')
    await expect(driver.resize(spec('s2', { host: 'sim-a' }))).rejects.toThrow('host sim-a is down')
    await driver.powerOff('s2')

    driver.setHostDown('sim-a', false)
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
  })

  it('a server can be rebuilt away from a down host (evacuation)', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1'))
    driver.setHostDown('sim-a', true)
    await driver.rebuild(spec('s1', { host: 'sim-b' }))
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
    expect(driver.describeServer('s1')?.host).toBe('sim-b')
  })

  it('clearFaults drops injected faults and brings hosts back up', async () => {
    const { driver } = setup()
    driver.injectFault({ operation: 'spawn', count: 5 })
    driver.setHostDown('sim-b', true)
    driver.clearFaults()
    expect(driver.listFaults()).toEqual([])
    expect(driver.downHosts()).toEqual([])
    await driver.spawn(spec('s1', { host: 'sim-b' }))
    expect(() => driver.setHostDown('nowhere', true)).toThrow(/nowhere/)
  })
})

describe('SimulatedDriver semantics', () => {
  it('spawn refuses an unknown host and a server that lives on another host', async () => {
    const { driver } = setup()
    await expect(driver.spawn(spec('s1', { host: 'sim-z' }))).rejects.toMatchObject({ code: 'unknown_host' })
    await driver.spawn(spec('s1'))
    await expect(driver.spawn(spec('s1', { host: 'sim-b' }))).rejects.toMatchObject({ code: 'conflict' })
  })

  it('spawn of a known but stopped server boots it; concurrent spawns share one operation', async () => {
    const { clock, driver } = setup({ mode: 'manual', jitter: 0 })
    const first = driver.spawn(spec('s1'))
    const second = driver.spawn(spec('s1'))
    expect(driver.pendingOperations()).toHaveLength(1)
    clock.advance(DEFAULT_DURATIONS_MS.spawn)
    await Promise.all([first, second])

    driver.setProgression({ mode: 'immediate' })
    await driver.powerOff('s1')
    await driver.spawn(spec('s1'))
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
  })

  it('pause, suspend and their reversals follow the power states', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1'))
    await driver.pause('s1')
    await driver.pause('s1')
    expect(await driver.getPowerState('s1')).toBe(PowerState.PAUSED)
    await expect(driver.suspend('s1')).rejects.toMatchObject({ code: 'invalid_power_state' })
    await expect(driver.reboot('s1', 'soft')).rejects.toThrow(/soft reboot .* PAUSED/)
    await driver.unpause('s1')
    await driver.suspend('s1')
    expect(await driver.getPowerState('s1')).toBe(PowerState.SUSPENDED)
    await expect(driver.unpause('s1')).rejects.toThrow(/SUSPENDED/)
    await driver.reboot('s1', 'hard')
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
    await driver.powerOff('s1')
    await expect(driver.pause('s1')).rejects.toThrow(/SHUTDOWN/)
    await driver.powerOff('s1')
    expect(await driver.getPowerState('s1')).toBe(PowerState.SHUTDOWN)
  })

  it('resize moves the server to the new host and size, keeping a paused state', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1'))
    await driver.pause('s1')
    await driver.resize(spec('s1', { host: 'sim-b', vcpus: 8, ramMb: 16384 }))
    const server = driver.describeServer('s1')
    expect(server).toMatchObject({ host: 'sim-b', powerState: PowerState.PAUSED })
    expect(server?.spec.vcpus).toBe(8)
  })

  it('rebuild boots the new image with the new key', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1'))
    await driver.rebuild(spec('s1', { imageId: 'image-rocky-9', publicKey: PUBLIC_KEY }))
    expect(driver.describeServer('s1')?.spec.imageId).toBe('image-rocky-9')
    expect(await driver.consoleLog('s1', 40)).toContain(md5Fingerprint(PUBLIC_KEY))
  })

  it('tracks volumes: spec disks, idempotent attach, one server per volume, root stays', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1', { disks: [volume('root', { bootIndex: 0, device: '/dev/vda' })] }))
    await driver.spawn(spec('s2'))
    await driver.attachVolume('s1', volume('data'))
    await driver.attachVolume('s1', volume('data'))
    expect(driver.describeServer('s1')?.volumes.map((disk) => disk.volumeId)).toEqual(['root', 'data'])
    await expect(driver.attachVolume('s2', volume('data'))).rejects.toThrow(/attached to server s1/)
    await expect(driver.detachVolume('s1', 'root')).rejects.toThrow(/root disk/)
    await expect(driver.attachVolume('s1', volume('x', { volumeId: null }))).rejects.toThrow(/volume id/)
    await driver.detachVolume('s1', 'data')
    await driver.detachVolume('s1', 'never-attached')
    await driver.attachVolume('s2', volume('data'))
    expect(driver.describeServer('s2')?.volumes.map((disk) => disk.volumeId)).toEqual(['data'])
  })

  it('tracks interfaces by port', async () => {
    const { driver } = setup()
    const server = spec('s1')
    await driver.spawn(server)
    const extra = { ...server.nics[0], portId: 'port-2', ipAddress: '192.168.20.5', macAddress: 'fa:16:3e:aa:bb:02' }
    await driver.attachInterface('s1', extra)
    await driver.attachInterface('s1', extra)
    expect(driver.describeServer('s1')?.nics.map((nic) => nic.portId)).toEqual(['port-s1', 'port-2'])
    await driver.detachInterface('s1', 'port-s1')
    await driver.detachInterface('s1', 'port-s1')
    expect(driver.describeServer('s1')?.nics.map((nic) => nic.portId)).toEqual(['port-2'])
  })

  it('snapshot results are deterministic and bounded by the disk size', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1', { rootDiskGb: 1 }))
    await driver.spawn(spec('s2', { rootDiskGb: 100 }))
    const small = await driver.snapshot('s1', 'img-1')
    expect(small).toEqual(await driver.snapshot('s1', 'img-1'))
    expect(small.path).toBeNull()
    expect(small.sizeBytes).toBeLessThanOrEqual(1024 ** 3)
    const large = await driver.snapshot('s2', 'img-2')
    expect(large.sizeBytes).toBeGreaterThan(small.sizeBytes)
    expect(large.sizeBytes).toBeLessThan(100 * 1024 ** 3)
    expect(large.checksum).not.toBe(small.checksum)
  })

  it('adopt re-registers servers after a restart, skipping ones never created', async () => {
    const { driver } = setup()
    const adopted = driver.adopt([
      { spec: spec('s1'), powerState: PowerState.RUNNING },
      { spec: spec('s2', { host: 'sim-b' }), powerState: PowerState.SHUTDOWN },
      { spec: spec('s3'), powerState: PowerState.NOSTATE },
    ])
    expect(adopted).toBe(2)
    expect(await driver.getPowerState('s1')).toBe(PowerState.RUNNING)
    expect(await driver.getPowerState('s2')).toBe(PowerState.SHUTDOWN)
    expect(await driver.getPowerState('s3')).toBe(PowerState.NOSTATE)
    await driver.powerOn('s2')
    expect(await driver.consoleLog('s2')).toMatch(/adopt: .*power state SHUTDOWN/)
    expect(() => driver.adopt([{ spec: spec('s4', { host: 'gone' }), powerState: PowerState.RUNNING }])).toThrow(/gone/)
    expect(driver.describeServer('s4')).toBeUndefined()
  })

  it('adopts on demand: on the first call naming a server, as of adoptOnDemand, once', async () => {
    const { clock, driver } = setup()
    const asked: string[] = []
    const stored = new Map([
      ['s1', { spec: spec('s1'), powerState: PowerState.RUNNING }],
      ['s2', { spec: spec('s2', { host: 'sim-b' }), powerState: PowerState.SHUTDOWN }],
      ['s3', { spec: spec('s3'), powerState: PowerState.NOSTATE }],
    ])
    driver.adoptOnDemand({ server: async (serverId) => (asked.push(serverId), stored.get(serverId)) })
    clock.advance(5000)
    expect(driver.listServers()).toEqual([])

    const [state, again] = await Promise.all([driver.getPowerState('s1'), driver.metrics('s1')])
    expect(state).toBe(PowerState.RUNNING)
    expect(again.networkInBytes).toBe(DEFAULT_METRICS_PROFILE.networkInBytes * 5)
    expect(driver.describeServer('s1')?.bootedAt).toEqual(START)
    expect((await driver.consoleLog('s1')).split('\n')[0]).toBe(`[gureum-sim ${START.toISOString()}] adopt: web-s1 s1 on host sim-a (power state RUNNING)`)
    await driver.powerOn('s2')
    expect(await driver.getPowerState('s2')).toBe(PowerState.RUNNING)
    expect(await driver.getPowerState('s3')).toBe(PowerState.NOSTATE)
    await driver.spawn(spec('s4'))
    await driver.destroy('s1')
    expect(await driver.getPowerState('s1')).toBe(PowerState.NOSTATE)
    // Each server asked for once; a build is never looked up, and a destroyed server is not adopted again.
    expect(asked).toEqual(['s1', 's2', 's3'])
    expect(driver.listServers().map((server) => server.serverId).sort()).toEqual(['s2', 's4'])
  })

  it('rejects an operation whose server cannot be looked up, and looks again next time', async () => {
    const { driver } = setup()
    let failing = true
    driver.adoptOnDemand({
      server: async (serverId) => {
        if (failing) throw new Error('database unavailable')
        return { spec: spec(serverId), powerState: PowerState.RUNNING }
      },
    })
    await expect(driver.powerOff('s1')).rejects.toThrow('database unavailable')
    failing = false
    await driver.powerOff('s1')
    expect(await driver.getPowerState('s1')).toBe(PowerState.SHUTDOWN)
  })

  it('reports crashes and guest shutdowns through DriverEvents', async () => {
    const seen: Array<[string, PowerState]> = []
    const { driver } = setup({ mode: 'immediate' }, {
      events: { powerStateChanged: (serverId, powerState) => seen.push([serverId, powerState]) },
    })
    await driver.spawn(spec('s1'))
    await driver.spawn(spec('s2'))
    await driver.powerOff('s1')
    expect(seen).toEqual([])
    driver.simulateCrash('s2')
    await driver.powerOn('s1')
    driver.simulateGuestShutdown('s1')
    expect(seen).toEqual([['s2', PowerState.CRASHED], ['s1', PowerState.SHUTDOWN]])
    expect(await driver.consoleLog('s2')).toContain('Kernel panic')
    await driver.reboot('s2', 'hard')
    expect(await driver.getPowerState('s2')).toBe(PowerState.RUNNING)
  })
})

describe('SimulatedDriver console log', () => {
  it('keeps the last 5000 lines of a chatty console', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1'))
    for (let reboot = 0; reboot < 250; reboot++) await driver.reboot('s1', 'hard')
    const lines = (await driver.consoleLog('s1')).split('\n')
    expect(lines).toHaveLength(5000)
    expect(lines.at(-1)).toBe('web-s1 login: ')
    expect(lines.filter((line) => line.includes('hard-reboot:')).length).toBeLessThan(250)
    await driver.reboot('s1', 'hard')
    expect((await driver.consoleLog('s1')).split('\n')).toHaveLength(5000)
  })

  it('reads like a cloud-init boot naming the server, its IPs and "no key"', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1'))
    const log = await driver.consoleLog('s1')
    expect(log).toContain('web-s1')
    expect(log).toContain('192.168.10.21')
    expect(log).toContain('255.255.255.0')
    expect(log).toContain('fa:16:3e:aa:bb:01')
    expect(log).toContain('no authorized SSH keys fingerprints found')
    expect(log).toMatch(/Cloud-init v\. .* finished at Fri, 01 Mar 2024 09:00:0[4-6] \+0000/)
    expect(log.trimEnd().endsWith('web-s1 login:')).toBe(true)
  })

  it('shows the MD5 fingerprint of the public key', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1', { publicKey: PUBLIC_KEY }))
    const log = await driver.consoleLog('s1')
    expect(log).toContain(md5Fingerprint(PUBLIC_KEY))
    expect(log).toContain('alice@laptop')
    expect(log).not.toContain('no authorized SSH keys')
  })

  it('writes a line per power event stamped with the clock, and returns the last N lines', async () => {
    const { clock, driver } = setup()
    await driver.spawn(spec('s1'))
    clock.advance(60_000)
    await driver.powerOff('s1')
    clock.advance(60_000)
    await driver.powerOn('s1')
    clock.advance(60_000)
    await driver.reboot('s1', 'soft')
    clock.advance(60_000)
    await driver.reboot('s1', 'hard')

    const events = (await driver.consoleLog('s1')).split('\n').filter((line) => line.startsWith('[gureum-sim '))
    expect(events.map((line) => line.replace(/ web-s1 s1 on host sim-a.*/, ''))).toEqual([
      '[gureum-sim 2024-03-01T09:00:00.000Z] boot:',
      '[gureum-sim 2024-03-01T09:01:00.000Z] power-off:',
      '[gureum-sim 2024-03-01T09:02:00.000Z] boot:',
      '[gureum-sim 2024-03-01T09:03:00.000Z] reboot:',
      '[gureum-sim 2024-03-01T09:03:00.000Z] boot:',
      '[gureum-sim 2024-03-01T09:04:00.000Z] hard-reboot:',
      '[gureum-sim 2024-03-01T09:04:00.000Z] boot:',
    ])
    expect(await driver.consoleLog('s1')).toContain('reboot: Power down')

    const tail = await driver.consoleLog('s1', 2)
    expect(tail.split('\n')).toHaveLength(2)
    expect(tail.trimEnd().endsWith('login:')).toBe(true)
    expect(await driver.consoleLog('s1', 0)).toBe('')
  })

  it('a Windows server boots through cloudbase-init', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1', { osType: 'windows', publicKey: PUBLIC_KEY }))
    const log = await driver.consoleLog('s1')
    expect(log).toContain('cloudbase-init')
    expect(log).toContain('192.168.10.21/24')
    expect(log).toContain(md5Fingerprint(PUBLIC_KEY))
  })

  it('lists attached volumes in the next boot', async () => {
    const { driver } = setup()
    await driver.spawn(spec('s1'))
    await driver.attachVolume('s1', volume('data', { device: '/dev/vdc', sizeGb: 50 }))
    await driver.reboot('s1', 'hard')
    const bootBlock = (await driver.consoleLog('s1')).split('hard-reboot:')[1]
    expect(bootBlock).toMatch(/virtio_blk virtio\d: \[vdc\] 104857600 512-byte logical blocks/)
  })

  it('is the same text for the same seed and clock', async () => {
    const render = async () => {
      const { driver } = setup({ mode: 'immediate' }, { seed: 99 })
      await driver.spawn(spec('s1', { publicKey: PUBLIC_KEY }))
      await driver.reboot('s1', 'soft')
      return driver.consoleLog('s1')
    }
    expect(await render()).toBe(await render())
  })
})

describe('SimulatedDriver metrics', () => {
  it('starts from the idle profile, with counters integrating the rates over clock time', async () => {
    const { clock, driver } = setup()
    await driver.spawn(spec('s1'))
    expect(await driver.metrics('s1')).toMatchObject({
      cpuPercent: DEFAULT_METRICS_PROFILE.cpu,
      memoryPercent: DEFAULT_METRICS_PROFILE.memory,
      networkInBytes: 0,
      networkOutPackets: 0,
    })
    clock.advance(10_000)
    expect(await driver.metrics('s1')).toEqual({
      cpuPercent: 2,
      memoryPercent: 20,
      networkInBytes: DEFAULT_METRICS_PROFILE.networkInBytes * 10,
      networkOutBytes: DEFAULT_METRICS_PROFILE.networkOutBytes * 10,
      networkInPackets: DEFAULT_METRICS_PROFILE.networkInPackets * 10,
      networkOutPackets: DEFAULT_METRICS_PROFILE.networkOutPackets * 10,
      sampledAt: new Date(START.getTime() + 10_000),
    })
  })

  it('a profile change applies from now on, keeps unset fields and never rewinds counters', async () => {
    const { clock, driver } = setup()
    await driver.spawn(spec('s1'))
    clock.advance(10_000)
    const profile = await driver.setMetricsProfile('s1', { cpu: 90, networkInBytes: 1_000_000 })
    expect(profile).toEqual({ ...DEFAULT_METRICS_PROFILE, cpu: 90, networkInBytes: 1_000_000 })
    const before = await driver.metrics('s1')
    expect(before.networkInBytes).toBe(12_000)
    expect(before.cpuPercent).toBe(90)

    clock.advance(5000)
    const after = await driver.metrics('s1')
    expect(after.networkInBytes).toBe(12_000 + 5_000_000)
    expect(after.networkOutBytes).toBe(800 * 15)
    expect(after.memoryPercent).toBe(20)

    await driver.setMetricsProfile('s1', { networkInBytes: 0, memory: 75 })
    clock.advance(5000)
    const idle = await driver.metrics('s1')
    expect(idle.networkInBytes).toBe(after.networkInBytes)
    expect(idle).toMatchObject({ cpuPercent: 90, memoryPercent: 75 })
  })

  it('a stopped server reports no cpu and frozen counters; a fresh boot restarts them', async () => {
    const { clock, driver } = setup()
    await driver.spawn(spec('s1'))
    clock.advance(10_000)
    await driver.powerOff('s1')
    clock.advance(10_000)
    expect(await driver.metrics('s1')).toMatchObject({ cpuPercent: 0, memoryPercent: 0, networkInBytes: 12_000 })

    await driver.powerOn('s1')
    clock.advance(1000)
    expect(await driver.metrics('s1')).toMatchObject({ cpuPercent: 2, networkInBytes: 1200 })
  })

  it('a paused server keeps its memory, uses no cpu and sends nothing; a soft reboot keeps counters', async () => {
    const { clock, driver } = setup()
    await driver.spawn(spec('s1'))
    clock.advance(1000)
    await driver.pause('s1')
    clock.advance(1000)
    expect(await driver.metrics('s1')).toMatchObject({ cpuPercent: 0, memoryPercent: 20, networkInBytes: 1200 })
    await driver.unpause('s1')
    await driver.reboot('s1', 'soft')
    clock.advance(1000)
    expect((await driver.metrics('s1')).networkInBytes).toBe(2400)
  })

  it('rejects profiles outside their ranges and unknown servers', async () => {
    const { driver } = setup()
    await expect(driver.setMetricsProfile('nope', { cpu: 10 })).rejects.toThrow(/unknown/)
    driver.adopt([{ spec: spec('s1'), powerState: PowerState.RUNNING }])
    await expect(driver.setMetricsProfile('s1', { cpu: 120 })).rejects.toThrow(/cpu/)
    await expect(driver.setMetricsProfile('s1', { networkOutBytes: -1 })).rejects.toThrow(/networkOutBytes/)
    expect(driver.describeServer('s1')?.metricsProfile).toEqual(DEFAULT_METRICS_PROFILE)
  })
})

describe('driver registry', () => {
  it('builds the simulated driver by name', async () => {
    const clock = new ControllableClock({ frozenAt: START })
    expect(isDriverName('simulated')).toBe(true)
    expect(isDriverName('vmware')).toBe(false)
    const driver = createDriver('simulated', { clock, hosts: HOSTS, progression: { mode: 'immediate' } })
    expect(driver).toBeInstanceOf(SimulatedDriver)
    expect(driverFactories.simulated({ clock, hosts: HOSTS, progression: { mode: 'immediate' } }).name).toBe('simulated')
    expect(Object.values(driver.capabilities).every(Boolean)).toBe(true)
  })
})

function md5Fingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.split(' ')[1], 'base64')
  return createHash('md5').update(blob).digest('hex').replace(/(..)(?=.)/g, '$1:')
}
