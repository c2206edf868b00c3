import type { Clock } from '../../core/ports/clock.ts'
import { isAdvanceableClock } from '../../core/shared/controllable-clock.ts'
import { unitHash } from './deterministic.ts'

/** Operations that take simulated time. `rebootHard` is the duration of reboot(id, 'hard'). */
export type TimedOperation =
  | 'spawn' | 'destroy' | 'powerOn' | 'powerOff' | 'reboot' | 'rebootHard'
  | 'pause' | 'unpause' | 'suspend' | 'resume' | 'resize' | 'rebuild' | 'snapshot'
  | 'attachVolume' | 'detachVolume' | 'attachInterface' | 'detachInterface'

export type OperationDurations = Readonly<Record<TimedOperation, number>>

/** Typical durations on a small KVM host, in milliseconds, before jitter and speed. */
export const DEFAULT_DURATIONS_MS: OperationDurations = {
  spawn: 3000,
  destroy: 500,
  powerOn: 1500,
  powerOff: 1500,
  reboot: 2000,
  rebootHard: 1000,
  pause: 500,
  unpause: 500,
  suspend: 1500,
  resume: 1500,
  resize: 3000,
  rebuild: 3000,
  snapshot: 2000,
  attachVolume: 500,
  detachVolume: 500,
  attachInterface: 500,
  detachInterface: 500,
}

interface DurationOptions {
  /** Overrides for some operations' base durations (ms). */
  readonly durations?: Partial<OperationDurations>
  /** Relative jitter, 0..1: 0.3 means each duration is drawn from base × [0.7, 1.3]. Default 0.3. */
  readonly jitter?: number
  /** Speed-up factor: durations are divided by it (2 = twice as fast). Default 1. */
  readonly speed?: number
}

/**
 * How simulated operations take time (moto's ManagedState, driven by the clock):
 * - immediate: every operation completes at once, no timers;
 * - timed: each operation waits its duration on clock.sleep, so real time or a clock advance ends it;
 * - manual: each operation waits its duration on a virtual timeline that moves only when the clock is
 *   advanced (needs a clock with onAdvance, such as ControllableClock), never with real time.
 */
export type ProgressionPolicy =
  | { readonly mode: 'immediate' }
  | ({ readonly mode: 'timed' } & DurationOptions)
  | ({ readonly mode: 'manual' } & DurationOptions)

export type ProgressionMode = ProgressionPolicy['mode']

export interface OperationContext {
  readonly operation: TimedOperation
  readonly serverId: string
  readonly host: string
}

export interface PendingOperation extends OperationContext {
  readonly id: number
  readonly mode: 'timed' | 'manual'
  readonly startedAt: Date
  readonly durationMs: number
  /** For manual waits: advanced time still needed. For timed waits: clock time still needed. */
  readonly remainingMs: number
}

interface PendingWait extends OperationContext {
  readonly id: number
  readonly startedAtMs: number
  readonly durationMs: number
  mode: 'timed' | 'manual'
  /** Manual waits: the point on the virtual timeline at which they complete. */
  virtualTargetMs: number
  /** Timed waits: the clock time at which they complete. */
  clockTargetMs: number
  timer: AbortController | null
  readonly release: () => void
}

/**
 * Turns a policy into waits. Durations are jittered deterministically from the seed, the server, the
 * operation and how many times that server ran it, so concurrent work on other servers cannot change
 * them and a seeded run replays identically.
 */
export class Progression {
  readonly #clock: Clock
  readonly #seed: number
  #policy: ProgressionPolicy
  #virtualNowMs = 0
  #nextId = 1
  readonly #pending = new Set<PendingWait>()
  /** Per server, how many times each operation ran: the jitter's input besides seed and names. */
  readonly #runs = new Map<string, Map<TimedOperation, number>>()
  readonly #unsubscribe: (() => void) | null

  constructor(clock: Clock, policy: ProgressionPolicy, seed: number) {
    this.#clock = clock
    this.#seed = seed
    validatePolicy(policy)
    this.#assertSupported(policy)
    this.#policy = policy
    this.#unsubscribe = isAdvanceableClock(clock) ? clock.onAdvance((ms) => this.#onAdvance(ms)) : null
  }

  get policy(): ProgressionPolicy {
    return this.#policy
  }

