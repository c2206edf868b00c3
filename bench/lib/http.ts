/** Small JSON-over-HTTP helpers for setup and for timing single requests; load itself goes through load.ts. */

export interface JsonResponse {
  readonly status: number
  readonly body: any
  readonly headers: Headers
}

export async function requestJson(method: string, url: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<JsonResponse> {
  const response = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await response.text()
  let body: unknown = null
  if (text !== '') {
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
  }
  return { status: response.status, body, headers: response.headers }
}

/** Like requestJson, but anything other than the expected status is an error naming the call. */
export async function expectJson(status: number | readonly number[], method: string, url: string,
  options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<JsonResponse> {
  const response = await requestJson(method, url, options)
  const expected = typeof status === 'number' ? [status] : status
  if (!expected.includes(response.status)) {
    throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`)
  }
  return response
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Percentile of already-sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

/** Runs `work(index)` for every index in [0, count) with at most `concurrency` in flight. */
export async function runConcurrently(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count) await work(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}
