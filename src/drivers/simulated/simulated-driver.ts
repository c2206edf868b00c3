import { createHash } from 'node:crypto'
import type { Clock } from '../../core/ports/clock.ts'
import { PowerState } from '../../core/ports/hypervisor-driver.ts'
import type {
  DiskSpec,
  DriverCapabilities,
  DriverEvents,
  HostCapacity,
  HypervisorDriver,
  NicSpec,
  RebootKind,
  ServerMetrics,
  ServerSpec,
  SnapshotResult,
} from '../../core/ports/hypervisor-driver.ts'
import {
  bootLines,
  eventLine,
  interfaceAttachedLine,
  kernelStartOf,
  MAX_CONSOLE_LINES,
  panicLine,
  shutdownLines,
  volumeAttachedLine,
} from './console-output.ts'
import type { BootContext, PowerEvent } from './console-output.ts'
import { DriverError, unknownServerError } from './driver-error.ts'
import { FaultInjector, hostDownError, injectedFaultError } from './fault-injection.ts'
import type { FaultableOperation, FaultRequest, InjectedFault } from './fault-injection.ts'
import { MetricsMeter } from './metrics.ts'
import type { MetricsProfile } from './metrics.ts'
import { Progression } from './progression.ts'
import type { PendingOperation, ProgressionPolicy, TimedOperation } from './progression.ts'

export interface SimulatedDriverOptions {
  readonly clock: Clock
  readonly hosts: readonly HostCapacity[]
  readonly progression: ProgressionPolicy
  /** Seeds duration jitter and console timings; the same seed replays the same run. Default 0. */
  readonly seed?: number
  /** Told about power changes the guest makes on its own (simulateCrash, simulateGuestShutdown). */
  readonly events?: DriverEvents
}

/** A server the core already knows, handed back after a restart. */
export interface AdoptedServer {
  readonly spec: ServerSpec
  readonly powerState: PowerState
}

/**
 * Where the simulator finds, after a restart, a server it has not seen in this process: the core's
 * record of it, or undefined when there is nothing to adopt (unknown, deleted, or never placed).
 */
export interface AdoptionSource {
  server(serverId: string): Promise<AdoptedServer | undefined>
}

export interface SimulatedServerInfo {
  readonly serverId: string
  readonly host: string
  readonly powerState: PowerState
  readonly spec: ServerSpec
  /** When the current guest process started, or null when it never ran since adoption. */
  readonly bootedAt: Date | null
  readonly volumes: readonly DiskSpec[]
  readonly nics: readonly NicSpec[]
  readonly metricsProfile: MetricsProfile
}

interface ServerRecord {
  spec: ServerSpec
  powerState: PowerState
  bootCount: number
  bootedAtMs: number | null
  /** Clock time the guest kernel started, for uptimes in console lines. */
  kernelStartMs: number
  readonly console: ConsoleBuffer
  readonly volumes: Map<string, DiskSpec>
  readonly nics: Map<string, NicSpec>
  readonly meter: MetricsMeter
  /** Handed back by adopt() or the adoption source, rather than spawned by this process. */
  readonly adopted: boolean
}

interface OperationPlan {
  readonly operation: TimedOperation
  readonly fault: FaultableOperation
  readonly serverId: string
  /** Hosts that must exist and be up, besides the server's own (resize, rebuild elsewhere). */
  readonly targetHost?: string
  /** Rebuild onto another host (evacuation) works while the server's own host is down. */
  readonly sourceMayBeDown?: boolean
  /** Rejects states the operation cannot start from; checked before and again after the wait. */
  readonly guard?: (record: ServerRecord) => void
}

const ALL_CAPABILITIES: DriverCapabilities = {
  pause: true,
  suspend: true,
  resize: true,
  snapshot: true,
  consoleLog: true,
  metrics: true,
  volumeAttach: true,
  interfaceAttach: true,
}

/**
 * A server's console text: lines, and boot sequences kept as what they are rendered from (rendered when
 * the console is read; most never are). Holds at most MAX_CONSOLE_LINES lines, dropping the oldest.
 */
