// autocannon ships no types; this covers the part of its programmatic API the bench uses.
declare module 'autocannon' {
  interface Histogram {
    readonly average: number
    readonly p50: number
    readonly p99: number
    readonly total: number
  }
  interface Result {
    readonly requests: Histogram
    readonly latency: Histogram
    readonly duration: number
    readonly errors: number
    readonly timeouts: number
    readonly non2xx: number
  }
  interface Options {
    readonly url: string
    readonly headers?: Record<string, string>
    readonly connections?: number
    readonly duration?: number
    readonly pipelining?: number
  }
  /** The running job: a thenable emitter ('response' gives each answer's latency in fractional ms). */
  interface Instance extends PromiseLike<Result> {
    on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): this
  }
  function autocannon(options: Options): Instance
  export default autocannon
}
