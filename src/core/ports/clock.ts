/**
 * All time the core and the simulated driver read comes from a Clock, so that tests and the admin API
 * can move time forward (`POST /_admin/clock/advance`) instead of sleeping.
 */
export interface Clock {
  /** Current time. */
  now(): Date
  /** Milliseconds since the epoch, the same instant as now(). */
  nowMs(): number
  /** Resolves once the clock has reached now() + ms (real time passing, or an advance). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}