class ConsoleBuffer {
  #chunks: (readonly string[] | (() => readonly string[]))[] = []

  append(lines: readonly string[] | (() => readonly string[])): void {
    this.#chunks.push(lines)
    // Every chunk is at least one line: past the limit, the oldest are dropped for good.
    if (this.#chunks.length > MAX_CONSOLE_LINES) this.lines()
  }

  lines(): readonly string[] {
    const lines = this.#chunks.flatMap((chunk) => (typeof chunk === 'function' ? chunk() : chunk))
    const kept = lines.length > MAX_CONSOLE_LINES ? lines.slice(-MAX_CONSOLE_LINES) : lines
    this.#chunks = [kept]
    return kept
  }
}

const POWER_STATE_NAMES = new Map<PowerState, string>(
  Object.entries(PowerState).map(([name, value]) => [value, name]),
)

/**
 * An in-memory hypervisor with deterministic timings, synthetic console output and settable metrics.
 *
 * It keeps nothing on disk: after a process restart it knows no server until the core hands them back,
 * as a real host would still be running them: all at once with adopt(), or each on the first call
 * that names it, from the source given to adoptOnDemand() (so that a restart costs the same whatever
 * the number of servers).
 *
 * Injected faults are counted when an operation starts and thrown once its duration has passed (a
 * real spawn fails after trying); a down host fails operations at once (the host cannot be reached).
 */
export class SimulatedDriver implements HypervisorDriver {
  readonly name = 'simulated'
  readonly capabilities: DriverCapabilities = ALL_CAPABILITIES

  readonly #clock: Clock
  readonly #hosts: ReadonlyMap<string, HostCapacity>
  readonly #seed: number
  readonly #events: DriverEvents | undefined
  readonly #progression: Progression
  readonly #faults = new FaultInjector()
  readonly #servers = new Map<string, ServerRecord>()
  readonly #spawning = new Map<string, { host: string; done: Promise<void> }>()
  #source: AdoptionSource | undefined
  /** When adoptOnDemand() was called: servers adopted later are treated as adopted then. */
  #adoptedAtMs = 0
  readonly #adopting = new Map<string, Promise<void>>()
  /** Adopted servers destroyed since, which the source may still list until the core records it. */
  readonly #destroyed = new Set<string>()
  /** Bumped by reset(): operations begun before it must not touch the new state. */
  #epoch = 0

  constructor(options: SimulatedDriverOptions) {
    this.#clock = options.clock
    const hosts = new Map<string, HostCapacity>()
    for (const host of options.hosts) {
      if (hosts.has(host.name)) throw new DriverError('bad_request', `host ${host.name} is configured twice`)
      hosts.set(host.name, { ...host })
    }
    this.#hosts = hosts
    this.#seed = options.seed ?? 0
    this.#events = options.events
    this.#progression = new Progression(options.clock, options.progression, this.#seed)
  }

  // ---- HypervisorDriver ----------------------------------------------------------------------------

