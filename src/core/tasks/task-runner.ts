import type { Clock } from '../ports/clock.ts'
import type { Repositories, Store } from '../ports/store.ts'
import type { Task } from './task.ts'
import type { TaskQueue } from './task-queue.ts'
import { PermanentTaskError, type TaskRegistry } from './task-registry.ts'

export interface TaskRunnerOptions {
  readonly workerId: string
  /** Tasks run at once by this worker. */
  readonly concurrency: number
  /** How long a claim lasts without a heartbeat; a worker that dies loses its tasks after this. */
  readonly leaseMs: number
  /** Idle poll interval (tasks from other processes, delayed tasks). */
  readonly pollMs: number
  readonly retryBaseMs: number
  readonly retryMaxMs: number
}

export interface TaskLogger {
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

const silentLogger: TaskLogger = { warn: () => undefined, error: () => undefined }

/**
 * Claims due tasks in batches with a lease, runs their handlers, heartbeats while they run, retries
 * with exponential backoff, and fails a task for good at its deadline (its handler's onFailure then
 * explains the failure on the resource). Several runners, in one or many processes, may share a store.
 */
export class TaskRunner {
  readonly #store: Store
  readonly #registry: TaskRegistry
  readonly #clock: Clock
  readonly #options: TaskRunnerOptions
  readonly #logger: TaskLogger
  readonly #inflight = new Map<string, Promise<void>>()
  readonly #abort = new AbortController()
  #wake: (() => void) | null = null
  #wakePending = false
  #loop: Promise<void> | null = null
  #unsubscribe: (() => void) | null = null
  #timers: NodeJS.Timeout[] = []

  constructor(store: Store, registry: TaskRegistry, queue: TaskQueue, clock: Clock, options: TaskRunnerOptions,
    logger: TaskLogger = silentLogger) {
    this.#store = store
    this.#registry = registry
    this.#clock = clock
    this.#options = options
    this.#logger = logger
    this.#unsubscribe = queue.onWake(() => this.#signal())
  }

  get workerId(): string {
    return this.#options.workerId
  }

  /** Starts the background loop. Tasks a dead worker left running come back once their lease expires. */
  start(): void {
    if (this.#loop) return
    this.#loop = this.#run()
    this.#timers.push(setInterval(() => void this.#heartbeat(), Math.max(50, this.#options.leaseMs / 3)))
    this.#timers.push(setInterval(() => void this.#reap(), Math.max(50, this.#options.leaseMs / 2)))
    for (const timer of this.#timers) timer.unref()
  }

  /** Stops claiming, aborts running handlers and waits for them to settle. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('worker shutting down'))
    for (const timer of this.#timers) clearInterval(timer)
    this.#timers = []
    this.#unsubscribe?.()
    this.#signal()
    await this.#loop
    await Promise.allSettled([...this.#inflight.values()])
  }

  /**
   * Runs every due task (and the tasks they enqueue) until none is due; for tests and for the
   * `immediate` progression. Returns the number of tasks run.
   */
  async drain(options: { maxTasks?: number } = {}): Promise<number> {
    const maxTasks = options.maxTasks ?? 100_000
    let ran = 0
    while (ran < maxTasks) {
      await this.#reap()
      const tasks = await this.#claim(this.#options.concurrency)
      if (tasks.length === 0) {
        if (this.#inflight.size === 0) return ran
        await Promise.race(this.#inflight.values())
        continue
      }
      ran += tasks.length
      await Promise.all(tasks.map((task) => this.#execute(task)))
    }
    return ran
  }

  #signal(): void {
    this.#wakePending = true
    this.#wake?.()
  }

  async #run(): Promise<void> {
    const { concurrency, pollMs } = this.#options
    while (!this.#abort.signal.aborted) {
      try {
        const room = concurrency - this.#inflight.size
        if (room <= 0) {
          await Promise.race(this.#inflight.values())
          continue
        }
        this.#wakePending = false
        const tasks = await this.#claim(room)
        for (const task of tasks) {
          const running = this.#execute(task).finally(() => {
            this.#inflight.delete(task.id)
            this.#signal()
          })
          this.#inflight.set(task.id, running)
        }
        if (tasks.length === 0 && !this.#wakePending) await this.#idle(pollMs)
      } catch (error) {
        this.#logger.error('task claim failed', { error: (error as Error).message })
        await this.#idle(pollMs * 10)
      }
    }
  }

  #idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = () => {
        this.#wake = null
        done()
      }
      if (this.#abort.signal.aborted) done()
    })
  }

  async #claim(limit: number): Promise<Task[]> {
    const now = this.#clock.now()
    return this.#store.tasks.claim(this.#options.workerId, now, new Date(now.getTime() + this.#options.leaseMs), limit)
  }

