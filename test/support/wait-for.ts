/**
 * Bounded polling for tests that watch another process or real time (Nova's _wait_for_state_change):
 * the check is repeated until it returns a value other than undefined/false, and the wait fails with a
 * message naming what it waited for and the last thing it saw once the bound passes. The bound is
 * generous on purpose: it is a safety net against a hang, never a measurement.
 */
import { setTimeout as delay } from 'node:timers/promises'

export interface WaitOptions {
  /** What the wait is for, in words, for the failure message. */
  readonly what: string
  readonly timeoutMs?: number
  readonly intervalMs?: number
  /** Describes the last observation in the failure message (default: JSON of the last check result). */
  readonly describe?: () => string | Promise<string>
}

export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const intervalMs = options.intervalMs ?? 50
  const startedAt = Date.now()
  let lastError: unknown
  for (;;) {
    try {
      const result = await check()
      if (result !== undefined && result !== false) return result
      lastError = undefined
    } catch (error) {
      lastError = error
    }
    if (Date.now() - startedAt >= timeoutMs) {
      const detail = lastError !== undefined
        ? `; last check threw: ${lastError instanceof Error ? lastError.message : String(lastError)}`
        : options.describe ? `; last seen: ${await options.describe()}` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}${detail}`)
    }
    await delay(intervalMs)
  }
}
