import type { Clock } from '../ports/clock.ts'

/** Called after the clock moved forward by `ms` through advance() or a forward set(). */
export type AdvanceListener = (ms: number) => void

/**
 * A Clock whose time can also be moved by hand. The simulated driver's manual progression subscribes
 * to onAdvance so that its virtual timeline moves only when someone advances the clock, never with
 * real time.
 */
export interface AdvanceableClock extends Clock {
  advance(ms: number): Date
  /** Returns a function that unsubscribes. */
  onAdvance(listener: AdvanceListener): () => void
}

export function isAdvanceableClock(clock: Clock): clock is AdvanceableClock {
  const candidate = clock as Partial<AdvanceableClock>
  return typeof candidate.advance === 'function' && typeof candidate.onAdvance === 'function'
}

export interface ControllableClockOptions {
  /** Start frozen at this instant: time then moves only through advance() and set(). */
  readonly frozenAt?: Date
}

interface Sleeper {
  readonly seq: number
  readonly targetMs: number
  readonly resolve: () => void
  readonly reject: (reason: unknown) => void
  readonly signal: AbortSignal | undefined
  readonly onAbort: () => void
  timer: ReturnType<typeof setTimeout> | undefined
}

// setTimeout treats larger delays as 1 ms; longer sleeps re-arm when the capped timer fires.
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1

/**
 * Real time plus an offset, or a frozen instant plus an offset. The same instance serves production
 * (`POST /_admin/clock/advance` jumps forward without waiting) and tests (frozen, so that nothing
 * happens unless the test advances it).
 */
export class ControllableClock implements AdvanceableClock {
  #frozenBaseMs: number | null
  #offsetMs = 0
  #seq = 0
  readonly #sleepers = new Set<Sleeper>()
  readonly #listeners = new Set<AdvanceListener>()

  constructor(options: ControllableClockOptions = {}) {
    this.#frozenBaseMs = options.frozenAt === undefined ? null : options.frozenAt.getTime()
  }

  now(): Date {
    return new Date(this.nowMs())
  }

  nowMs(): number {
    return (this.#frozenBaseMs ?? Date.now()) + this.#offsetMs
  }

  get frozen(): boolean {
    return this.#frozenBaseMs !== null
  }

  /** How many sleep() calls are still waiting. */
  get pendingSleeps(): number {
    return this.#sleepers.size
  }

  /** The clock time at which the earliest pending sleep wakes, or null when none waits. */
  nextWakeAt(): Date | null {
    let earliest: number | null = null
    for (const sleeper of this.#sleepers) {
      if (earliest === null || sleeper.targetMs < earliest) earliest = sleeper.targetMs
    }
    return earliest === null ? null : new Date(earliest)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    const targetMs = this.nowMs() + Math.max(0, Number.isFinite(ms) ? ms : 0)
    if (targetMs <= this.nowMs()) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        seq: this.#seq++,
        targetMs,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#remove(sleeper)
          reject(signal?.reason)
        },
        timer: undefined,
      }
      this.#sleepers.add(sleeper)
      signal?.addEventListener('abort', sleeper.onAbort, { once: true })
      this.#arm(sleeper)
    })
  }

  /**
   * Moves time forward by `ms` and wakes, in target order, every sleep whose target is now reached.
   * Wakes happen synchronously; the awaiting code runs on the following microtasks.
   */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs a finite, non-negative ms, got ${ms}`)
    this.#offsetMs += ms
    this.#wakeReached()
    if (ms > 0) for (const listener of [...this.#listeners]) listener(ms)
    return this.now()
  }

  /**
   * Advances in steps, stopping at each pending sleep's target and yielding a macrotask turn after it,
   * so that code woken by one sleep can start the next one and still be woken within this call.
   */
  async advanceAsync(ms: number): Promise<Date> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs a finite, non-negative ms, got ${ms}`)
    const endMs = this.nowMs() + ms
    await yieldTurn()
    for (;;) {
      const next = this.nextWakeAt()?.getTime()
      if (next === undefined || next > endMs) break
      this.advance(Math.max(0, next - this.nowMs()))
      await yieldTurn()
    }
    this.advance(Math.max(0, endMs - this.nowMs()))
    await yieldTurn()
    return this.now()
  }

  /**
   * Jumps to `date`. Forward counts as an advance (sleeps wake, listeners hear the delta); backward
   * only moves the reading, and pending sleeps then wait longer.
   */
  set(date: Date): Date {
    const delta = date.getTime() - this.nowMs()
    if (delta >= 0) return this.advance(delta)
    this.#offsetMs += delta
    for (const sleeper of this.#sleepers) this.#arm(sleeper)
    return this.now()
  }

  /** Stops real time from moving this clock; only advance() and set() move it afterwards. */
  freeze(): void {
    if (this.#frozenBaseMs !== null) return
    this.#frozenBaseMs = Date.now()
    for (const sleeper of this.#sleepers) this.#disarm(sleeper)
  }

  /** Lets real time move the clock again, from the instant it shows now. */
  unfreeze(): void {
    if (this.#frozenBaseMs === null) return
    const shown = this.nowMs()
    this.#frozenBaseMs = null
    this.#offsetMs = shown - Date.now()
    for (const sleeper of this.#sleepers) this.#arm(sleeper)
  }

  onAdvance(listener: AdvanceListener): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  #wakeReached(): void {
    const nowMs = this.nowMs()
    const reached = [...this.#sleepers]
      .filter((sleeper) => sleeper.targetMs <= nowMs)
      .sort((a, b) => a.targetMs - b.targetMs || a.seq - b.seq)
    for (const sleeper of reached) {
      this.#remove(sleeper)
      sleeper.resolve()
    }
  }

  #remove(sleeper: Sleeper): void {
    this.#sleepers.delete(sleeper)
    this.#disarm(sleeper)
    sleeper.signal?.removeEventListener('abort', sleeper.onAbort)
  }

  #arm(sleeper: Sleeper): void {
    this.#disarm(sleeper)
    if (this.#frozenBaseMs !== null) return
    const delay = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, sleeper.targetMs - this.nowMs()))
    sleeper.timer = setTimeout(() => {
      sleeper.timer = undefined
      if (!this.#sleepers.has(sleeper)) return
      // The reading may have been moved back by set(), or the delay capped: check before waking.
      if (sleeper.targetMs <= this.nowMs()) this.#wakeReached()
      else this.#arm(sleeper)
    }, delay)
  }

  #disarm(sleeper: Sleeper): void {
    if (sleeper.timer !== undefined) clearTimeout(sleeper.timer)
    sleeper.timer = undefined
  }
}

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