  /**
   * Switches mode. Waits already pending follow the new mode from where they are: to immediate they
   * complete now; manual waits moved to timed get a clock sleep of their remaining time; timed waits
   * moved to manual keep their clock sleep and also complete once enough time has been advanced.
   */
  setPolicy(policy: ProgressionPolicy): void {
    validatePolicy(policy)
    this.#assertSupported(policy)
    this.#policy = policy
    if (policy.mode === 'immediate') {
      this.completeAll()
      return
    }
    const nowMs = this.#clock.nowMs()
    for (const wait of this.#pending) {
      if (policy.mode === 'timed' && wait.mode === 'manual') {
        const remaining = Math.max(0, wait.virtualTargetMs - this.#virtualNowMs)
        wait.mode = 'timed'
        this.#startTimer(wait, remaining)
      } else if (policy.mode === 'manual' && wait.mode === 'timed') {
        wait.mode = 'manual'
        wait.virtualTargetMs = this.#virtualNowMs + Math.max(0, wait.clockTargetMs - nowMs)
      }
    }
  }

  /**
   * Waits for the operation's simulated duration. The wait is registered synchronously, so a clock
   * advance made right after the call already counts.
   */
  wait(context: OperationContext): Promise<void> | undefined {
    const policy = this.#policy
    if (policy.mode === 'immediate') return undefined
    let runs = this.#runs.get(context.serverId)
    if (runs === undefined) this.#runs.set(context.serverId, runs = new Map())
    const run = runs.get(context.operation) ?? 0
    runs.set(context.operation, run + 1)
    const durationMs = this.#duration(context, run)
    if (durationMs <= 0) return undefined
    return new Promise<void>((resolve) => {
      const nowMs = this.#clock.nowMs()
      const wait: PendingWait = {
        ...context,
        id: this.#nextId++,
        startedAtMs: nowMs,
        durationMs,
        mode: policy.mode,
        virtualTargetMs: this.#virtualNowMs + durationMs,
        clockTargetMs: nowMs + durationMs,
        timer: null,
        release: () => {
          if (!this.#pending.delete(wait)) return
          wait.timer?.abort()
          resolve()
        },
      }
      this.#pending.add(wait)
      if (policy.mode === 'timed') this.#startTimer(wait, durationMs)
    })
  }

  pending(): PendingOperation[] {
    const nowMs = this.#clock.nowMs()
    return [...this.#pending].sort((a, b) => a.id - b.id).map((wait) => ({
      id: wait.id,
      operation: wait.operation,
      serverId: wait.serverId,
      host: wait.host,
      mode: wait.mode,
      startedAt: new Date(wait.startedAtMs),
      durationMs: wait.durationMs,
      remainingMs: wait.mode === 'manual'
        ? Math.max(0, wait.virtualTargetMs - this.#virtualNowMs)
        : Math.max(0, wait.clockTargetMs - nowMs),
    }))
  }

  /** Completes every pending wait now; returns how many there were. */
  completeAll(): number {
    const waits = [...this.#pending].sort((a, b) => a.id - b.id)
    for (const wait of waits) wait.release()
    return waits.length
  }

  /** Drops what is remembered about a server that no longer exists. */
  forget(serverId: string): void {
    this.#runs.delete(serverId)
  }

  /** Forgets every server, as after a simulator reset. */
  forgetAll(): void {
    this.#runs.clear()
  }

  dispose(): void {
    this.#unsubscribe?.()
    this.completeAll()
  }

  #onAdvance(ms: number): void {
    this.#virtualNowMs += ms
    const reached = [...this.#pending]
      .filter((wait) => wait.mode === 'manual' && wait.virtualTargetMs <= this.#virtualNowMs)
      .sort((a, b) => a.virtualTargetMs - b.virtualTargetMs || a.id - b.id)
    for (const wait of reached) wait.release()
  }

  #startTimer(wait: PendingWait, ms: number): void {
    const controller = new AbortController()
    wait.timer = controller
    wait.clockTargetMs = this.#clock.nowMs() + ms
    this.#clock.sleep(ms, controller.signal).then(wait.release, () => {
      // Aborted because the wait was released some other way.
    })
  }

  #duration(context: OperationContext, run: number): number {
    const policy = this.#policy
    if (policy.mode === 'immediate') return 0
    const base = policy.durations?.[context.operation] ?? DEFAULT_DURATIONS_MS[context.operation]
    const jitter = policy.jitter ?? 0.3
    const speed = policy.speed ?? 1
    const factor = 1 + jitter * (2 * unitHash(this.#seed, context.operation, context.serverId, run) - 1)
    return Math.max(0, Math.round((base * factor) / speed))
  }

  #assertSupported(policy: ProgressionPolicy): void {
    if (policy.mode === 'manual' && !isAdvanceableClock(this.#clock)) {
      throw new Error('manual progression needs a clock that can be advanced (ControllableClock)')
    }
  }
}

function validatePolicy(policy: ProgressionPolicy): void {
  if (policy.mode === 'immediate') return
  if (policy.speed !== undefined && !(policy.speed > 0 && Number.isFinite(policy.speed))) {
    throw new RangeError(`progression speed must be a positive number, got ${policy.speed}`)
  }
  if (policy.jitter !== undefined && !(policy.jitter >= 0 && policy.jitter <= 1)) {
    throw new RangeError(`progression jitter must be between 0 and 1, got ${policy.jitter}`)
  }
  for (const [operation, ms] of Object.entries(policy.durations ?? {})) {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`duration of ${operation} must be >= 0, got ${ms}`)
  }
}
