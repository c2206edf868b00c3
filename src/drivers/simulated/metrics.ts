import { PowerState } from '../../core/ports/hypervisor-driver.ts'
import type { ServerMetrics } from '../../core/ports/hypervisor-driver.ts'
import { DriverError } from './driver-error.ts'

/**
 * What a simulated guest is doing: cpu and memory in percent, network as per-second rates. An admin
 * call sets it (autoscaling tests push cpu to 90 and watch a scale-out).
 */
export interface MetricsProfile {
  readonly cpu: number
  readonly memory: number
  readonly networkInBytes: number
  readonly networkOutBytes: number
  readonly networkInPackets: number
  readonly networkOutPackets: number
}

/** An idle cloud image: a little cpu for agents, a fifth of memory, a trickle of ARP/NTP traffic. */
export const DEFAULT_METRICS_PROFILE: MetricsProfile = {
  cpu: 2,
  memory: 20,
  networkInBytes: 1200,
  networkOutBytes: 800,
  networkInPackets: 10,
  networkOutPackets: 8,
}

type Counters = { inBytes: number; outBytes: number; inPackets: number; outPackets: number }

/**
 * Network counters are the integral of the profile's rates over clock time while the guest runs. The
 * meter folds the elapsed time into the counters before every rate or power change, so a new profile
 * only affects time after it and the counters never go backwards.
 */
export class MetricsMeter {
  #profile: MetricsProfile
  #counters: Counters = { inBytes: 0, outBytes: 0, inPackets: 0, outPackets: 0 }
  #countedAtMs: number
  #running: boolean

  constructor(nowMs: number, running: boolean, profile: MetricsProfile = DEFAULT_METRICS_PROFILE) {
    this.#countedAtMs = nowMs
    this.#running = running
    this.#profile = profile
  }

  get profile(): MetricsProfile {
    return this.#profile
  }

  setProfile(change: Partial<MetricsProfile>, nowMs: number): MetricsProfile {
    const next = { ...this.#profile, ...definedOnly(change) }
    validateProfile(next)
    this.#accrue(nowMs)
    this.#profile = next
    return next
  }

  /** Records a power change; counters keep running only while the guest runs. */
  setRunning(running: boolean, nowMs: number): void {
    this.#accrue(nowMs)
    this.#running = running
  }

  /** A fresh guest process (boot from off, hard reboot, rebuild, resize): its NIC counters start at 0. */
  restart(nowMs: number, running: boolean): void {
    this.#counters = { inBytes: 0, outBytes: 0, inPackets: 0, outPackets: 0 }
    this.#countedAtMs = nowMs
    this.#running = running
  }

  sample(nowMs: number, powerState: PowerState): ServerMetrics {
    const counters = this.#countersAt(nowMs)
    const running = powerState === PowerState.RUNNING
    // A paused guest keeps its memory but uses no cpu; stopped or suspended ones hold neither.
    const holdsMemory = running || powerState === PowerState.PAUSED
    return {
      cpuPercent: running ? this.#profile.cpu : 0,
      memoryPercent: holdsMemory ? this.#profile.memory : 0,
      networkInBytes: Math.floor(counters.inBytes),
      networkOutBytes: Math.floor(counters.outBytes),
      networkInPackets: Math.floor(counters.inPackets),
      networkOutPackets: Math.floor(counters.outPackets),
      sampledAt: new Date(nowMs),
    }
  }

  #accrue(nowMs: number): void {
    this.#counters = this.#countersAt(nowMs)
    this.#countedAtMs = Math.max(this.#countedAtMs, nowMs)
  }

  #countersAt(nowMs: number): Counters {
    // The clock may be set backwards; elapsed time is then zero rather than negative.
    const seconds = this.#running ? Math.max(0, nowMs - this.#countedAtMs) / 1000 : 0
    const profile = this.#profile
    return {
      inBytes: this.#counters.inBytes + profile.networkInBytes * seconds,
      outBytes: this.#counters.outBytes + profile.networkOutBytes * seconds,
      inPackets: this.#counters.inPackets + profile.networkInPackets * seconds,
      outPackets: this.#counters.outPackets + profile.networkOutPackets * seconds,
    }
  }
}

const PROFILE_FIELDS = [
  'cpu', 'memory', 'networkInBytes', 'networkOutBytes', 'networkInPackets', 'networkOutPackets',
] as const

// Admin input arrives as JSON: keep only the known fields that were actually given.
function definedOnly(change: Partial<MetricsProfile>): Partial<MetricsProfile> {
  const picked: Partial<Record<keyof MetricsProfile, number>> = {}
  for (const field of PROFILE_FIELDS) {
    const value = change[field]
    if (value !== undefined) picked[field] = value
  }
  return picked
}

function validateProfile(profile: MetricsProfile): void {
  for (const field of ['cpu', 'memory'] as const) {
    const value = profile[field]
    if (!(Number.isFinite(value) && value >= 0 && value <= 100)) {
      throw new DriverError('bad_request', `metrics ${field} must be a percentage between 0 and 100, got ${value}`)
    }
  }
  for (const field of ['networkInBytes', 'networkOutBytes', 'networkInPackets', 'networkOutPackets'] as const) {
    const value = profile[field]
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new DriverError('bad_request', `metrics ${field} must be a non-negative rate per second, got ${value}`)
    }
  }
}