  async describeHosts(): Promise<readonly HostCapacity[]> {
    return [...this.#hosts.values()].map((host) => ({ ...host }))
  }

  spawn(spec: ServerSpec): Promise<void> {
    try {
      this.#assertHostUsable(spec.host)
      const existing = this.#servers.get(spec.serverId)
      if (existing !== undefined) {
        this.#assertSameHost(spec.serverId, existing.spec.host, spec.host)
        // A resumed build task converges on "created and booted".
        if (existing.powerState === PowerState.RUNNING) return Promise.resolve()
        return this.powerOn(spec.serverId)
      }
      const inFlight = this.#spawning.get(spec.serverId)
      if (inFlight !== undefined) {
        this.#assertSameHost(spec.serverId, inFlight.host, spec.host)
        return inFlight.done
      }
      const done = this.#spawn(spec).finally(() => {
        if (this.#spawning.get(spec.serverId)?.done === done) this.#spawning.delete(spec.serverId)
      })
      this.#spawning.set(spec.serverId, { host: spec.host, done })
      return done
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async destroy(serverId: string): Promise<void> {
    const adopting = this.#adopted(serverId)
    if (adopting !== undefined) await adopting
    if (!this.#servers.has(serverId)) return
    await this.#operate({ operation: 'destroy', fault: 'destroy', serverId }, (record) => {
      this.#servers.delete(serverId)
      if (record.adopted && this.#source !== undefined) this.#destroyed.add(serverId)
      this.#progression.forget(serverId)
    }, () => undefined)
  }

  powerOn(serverId: string): Promise<void> {
    return this.#operateAdopted({ operation: 'powerOn', fault: 'powerOn', serverId }, (record) => {
      if (record.powerState === PowerState.RUNNING) return
      // Like libvirt's power_on, starting from any stopped or frozen state boots a fresh guest.
      this.#boot(record, true)
    })
  }

