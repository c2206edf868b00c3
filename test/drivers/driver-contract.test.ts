/**
 * One behavioural suite that every HypervisorDriver passes, written against the port only. Add a
 * driver by adding a setup to DRIVER_SETUPS (the QEMU driver joins when /dev/kvm or qemu is present).
 */
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PowerState } from '../../src/core/ports/hypervisor-driver.ts'
import type { HypervisorDriver, ServerSpec } from '../../src/core/ports/hypervisor-driver.ts'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import { driverFactories } from '../../src/drivers/registry.ts'
import type { ProgressionPolicy } from '../../src/drivers/simulated/progression.ts'

interface DriverHarness {
  readonly driver: HypervisorDriver
  /** Resolves a driver call, moving whatever time the driver needs (a clock advance, or real time). */
  settle<T>(operation: Promise<T>): Promise<T>
  /** Fields a spec needs on this driver (an image path for a real hypervisor). */
  readonly specDefaults?: Partial<ServerSpec>
  dispose(): Promise<void> | void
}

interface DriverSetup {
  readonly name: string
  create(): Promise<DriverHarness> | DriverHarness
}

const SIM_HOSTS = [
  { name: 'contract-a', availabilityZone: 'zone-1', vcpus: 16, ramMb: 65536, diskGb: 1000 },
  { name: 'contract-b', availabilityZone: 'zone-2', vcpus: 16, ramMb: 65536, diskGb: 1000 },
]

function simulatedSetup(name: string, progression: ProgressionPolicy): DriverSetup {
  return {
    name,
    create() {
      const clock = new ControllableClock({ frozenAt: new Date('2024-03-01T09:00:00.000Z') })
      const driver = driverFactories.simulated({ clock, hosts: SIM_HOSTS, progression, seed: 42 })
      return {
        driver,
        settle: progression.mode === 'immediate' ? (operation) => operation : (operation) => advanceUntilSettled(clock, operation),
        dispose: () => driver.dispose(),
      }
    },
  }
}

const DRIVER_SETUPS: readonly DriverSetup[] = [
  simulatedSetup('simulated (immediate)', { mode: 'immediate' }),
  simulatedSetup('simulated (timed, clock advanced by the test)', { mode: 'timed' }),
  simulatedSetup('simulated (manual)', { mode: 'manual' }),
]

/** Advances a frozen clock in steps until the operation settles, letting promise callbacks run between. */
async function advanceUntilSettled<T>(clock: ControllableClock, operation: Promise<T>): Promise<T> {
  let settled = false
  operation.then(() => { settled = true }, () => { settled = true })
  for (let step = 0; step < 1200 && !settled; step++) {
    await new Promise<void>((resolve) => setImmediate(resolve))
    if (!settled) clock.advance(250)
  }
  if (!settled) throw new Error('the operation did not complete within 5 minutes of simulated time')
  return operation
}