  async #heartbeat(): Promise<void> {
    const ids = [...this.#inflight.keys()]
    if (ids.length === 0) return
    const now = this.#clock.now()
    try {
      await this.#store.tasks.heartbeat(this.#options.workerId, ids, new Date(now.getTime() + this.#options.leaseMs), now)
    } catch (error) {
      this.#logger.warn('task heartbeat failed', { error: (error as Error).message })
    }
  }

  async #renewLease(task: Task): Promise<boolean> {
    const now = this.#clock.now()
    const held = await this.#store.tasks.heartbeat(this.#options.workerId, [task.id],
      new Date(now.getTime() + this.#options.leaseMs), now)
    return held.includes(task.id)
  }

  async #reap(): Promise<void> {
    try {
      const requeued = await this.#store.tasks.requeueExpired(this.#clock.now())
      if (requeued > 0) this.#logger.warn('requeued tasks whose worker stopped', { count: requeued })
    } catch (error) {
      this.#logger.warn('task reaper failed', { error: (error as Error).message })
    }
  }

  async #execute(task: Task): Promise<void> {
    const handler = this.#registry.get(task.kind)
    const workerId = this.#options.workerId
    if (!handler) {
      await this.#finalFailure(task, `no handler for task kind ${task.kind}`)
      return
    }
    const remainingMs = task.deadlineAt.getTime() - this.#clock.nowMs()
    if (remainingMs <= 0) {
      await this.#finalFailure(task, `deadline exceeded after ${task.attempts - 1} attempt(s): ${task.lastError ?? 'no result'}`)
      return
    }
    const deadline = new AbortController()
    const onShutdown = () => deadline.abort(this.#abort.signal.reason)
    this.#abort.signal.addEventListener('abort', onShutdown, { once: true })
    // The deadline is on the clock, like deadlineAt itself: advancing a controllable clock past it
    // aborts the handler, as real time passing would.
    const settled = new AbortController()
    this.#clock.sleep(remainingMs, settled.signal)
      .then(() => deadline.abort(new Error('deadline exceeded')), () => undefined)
    let completed: boolean | null = null
    const complete = async (tx: Repositories): Promise<boolean> => {
      completed = await tx.tasks.succeed(task.id, workerId, this.#clock.now())
      return completed
    }
    try {
      await Promise.race([
        handler.run({ task, signal: deadline.signal, complete }),
        new Promise<never>((_, reject) => {
          deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true })
        }),
      ])
      const finished = completed ?? await this.#store.tasks.succeed(task.id, workerId, this.#clock.now())
      if (!finished) this.#logger.warn('task finished after its lease was lost', { task: task.id, kind: task.kind })
    } catch (error) {
      if (this.#abort.signal.aborted) return // shutting down: the lease expires and another worker resumes it
      const message = error instanceof Error ? error.message : String(error)
      const permanent = error instanceof PermanentTaskError || deadline.signal.aborted
      if (permanent || task.attempts >= task.maxAttempts) {
        await this.#finalFailure(task, message)
        return
      }
      const backoff = Math.min(this.#options.retryMaxMs, this.#options.retryBaseMs * 2 ** (task.attempts - 1))
      const now = this.#clock.now()
      await this.#store.tasks.retry(task.id, workerId, message, new Date(now.getTime() + backoff), now)
    } finally {
      settled.abort()
      this.#abort.signal.removeEventListener('abort', onShutdown)
    }
  }

  async #finalFailure(task: Task, reason: string): Promise<void> {
    // A worker whose lease expired meanwhile no longer owns the task: another worker may be running it
    // and must not find its resource put in ERROR under it. Renewing the lease first also keeps the
    // task ours while onFailure runs.
    if (!(await this.#renewLease(task))) {
      this.#logger.warn('task failed after its lease was lost', { task: task.id, kind: task.kind, reason })
      return
    }
    const handler = this.#registry.get(task.kind)
    try {
      await handler?.onFailure?.(task, reason)
    } catch (error) {
      this.#logger.error('task failure handler failed', { task: task.id, error: (error as Error).message })
    }
    await this.#store.tasks.fail(task.id, this.#options.workerId, reason, this.#clock.now())
  }
}