  powerOff(serverId: string): Promise<void> {
    return this.#operateAdopted({ operation: 'powerOff', fault: 'powerOff', serverId }, (record) => {
      if (record.powerState === PowerState.SHUTDOWN) return
      this.#stop(record, 'power-off')
    })
  }

  reboot(serverId: string, kind: RebootKind): Promise<void> {
    if (kind === 'soft') {
      return this.#operateAdopted({
        operation: 'reboot',
        fault: 'reboot',
        serverId,
        guard: (record) => this.#requireState(record, 'soft reboot', [PowerState.RUNNING]),
      }, (record) => {
        const nowMs = this.#clock.nowMs()
        this.#append(record, [
          eventLine(nowMs, 'reboot', record.spec, 'soft'),
          ...shutdownLines(record.spec, this.#uptimeMs(record), true),
        ])
        // The same guest process restarts its OS: NIC counters carry on.
        this.#boot(record, false)
      })
    }
    return this.#operateAdopted({ operation: 'rebootHard', fault: 'reboot', serverId }, (record) => {
      this.#append(record, [eventLine(this.#clock.nowMs(), 'hard-reboot', record.spec, 'reset')])
      this.#boot(record, true)
    })
  }

  async getPowerState(serverId: string): Promise<PowerState> {
    const adopting = this.#adopted(serverId)
    if (adopting !== undefined) await adopting
    const record = this.#servers.get(serverId)
    if (record === undefined) return PowerState.NOSTATE
    this.#assertHostUp(record.spec.host)
    return record.powerState
  }

  async rebuild(spec: ServerSpec): Promise<void> {
    const adopting = this.#adopted(spec.serverId)
    if (adopting !== undefined) await adopting
    const current = this.#servers.get(spec.serverId)
    const moving = current !== undefined && current.spec.host !== spec.host
    return this.#operate({
      operation: 'rebuild',
      fault: 'rebuild',
      serverId: spec.serverId,
      targetHost: spec.host,
      sourceMayBeDown: moving,
    }, (record) => {
      const nowMs = this.#clock.nowMs()
      const lines = [eventLine(nowMs, 'rebuild', record.spec, `image ${spec.imageId ?? 'none'} on host ${spec.host}`)]
      if (record.powerState === PowerState.RUNNING) lines.push(...shutdownLines(record.spec, this.#uptimeMs(record), false))
      this.#append(record, lines)
      record.spec = spec
      this.#boot(record, true)
    })
  }

  attachVolume(serverId: string, disk: DiskSpec): Promise<void> {
    const volumeId = disk.volumeId
    if (volumeId === null) {
      return Promise.reject(new DriverError('bad_request', `attachVolume on server ${serverId} needs a volume id`))
    }
    const guard = () => {
      const holder = this.#volumeHolder(volumeId)
      if (holder !== undefined && holder !== serverId) {
        throw new DriverError('conflict', `volume ${volumeId} is attached to server ${holder}`)
      }
    }
    return this.#operateAdopted({ operation: 'attachVolume', fault: 'attachVolume', serverId, guard }, (record) => {
      if (record.volumes.has(volumeId)) return
      record.volumes.set(volumeId, disk)
      if (record.powerState === PowerState.RUNNING) {
        this.#append(record, [volumeAttachedLine(this.#uptimeMs(record), disk.device, disk.sizeGb)])
      }
    })
  }

  detachVolume(serverId: string, volumeId: string): Promise<void> {
    const guard = (record: ServerRecord) => {
      if (record.volumes.get(volumeId)?.bootIndex === 0) {
        throw new DriverError('conflict', `volume ${volumeId} is the root disk of server ${serverId}`)
      }
    }
    return this.#operateAdopted({ operation: 'detachVolume', fault: 'detachVolume', serverId, guard }, (record) => {
      record.volumes.delete(volumeId)
    })
  }

  attachInterface(serverId: string, nic: NicSpec): Promise<void> {
    return this.#operateAdopted({ operation: 'attachInterface', fault: 'attachInterface', serverId }, (record) => {
      if (record.nics.has(nic.portId)) return
      record.nics.set(nic.portId, nic)
      if (record.powerState === PowerState.RUNNING) {
        this.#append(record, [interfaceAttachedLine(this.#uptimeMs(record), record.nics.size - 1, nic)])
      }
    })
  }

  detachInterface(serverId: string, portId: string): Promise<void> {
    return this.#operateAdopted({ operation: 'detachInterface', fault: 'detachInterface', serverId }, (record) => {
      record.nics.delete(portId)
    })
  }

  snapshot(serverId: string, imageId: string): Promise<SnapshotResult> {
    return this.#operateAdopted({ operation: 'snapshot', fault: 'snapshot', serverId }, (record) => {
      const diskBytes = record.spec.rootDiskGb * 1024 ** 3
      // A fresh cloud image holds under a gigabyte; what is written on top grows with the disk.
      const sizeBytes = Math.min(diskBytes, 850 * 1024 ** 2 + Math.round(diskBytes * 0.06))
      const checksum = createHash('md5')
        .update([serverId, imageId, record.spec.imageId ?? '', record.spec.rootDiskGb, sizeBytes].join('\n'))
        .digest('hex')
      return { sizeBytes, path: null, checksum }
    })
  }

  pause(serverId: string): Promise<void> {
    return this.#operateAdopted({
      operation: 'pause',
      fault: 'pause',
      serverId,
      guard: (record) => this.#requireState(record, 'pause', [PowerState.RUNNING, PowerState.PAUSED]),
    }, (record) => this.#freeze(record, PowerState.PAUSED, 'pause'))
  }

  unpause(serverId: string): Promise<void> {
    return this.#operateAdopted({
      operation: 'unpause',
      fault: 'unpause',
      serverId,
      guard: (record) => this.#requireState(record, 'unpause', [PowerState.PAUSED, PowerState.RUNNING]),
    }, (record) => this.#thaw(record, 'unpause'))
  }

  suspend(serverId: string): Promise<void> {
    return this.#operateAdopted({
      operation: 'suspend',
      fault: 'suspend',
      serverId,
      guard: (record) => this.#requireState(record, 'suspend', [PowerState.RUNNING, PowerState.SUSPENDED]),
    }, (record) => this.#freeze(record, PowerState.SUSPENDED, 'suspend'))
  }

  resume(serverId: string): Promise<void> {
    return this.#operateAdopted({
      operation: 'resume',
      fault: 'resume',
      serverId,
      guard: (record) => this.#requireState(record, 'resume', [PowerState.SUSPENDED, PowerState.RUNNING]),
    }, (record) => this.#thaw(record, 'resume'))
  }

  resize(spec: ServerSpec): Promise<void> {
    return this.#operateAdopted({ operation: 'resize', fault: 'resize', serverId: spec.serverId, targetHost: spec.host }, (record) => {
      const nowMs = this.#clock.nowMs()
      const running = record.powerState === PowerState.RUNNING
      const detail = `${spec.vcpus} vCPU, ${spec.ramMb} MB RAM, ${spec.rootDiskGb} GB disk on host ${spec.host}`
      const lines = [eventLine(nowMs, 'resize', record.spec, detail)]
      if (running) lines.push(...shutdownLines(record.spec, this.#uptimeMs(record), false))
      this.#append(record, lines)
      record.spec = spec
      // A cold resize restarts the guest on its new size; a stopped or frozen one stays as it was.
      if (running) this.#boot(record, true)
    })
  }

  async consoleLog(serverId: string, lines?: number): Promise<string> {
    const adopting = this.#adopted(serverId)
    if (adopting !== undefined) await adopting
    const record = this.#readable(serverId, 'consoleLog')
    if (lines === undefined) return record.console.lines().join('\n')
    const count = Math.max(0, Math.floor(lines))
    return count === 0 ? '' : record.console.lines().slice(-count).join('\n')
  }

  async metrics(serverId: string): Promise<ServerMetrics> {
    const adopting = this.#adopted(serverId)
    if (adopting !== undefined) await adopting
    const record = this.#readable(serverId, 'metrics')
    return record.meter.sample(this.#clock.nowMs(), record.powerState)
  }

  // ---- Simulation controls (admin API, tests) ------------------------------------------------------

  get progression(): ProgressionPolicy {
    return this.#progression.policy
  }

  /** Changes how operations take time; see Progression.setPolicy for what happens to pending ones. */
  setProgression(policy: ProgressionPolicy): void {
    this.#progression.setPolicy(policy)
  }

  /** Operations waiting for their simulated duration, oldest first. */
  pendingOperations(): PendingOperation[] {
    return this.#progression.pending()
  }

  /** Ends every pending wait now (each operation then applies or fails as usual). */
  completePendingOperations(): number {
    return this.#progression.completeAll()
  }

  injectFault(request: FaultRequest): InjectedFault {
    if (request.host !== undefined) this.#assertHostKnown(request.host)
    return this.#faults.inject(request)
  }

  listFaults(): InjectedFault[] {
    return this.#faults.list()
  }

  /**
   * A down host fails every operation on its servers ("host X is down") and takes no new ones; it is
   * still listed by describeHosts, and its servers keep their state for when it comes back.
   */
  setHostDown(host: string, down: boolean): void {
    this.#assertHostKnown(host)
    this.#faults.setHostDown(host, down)
  }

  downHosts(): string[] {
    return this.#faults.downHosts()
  }

  /** Drops every injected fault and brings every host back up. */
  clearFaults(): void {
    this.#faults.clear()
  }

  async setMetricsProfile(serverId: string, profile: Partial<MetricsProfile>): Promise<MetricsProfile> {
    const adopting = this.#adopted(serverId)
    if (adopting !== undefined) await adopting
    return this.#require(serverId).meter.setProfile(profile, this.#clock.nowMs())
  }

  /**
   * Re-registers servers the core knows, after a restart emptied the simulator. Existing entries are
   * replaced. A server whose power state is NOSTATE is left out: it was never created, and a resumed
   * build will spawn it. All hosts are checked before anything changes.
   */
  adopt(servers: readonly AdoptedServer[]): number {
    for (const { spec } of servers) this.#assertHostKnown(spec.host)
    let adopted = 0
    for (const server of servers) {
      if (this.#adoptOne(server, this.#clock.nowMs())) adopted += 1
      else this.#servers.delete(server.spec.serverId)
    }
    return adopted
  }

  /**
   * From now on, a server this process has not seen is looked up in `source` on the first call that
   * names it (spawn excepted: a server being built was never created) and adopted as adopt() would
   * have at this moment: the same console lines, boot time and metrics.
   */
  adoptOnDemand(source: AdoptionSource): void {
    this.#source = source
    this.#adoptedAtMs = this.#clock.nowMs()
  }

  /** The guest dies on its own: power state CRASHED, reported through DriverEvents. */
  simulateCrash(serverId: string): void {
    const record = this.#require(serverId)
    const nowMs = this.#clock.nowMs()
    this.#append(record, [
      panicLine(this.#uptimeMs(record)),
      eventLine(nowMs, 'crash', record.spec),
    ])
    record.meter.setRunning(false, nowMs)
    this.#setSpontaneous(record, PowerState.CRASHED)
  }

  /** The guest powers itself off (`shutdown -h now` inside): SHUTDOWN, reported through DriverEvents. */
  simulateGuestShutdown(serverId: string): void {
    const record = this.#require(serverId)
    if (record.powerState === PowerState.SHUTDOWN) return
    this.#stop(record, 'shutdown')
    this.#setSpontaneous(record, PowerState.SHUTDOWN)
  }

  listServers(): SimulatedServerInfo[] {
    return [...this.#servers.values()].map(info)
  }

  describeServer(serverId: string): SimulatedServerInfo | undefined {
    const record = this.#servers.get(serverId)
    return record === undefined ? undefined : info(record)
  }

  /**
   * Forgets every server and fault. Operations still pending finish their wait at once and then fail,
   * so nothing started before the reset can leak into the new state.
   */
  reset(): void {
    this.#epoch += 1
    this.#servers.clear()
    this.#spawning.clear()
    this.#adopting.clear()
    this.#destroyed.clear()
    this.#faults.clear()
    this.#progression.completeAll()
    this.#progression.forgetAll()
  }

  /** Stops listening to the clock and releases pending waits. */
  dispose(): void {
    this.#epoch += 1
    this.#progression.dispose()
  }

  // ---- internals -----------------------------------------------------------------------------------

  /** Registers an adopted server as of `atMs`; false (and nothing registered) when it was never created. */
  #adoptOne({ spec, powerState }: AdoptedServer, atMs: number): boolean {
    if (powerState === PowerState.NOSTATE) return false
    const record = this.#newRecord(spec, powerState, true, atMs)
    this.#servers.set(spec.serverId, record)
    this.#append(record, [eventLine(atMs, 'adopt', spec, `power state ${stateName(powerState)}`)])
    if (powerState === PowerState.RUNNING) this.#boot(record, true, atMs)
    return true
  }

  /**
   * Settles once the server is registered if the adoption source has it; undefined (nothing to wait
   * for) when it is registered already, being spawned, destroyed here, or there is no source. Callers
   * only await a promise, so that a call on a known server runs in the same tick, as it always did.
   */
  #adopted(serverId: string): Promise<void> | undefined {
    const source = this.#source
    if (source === undefined || this.#servers.has(serverId) || this.#spawning.has(serverId) || this.#destroyed.has(serverId)) {
      return undefined
    }
    let adopting = this.#adopting.get(serverId)
    if (adopting === undefined) {
      const epoch = this.#epoch
      adopting = source.server(serverId).then((server) => {
        if (server === undefined || epoch !== this.#epoch || this.#servers.has(serverId) || this.#destroyed.has(serverId)) return
        this.#assertHostKnown(server.spec.host)
        this.#adoptOne(server, this.#adoptedAtMs)
      }).finally(() => {
        if (this.#adopting.get(serverId) === adopting) this.#adopting.delete(serverId)
      })
      this.#adopting.set(serverId, adopting)
    }
    return adopting
  }

  /** #operate, once the server is adopted; at once (in the same tick) when it is known already. */
  #operateAdopted<T>(plan: OperationPlan, apply: (record: ServerRecord) => T): Promise<T> {
    const adopting = this.#adopted(plan.serverId)
    return adopting === undefined ? this.#operate(plan, apply) : adopting.then(() => this.#operate(plan, apply))
  }

  async #spawn(spec: ServerSpec): Promise<void> {
    const epoch = this.#epoch
    const fault = this.#faults.take('spawn', spec.host, spec.serverId)
    const waiting = this.#progression.wait({ operation: 'spawn', serverId: spec.serverId, host: spec.host })
    if (waiting !== undefined) await waiting
    this.#assertEpoch(epoch, 'spawn', spec.serverId)
    if (fault !== undefined) throw injectedFaultError(fault)
    this.#assertHostUp(spec.host)
    const existing = this.#servers.get(spec.serverId)
    if (existing !== undefined) {
      this.#assertSameHost(spec.serverId, existing.spec.host, spec.host)
      return
    }
    const record = this.#newRecord(spec, PowerState.NOSTATE, false)
    this.#servers.set(spec.serverId, record)
    this.#boot(record, true)
  }

  /**
   * The common shape of an operation on an existing server: checks, counting a fault, waiting the
   * simulated duration (registered synchronously, so an advance right after the call counts), then
   * checking again, since the server may have changed or vanished meanwhile, and applying.
   */
  #operate<T>(
    plan: OperationPlan,
    apply: (record: ServerRecord) => T,
    onVanished: () => T = () => { throw unknownServerError(plan.serverId) },
  ): Promise<T> {
    let fault: InjectedFault | undefined
    let host: string
    try {
      const record = this.#require(plan.serverId)
      this.#assertOperable(record, plan)
      plan.guard?.(record)
      host = record.spec.host
      fault = this.#faults.take(plan.fault, plan.targetHost ?? host, plan.serverId)
    } catch (error) {
      return Promise.reject(error)
    }
    const epoch = this.#epoch
    const waiting = this.#progression.wait({ operation: plan.operation, serverId: plan.serverId, host })
    const finish = (): T => {
      this.#assertEpoch(epoch, plan.operation, plan.serverId)
      if (fault !== undefined) throw injectedFaultError(fault)
      const record = this.#servers.get(plan.serverId)
      if (record === undefined) return onVanished()
      this.#assertOperable(record, plan)
      plan.guard?.(record)
      return apply(record)
    }
    if (waiting === undefined) {
      try {
        return Promise.resolve(finish())
      } catch (error) {
        return Promise.reject(error)
      }
    }
    return waiting.then(finish)
  }

  #assertOperable(record: ServerRecord, plan: OperationPlan): void {
    if (!plan.sourceMayBeDown) this.#assertHostUp(record.spec.host)
    if (plan.targetHost !== undefined) this.#assertHostUsable(plan.targetHost)
  }

  #readable(serverId: string, operation: FaultableOperation): ServerRecord {
    const record = this.#require(serverId)
    this.#assertHostUp(record.spec.host)
    const fault = this.#faults.take(operation, record.spec.host, serverId)
    if (fault !== undefined) throw injectedFaultError(fault)
    return record
  }

  #newRecord(spec: ServerSpec, powerState: PowerState, adopted: boolean, nowMs = this.#clock.nowMs()): ServerRecord {
    return {
      spec,
      powerState,
      bootCount: 0,
      bootedAtMs: null,
      kernelStartMs: nowMs,
      console: new ConsoleBuffer(),
      volumes: new Map(spec.disks.flatMap((disk) => disk.volumeId === null ? [] : [[disk.volumeId, disk] as const])),
      nics: new Map(spec.nics.map((nic) => [nic.portId, nic] as const)),
      meter: new MetricsMeter(nowMs, false),
      adopted,
    }
  }

  /** Brings the guest up; `freshProcess` when a new VM process starts, so NIC counters restart at 0. */
  #boot(record: ServerRecord, freshProcess: boolean, nowMs = this.#clock.nowMs()): void {
    const boot: BootContext = {
      spec: record.spec,
      nics: [...record.nics.values()],
      volumes: [...record.volumes.values()],
      startedAtMs: nowMs,
      seed: this.#seed,
      bootCount: record.bootCount,
    }
    // The lines are rendered when the console is read: everything they depend on is fixed here.
    this.#append(record, () => bootLines(boot).lines)
    record.bootCount += 1
    record.kernelStartMs = kernelStartOf(boot)
    record.powerState = PowerState.RUNNING
    if (freshProcess || record.bootedAtMs === null) {
      record.bootedAtMs = nowMs
      record.meter.restart(nowMs, true)
    } else {
      record.meter.setRunning(true, nowMs)
    }
  }

  #stop(record: ServerRecord, event: PowerEvent): void {
    const nowMs = this.#clock.nowMs()
    const lines = [eventLine(nowMs, event, record.spec)]
    // Only a running guest can run its own shutdown sequence; a frozen one is simply cut off.
    if (record.powerState === PowerState.RUNNING) lines.unshift(...shutdownLines(record.spec, this.#uptimeMs(record), false))
    this.#append(record, lines)
    record.meter.setRunning(false, nowMs)
    record.powerState = PowerState.SHUTDOWN
  }

  #freeze(record: ServerRecord, state: PowerState, event: PowerEvent): void {
    if (record.powerState === state) return
    const nowMs = this.#clock.nowMs()
    this.#append(record, [eventLine(nowMs, event, record.spec)])
    record.meter.setRunning(false, nowMs)
    record.powerState = state
  }

  #thaw(record: ServerRecord, event: PowerEvent): void {
    if (record.powerState === PowerState.RUNNING) return
    const nowMs = this.#clock.nowMs()
    this.#append(record, [eventLine(nowMs, event, record.spec)])
    record.meter.setRunning(true, nowMs)
    record.powerState = PowerState.RUNNING
  }

  #setSpontaneous(record: ServerRecord, state: PowerState): void {
    record.powerState = state
    this.#events?.powerStateChanged(record.spec.serverId, state)
  }

  #append(record: ServerRecord, lines: readonly string[] | (() => readonly string[])): void {
    record.console.append(lines)
  }

  #uptimeMs(record: ServerRecord): number {
    return Math.max(0, this.#clock.nowMs() - record.kernelStartMs)
  }

  #volumeHolder(volumeId: string): string | undefined {
    for (const [serverId, record] of this.#servers) {
      if (record.volumes.has(volumeId)) return serverId
    }
    return undefined
  }

  #require(serverId: string): ServerRecord {
    const record = this.#servers.get(serverId)
    if (record === undefined) throw unknownServerError(serverId)
    return record
  }

  #requireState(record: ServerRecord, action: string, allowed: readonly PowerState[]): void {
    if (!allowed.includes(record.powerState)) {
      throw new DriverError('invalid_power_state',
        `cannot ${action} server ${record.spec.serverId} in power state ${stateName(record.powerState)}`)
    }
  }

  #assertHostKnown(host: string): void {
    if (!this.#hosts.has(host)) {
      throw new DriverError('unknown_host', `host ${host} is not a host of the simulated driver`)
    }
  }

  #assertHostUp(host: string): void {
    if (this.#faults.isHostDown(host)) throw hostDownError(host)
  }

  #assertHostUsable(host: string): void {
    this.#assertHostKnown(host)
    this.#assertHostUp(host)
  }

  #assertSameHost(serverId: string, actual: string, requested: string): void {
    if (actual !== requested) {
      throw new DriverError('conflict', `server ${serverId} already exists on host ${actual}, not ${requested}`)
    }
  }

  #assertEpoch(epoch: number, operation: string, serverId: string): void {
    if (epoch !== this.#epoch) {
      throw new DriverError('conflict', `the simulator was reset or shut down while ${operation} of server ${serverId} was in progress`)
    }
  }
}

function info(record: ServerRecord): SimulatedServerInfo {
  return {
    serverId: record.spec.serverId,
    host: record.spec.host,
    powerState: record.powerState,
    spec: record.spec,
    bootedAt: record.bootedAtMs === null ? null : new Date(record.bootedAtMs),
    volumes: [...record.volumes.values()],
    nics: [...record.nics.values()],
    metricsProfile: record.meter.profile,
  }
}

function stateName(state: PowerState): string {
  return POWER_STATE_NAMES.get(state) ?? String(state)
}