describe.each(DRIVER_SETUPS)('HypervisorDriver contract: $name', (setup) => {
  let harness: DriverHarness
  let driver: HypervisorDriver
  let hosts: string[]
  let run: <T>(operation: Promise<T>) => Promise<T>

  beforeEach(async () => {
    harness = await setup.create()
    driver = harness.driver
    run = (operation) => harness.settle(operation)
    hosts = (await driver.describeHosts()).map((host) => host.name)
  })

  afterEach(async () => {
    await harness.dispose()
  })

  function makeSpec(overrides: Partial<ServerSpec> = {}): ServerSpec {
    const serverId = randomUUID()
    return {
      serverId,
      name: `contract-${serverId.slice(0, 8)}`,
      host: hosts[0],
      vcpus: 1,
      ramMb: 512,
      rootDiskGb: 1,
      imageId: randomUUID(),
      imagePath: null,
      osType: 'linux',
      nics: [{
        portId: randomUUID(),
        macAddress: 'fa:16:3e:12:34:56',
        ipAddress: '10.20.0.15',
        networkId: randomUUID(),
        cidr: '10.20.0.0/24',
        gatewayIp: '10.20.0.1',
      }],
      disks: [],
      publicKey: null,
      userData: null,
      metadata: {},
      ...harness.specDefaults,
      ...overrides,
    }
  }

  async function spawned(overrides: Partial<ServerSpec> = {}): Promise<ServerSpec> {
    const spec = makeSpec(overrides)
    await run(driver.spawn(spec))
    return spec
  }

  const volume = (sizeGb = 1) => ({
    volumeId: randomUUID(), sizeGb, bootIndex: null, imagePath: null, device: '/dev/vdb',
  })

  it('describes at least one host with capacity, and declares every capability flag', async () => {
    const described = await driver.describeHosts()
    expect(described.length).toBeGreaterThan(0)
    for (const host of described) {
      expect(host.name).not.toBe('')
      expect(host.vcpus).toBeGreaterThan(0)
      expect(host.ramMb).toBeGreaterThan(0)
      expect(host.diskGb).toBeGreaterThan(0)
    }
    for (const flag of ['pause', 'suspend', 'resize', 'snapshot', 'consoleLog', 'metrics', 'volumeAttach', 'interfaceAttach'] as const) {
      expect(typeof driver.capabilities[flag]).toBe('boolean')
    }
  })

  it('spawn boots the server to RUNNING, and spawning it again succeeds', async () => {
    const spec = makeSpec()
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.NOSTATE)
    await run(driver.spawn(spec))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
    await run(driver.spawn(spec))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('spawn on a host the driver does not run is rejected', async () => {
    await expect(run(driver.spawn(makeSpec({ host: 'no-such-host' })))).rejects.toThrow(/no-such-host/)
  })

  it('powerOff stops the server and powerOn starts it again', async () => {
    const spec = await spawned()
    await run(driver.powerOff(spec.serverId))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.SHUTDOWN)
    await run(driver.powerOn(spec.serverId))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('soft reboot needs a running server; hard reboot brings a stopped one back', async () => {
    const spec = await spawned()
    await run(driver.reboot(spec.serverId, 'soft'))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)

    await run(driver.powerOff(spec.serverId))
    await expect(run(driver.reboot(spec.serverId, 'soft'))).rejects.toThrow()
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.SHUTDOWN)

    await run(driver.reboot(spec.serverId, 'hard'))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('pause and unpause, when supported', async (context) => {
    if (!driver.capabilities.pause || !driver.pause || !driver.unpause) return context.skip()
    const spec = await spawned()
    await run(driver.pause(spec.serverId))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.PAUSED)
    await run(driver.unpause(spec.serverId))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('suspend and resume, when supported', async (context) => {
    if (!driver.capabilities.suspend || !driver.suspend || !driver.resume) return context.skip()
    const spec = await spawned()
    await run(driver.suspend(spec.serverId))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.SUSPENDED)
    await run(driver.resume(spec.serverId))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('hard reboot recovers a paused server, when pause is supported', async (context) => {
    if (!driver.capabilities.pause || !driver.pause) return context.skip()
    const spec = await spawned()
    await run(driver.pause(spec.serverId))
    await run(driver.reboot(spec.serverId, 'hard'))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('attaches and detaches a volume idempotently', async (context) => {
    if (!driver.capabilities.volumeAttach) return context.skip()
    const spec = await spawned()
    const disk = volume()
    await run(driver.attachVolume(spec.serverId, disk))
    await run(driver.attachVolume(spec.serverId, disk))
    await run(driver.detachVolume(spec.serverId, disk.volumeId))
    await run(driver.detachVolume(spec.serverId, disk.volumeId))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('attaches and detaches an interface idempotently, when supported', async (context) => {
    if (!driver.capabilities.interfaceAttach || !driver.attachInterface || !driver.detachInterface) return context.skip()
    const spec = await spawned()
    const nic = { ...spec.nics[0], portId: randomUUID(), macAddress: 'fa:16:3e:00:00:02', ipAddress: '10.20.0.16' }
    await run(driver.attachInterface(spec.serverId, nic))
    await run(driver.attachInterface(spec.serverId, nic))
    await run(driver.detachInterface(spec.serverId, nic.portId))
    await run(driver.detachInterface(spec.serverId, nic.portId))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('snapshot returns a size and an md5 checksum', async (context) => {
    if (!driver.capabilities.snapshot) return context.skip()
    const spec = await spawned()
    const result = await run(driver.snapshot(spec.serverId, randomUUID()))
    expect(result.sizeBytes).toBeGreaterThan(0)
    expect(result.checksum).toMatch(/^[0-9a-f]{32}$/)
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('rebuild leaves the server RUNNING', async () => {
    const spec = await spawned()
    await run(driver.powerOff(spec.serverId))
    await run(driver.rebuild({ ...spec, imageId: randomUUID() }))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.RUNNING)
  })

  it('resize keeps the power state, running or stopped', async (context) => {
    if (!driver.capabilities.resize || !driver.resize) return context.skip()
    const target = hosts[1] ?? hosts[0]
    const running = await spawned()
    await run(driver.resize({ ...running, host: target, vcpus: 2, ramMb: 1024 }))
    expect(await driver.getPowerState(running.serverId)).toBe(PowerState.RUNNING)

    const stopped = await spawned()
    await run(driver.powerOff(stopped.serverId))
    await run(driver.resize({ ...stopped, host: target, vcpus: 2, ramMb: 1024, rootDiskGb: 2 }))
    expect(await driver.getPowerState(stopped.serverId)).toBe(PowerState.SHUTDOWN)
  })

  it('console log and metrics describe a running server, when supported', async (context) => {
    if (!driver.capabilities.consoleLog || !driver.capabilities.metrics || !driver.consoleLog || !driver.metrics) {
      return context.skip()
    }
    const spec = await spawned()
    const log = await driver.consoleLog(spec.serverId)
    expect(log.length).toBeGreaterThan(0)
    expect((await driver.consoleLog(spec.serverId, 3)).split('\n').length).toBeLessThanOrEqual(3)
    const sample = await driver.metrics(spec.serverId)
    expect(sample.cpuPercent).toBeGreaterThanOrEqual(0)
    expect(sample.cpuPercent).toBeLessThanOrEqual(100)
    expect(sample.memoryPercent).toBeGreaterThanOrEqual(0)
    expect(sample.memoryPercent).toBeLessThanOrEqual(100)
    expect(sample.networkInBytes).toBeGreaterThanOrEqual(0)
  })

  it('destroy removes the server, and is idempotent', async () => {
    const spec = await spawned()
    await run(driver.destroy(spec.serverId))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.NOSTATE)
    await run(driver.destroy(spec.serverId))
    await run(driver.destroy(randomUUID()))
    expect(await driver.getPowerState(spec.serverId)).toBe(PowerState.NOSTATE)
  })

  it('operations on an unknown server fail, naming it as unknown', async () => {
    const missing = randomUUID()
    const unknown = new RegExp(`unknown.*${missing}|${missing}.*unknown`, 'i')
    await expect(run(driver.powerOn(missing))).rejects.toThrow(unknown)
    await expect(run(driver.powerOff(missing))).rejects.toThrow(unknown)
    await expect(run(driver.reboot(missing, 'soft'))).rejects.toThrow(unknown)
    await expect(run(driver.reboot(missing, 'hard'))).rejects.toThrow(unknown)
    await expect(run(driver.attachVolume(missing, volume()))).rejects.toThrow(unknown)
    await expect(run(driver.detachVolume(missing, randomUUID()))).rejects.toThrow(unknown)
    await expect(run(driver.snapshot(missing, randomUUID()))).rejects.toThrow(unknown)
    await expect(run(driver.rebuild(makeSpec({ serverId: missing })))).rejects.toThrow(unknown)
    if (driver.resize) await expect(run(driver.resize(makeSpec({ serverId: missing })))).rejects.toThrow(unknown)
    if (driver.pause) await expect(run(driver.pause(missing))).rejects.toThrow(unknown)
    if (driver.suspend) await expect(run(driver.suspend(missing))).rejects.toThrow(unknown)
    if (driver.consoleLog) await expect(run(driver.consoleLog(missing))).rejects.toThrow(unknown)
    if (driver.metrics) await expect(run(driver.metrics(missing))).rejects.toThrow(unknown)
  })
})
