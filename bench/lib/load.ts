/**
 * Load generation with autocannon's programmatic API, one client setting for every target so the
 * ratios to the ceiling compare like with like. Autocannon's own latency histogram keeps whole
 * milliseconds, too coarse here, so percentiles come from each response's fractional time instead.
 */
import autocannon from 'autocannon'
import { percentile } from './http.ts'

export interface LoadSettings {
  readonly connections: number
  readonly durationSeconds: number
  /** A discarded run first, so the JIT and caches are warm when measuring. */
  readonly warmupSeconds: number
}

export interface LoadResult {
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly requests: number
  readonly errors: number
  readonly non2xx: number
}

async function fire(url: string, headers: Record<string, string>, connections: number, durationSeconds: number, latencies: number[] | null) {
  const instance = autocannon({ url, headers, connections, duration: durationSeconds, pipelining: 1 })
  if (latencies) {
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs)
    })
  }
  return instance
}

export async function runLoad(url: string, headers: Record<string, string>, settings: LoadSettings): Promise<LoadResult> {
  if (settings.warmupSeconds > 0) await fire(url, headers, settings.connections, settings.warmupSeconds, null)
  const latencies: number[] = []
  const result = await fire(url, headers, settings.connections, settings.durationSeconds, latencies)
  const failed = result.errors + result.timeouts + result.non2xx
  if (failed > 0 && failed >= result.requests.total) {
    throw new Error(`every request to ${url} failed (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`)
  }
  latencies.sort((a, b) => a - b)
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}
