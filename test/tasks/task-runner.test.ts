/**
 * The task runner's guarantees against a real store: retries with capped exponential backoff, final
 * failure with onFailure exactly once, permanent errors, deadlines (between attempts and while a handler
 * runs), per-resource ordering, heartbeats that keep a lease, takeover of a dead worker's task, and an
 * old owner that can neither complete nor fail a task it lost. Time is a frozen ControllableClock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import { randomIds } from '../../src/core/shared/random-ids.ts'
import type { Task } from '../../src/core/tasks/task.ts'
import { TaskQueue, type TaskRequest } from '../../src/core/tasks/task-queue.ts'
import { PermanentTaskError, TaskRegistry, type TaskContext } from '../../src/core/tasks/task-registry.ts'
import { TaskRunner, type TaskLogger, type TaskRunnerOptions } from '../../src/core/tasks/task-runner.ts'
import { createTestDatabase, testEngines, type TestDatabase } from '../support/stores.ts'
import { waitFor } from '../support/wait-for.ts'

const START = new Date('2026-11-28T00:00:00.000Z')
const HOUR_S = 3600

/** A promise someone else settles: how a test holds a handler mid-run. */
class Gate {
  readonly promise: Promise<void>
  open!: () => void
  fail!: (error: Error) => void
  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.open = resolve
      this.fail = reject
    })
  }
}

interface Failure {
  readonly taskId: string
  readonly reason: string
}

describe.each(await testEngines())('task runner on %s', (engine) => {
  let database: TestDatabase
  let clock: ControllableClock
  let queue: TaskQueue
  let registry: TaskRegistry
  let failures: Failure[]
  let warnings: string[]
  const runners: TaskRunner[] = []

  beforeEach(async () => {
    database = await createTestDatabase(engine)
    clock = new ControllableClock({ frozenAt: START })
    queue = new TaskQueue(clock, randomIds)
    registry = new TaskRegistry()
    failures = []
    warnings = []
  })
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()))
    await database.close()
  })

  const logger: TaskLogger = {
    warn: (message) => { warnings.push(message) },
    error: (message) => { warnings.push(message) },
  }

  function runner(workerId: string, options: Partial<TaskRunnerOptions> = {}): TaskRunner {
    const created = new TaskRunner(database.store, registry, queue, clock, {
      workerId, concurrency: 4, leaseMs: 10_000, pollMs: 10, retryBaseMs: 1000, retryMaxMs: 3000, ...options,
    }, logger)
    runners.push(created)
    return created
  }

  /** Registers a kind whose onFailure is recorded in `failures`. */
  function register(kind: string, run: (context: TaskContext) => Promise<void>): void {
    registry.register(kind, {
      run,
      onFailure: async (task: Task, reason: string) => { failures.push({ taskId: task.id, reason }) },
    })
  }

  function enqueue(request: Partial<TaskRequest> & { kind: string }): Promise<string> {
    return database.store.transaction((tx) => queue.enqueue(tx, {
      resourceId: null, projectId: null, deadlineSeconds: HOUR_S, ...request,
    }))
  }

  async function task(id: string): Promise<Task> {
    const found = await database.store.tasks.get(id)
    if (!found) throw new Error(`task ${id} is gone`)
    return found
  }

  it('retries a failing task with capped exponential backoff, then fails it for good and runs onFailure once', async () => {
    let runs = 0
    register('test.flaky', async () => {
      runs++
      throw new Error(`boom ${runs}`)
    })
    const id = await enqueue({ kind: 'test.flaky', maxAttempts: 5 })
    const worker = runner('w1')

    // Backoff base 1 s doubling, capped at 3 s: 1 s, 2 s, 3 s, 3 s between the five attempts.
    for (const [attempt, backoffMs] of [[1, 1000], [2, 2000], [3, 3000], [4, 3000]] as const) {
      expect(await worker.drain()).toBe(1)
      expect(await task(id)).toMatchObject({
        status: 'queued', attempts: attempt, lastError: `boom ${attempt}`, runAfter: new Date(clock.nowMs() + backoffMs),
        leaseOwner: null, finishedAt: null,
      })
      clock.advance(backoffMs - 1)
      expect(await worker.drain()).toBe(0)
      expect(runs).toBe(attempt)
      clock.advance(1)
    }
    expect(await worker.drain()).toBe(1)
    expect(await task(id)).toMatchObject({ status: 'failed', attempts: 5, lastError: 'boom 5', finishedAt: clock.now() })
    expect(failures).toEqual([{ taskId: id, reason: 'boom 5' }])

    clock.advance(HOUR_S * 1000)
    expect(await worker.drain()).toBe(0)
    expect(runs).toBe(5)
    expect(failures).toHaveLength(1)
  })

  it('finishes a task that succeeds on a retry, without onFailure', async () => {
    let runs = 0
    register('test.second-time-lucky', async () => {
      runs++
      if (runs === 1) throw new Error('transient')
    })
    const id = await enqueue({ kind: 'test.second-time-lucky', maxAttempts: 3 })
    const worker = runner('w1')
    await worker.drain()
    clock.advance(1000)
    expect(await worker.drain()).toBe(1)
    expect(await task(id)).toMatchObject({ status: 'succeeded', attempts: 2, finishedAt: clock.now(), leaseOwner: null })
    expect(failures).toEqual([])
  })

  it('fails a task at once on a PermanentTaskError, whatever attempts remain', async () => {
    let runs = 0
    register('test.hopeless', async () => {
      runs++
      throw new PermanentTaskError('cannot ever work')
    })
    const id = await enqueue({ kind: 'test.hopeless', maxAttempts: 5 })
    expect(await runner('w1').drain()).toBe(1)
    expect(await task(id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'cannot ever work' })
    expect(failures).toEqual([{ taskId: id, reason: 'cannot ever work' }])
    clock.advance(HOUR_S * 1000)
    expect(await runner('w2').drain()).toBe(0)
    expect(runs).toBe(1)
  })

  it('fails a task of an unknown kind with a reason, instead of leaving it queued', async () => {
    const id = await enqueue({ kind: 'test.nobody-handles-this' })
    expect(await runner('w1').drain()).toBe(1)
    expect(await task(id)).toMatchObject({ status: 'failed', lastError: 'no handler for task kind test.nobody-handles-this' })
  })

  it('fails a task whose deadline passed while it waited to retry, without running it again', async () => {
    let runs = 0
    register('test.slow-to-recover', async () => {
      runs++
      throw new Error('still broken')
    })
    const id = await enqueue({ kind: 'test.slow-to-recover', maxAttempts: 10, deadlineSeconds: 10 })
    const worker = runner('w1')
    await worker.drain()
    clock.advance(10_000)
    expect(await worker.drain()).toBe(1)
    expect(runs).toBe(1)
    const failed = await task(id)
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 })
    expect(failed.lastError).toBe('deadline exceeded after 1 attempt(s): still broken')
    expect(failures).toEqual([{ taskId: id, reason: failed.lastError }])
  })

  it('aborts a handler still running at its deadline (on the clock), fails the task and runs onFailure', async () => {
    const entered = new Gate()
    let sawAbort = false
    register('test.hangs', ({ signal }) => {
      entered.open()
      return new Promise<void>((_, reject) => {
        signal.addEventListener('abort', () => {
          sawAbort = true
          reject(signal.reason)
        }, { once: true })
      })
    })
    // The default action deadline: only the clock, never real time, can reach it during this test.
    const id = await enqueue({ kind: 'test.hangs', maxAttempts: 3, deadlineSeconds: 600 })
    const draining = runner('w1').drain()
    await entered.promise
    clock.advance(599_999)
    expect((await task(id)).status).toBe('running')
    clock.advance(1)
    expect(await draining).toBe(1)
    expect(sawAbort).toBe(true)
    expect(await task(id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'deadline exceeded' })
    expect(failures).toEqual([{ taskId: id, reason: 'deadline exceeded' }])
  })

  it('runs the tasks of one resource one at a time, in the order they were queued', async () => {
    const events: string[] = []
    const firstMayFinish = new Gate()
    register('test.ordered', async ({ task: current }) => {
      const name = String(current.payload.name)
      events.push(`${name}:start`)
      if (name === 'first') await firstMayFinish.promise
      events.push(`${name}:end`)
    })
    const first = await enqueue({ kind: 'test.ordered', resourceId: 'server-1', payload: { name: 'first' } })
    clock.advance(1)
    const second = await enqueue({ kind: 'test.ordered', resourceId: 'server-1', payload: { name: 'second' } })
    const other = await enqueue({ kind: 'test.ordered', resourceId: 'server-2', payload: { name: 'other' } })

    const worker = runner('w1')
    const draining = worker.drain()
    await waitFor(async () => (await task(other)).status === 'succeeded' && events.includes('first:start'),
      { what: 'the first task to start and the other resource\'s task to finish' })
    // The second task is due and a runner with room asks for work, yet it is not handed out.
    expect(await runner('w2').drain()).toBe(0)
    expect(await task(second)).toMatchObject({ status: 'queued', attempts: 0 })
    expect((await task(first)).status).toBe('running')

    firstMayFinish.open()
    expect(await draining).toBe(3)
    expect(events.filter((event) => !event.startsWith('other'))).toEqual(['first:start', 'first:end', 'second:start', 'second:end'])
    expect((await task(second)).status).toBe('succeeded')
  })

  it('holds back a later task of a resource while an earlier one waits to retry', async () => {
    const events: string[] = []
    let firstRuns = 0
    register('test.ordered-retry', async ({ task: current }) => {
      const name = String(current.payload.name)
      events.push(name)
      if (name === 'first' && ++firstRuns === 1) throw new Error('transient')
    })
    const first = await enqueue({ kind: 'test.ordered-retry', resourceId: 'server-1', payload: { name: 'first' } })
    clock.advance(1)
    const second = await enqueue({ kind: 'test.ordered-retry', resourceId: 'server-1', payload: { name: 'second' } })
    const worker = runner('w1')
    expect(await worker.drain()).toBe(1)
    expect(await task(first)).toMatchObject({ status: 'queued', attempts: 1 })
    expect(await task(second)).toMatchObject({ status: 'queued', attempts: 0 })
    clock.advance(1000)
    expect(await worker.drain()).toBe(2)
    expect(events).toEqual(['first', 'first', 'second'])
  })

  it('keeps the lease of a running task alive with heartbeats, so no other runner takes it', async () => {
    const leaseMs = 300
    const mayFinish = new Gate()
    let runs = 0
    register('test.long', async () => {
      runs++
      await mayFinish.promise
    })
    const owner = runner('owner', { leaseMs })
    owner.start()
    const id = await enqueue({ kind: 'test.long' })
    queue.wake()
    const claimed = await waitFor(async () => {
      const current = await task(id)
      return current.status === 'running' && runs === 1 ? current : undefined
    }, { what: 'the owner to claim the task' })
    expect(claimed.leaseExpiresAt).toEqual(new Date(START.getTime() + leaseMs))

    // Move the clock well past the first lease, never more than part of a lease at a time, and each
    // time wait for the owner's heartbeat to extend the lease from the new now.
    for (let step = 0; step < 5; step++) {
      clock.advance(leaseMs / 2)
      await waitFor(async () => (await task(id)).leaseExpiresAt?.getTime() === clock.nowMs() + leaseMs,
        { what: `the heartbeat after advancing to ${clock.now().toISOString()}` })
    }
    expect(clock.nowMs()).toBeGreaterThan(claimed.leaseExpiresAt!.getTime() + leaseMs)
    expect(await runner('other', { leaseMs }).drain()).toBe(0)
    expect(await task(id)).toMatchObject({ status: 'running', leaseOwner: 'owner', attempts: 1 })

    mayFinish.open()
    await waitFor(async () => (await task(id)).status === 'succeeded', { what: 'the owner to finish the task' })
    expect(runs).toBe(1)
    expect((await task(id)).attempts).toBe(1)
  })

  describe('when a worker stops heartbeating', () => {
    const leaseMs = 1000
    let firstRun: Gate
    let secondRun: Gate
    let runs: number

    beforeEach(() => {
      firstRun = new Gate()
      secondRun = new Gate()
      runs = 0
      register('test.takeover', async () => {
        runs++
        await (runs === 1 ? firstRun : secondRun).promise
      })
    })

    /** The first runner (draining: no heartbeats, as if hung) holds the task; its lease then expires. */
    async function loseLease(maxAttempts: number) {
      const id = await enqueue({ kind: 'test.takeover', maxAttempts })
      const stale = runner('stale', { leaseMs })
      const staleDrain = stale.drain()
      await waitFor(() => runs === 1, { what: 'the first runner to start the task' })
      clock.advance(leaseMs + 1)
      const fresh = runner('fresh', { leaseMs })
      const freshDrain = fresh.drain()
      await waitFor(() => runs === 2, { what: 'another runner to take the task over' })
      expect(await task(id)).toMatchObject({ status: 'running', leaseOwner: 'fresh', attempts: 2 })
      return { id, staleDrain, freshDrain }
    }

    it('lets another runner take the task over; the old owner cannot complete it', async () => {
      const { id, staleDrain, freshDrain } = await loseLease(3)
      firstRun.open()
      await staleDrain
      expect(warnings).toContain('task finished after its lease was lost')
      expect(await task(id)).toMatchObject({ status: 'running', leaseOwner: 'fresh', finishedAt: null })

      clock.advance(5)
      secondRun.open()
      expect(await freshDrain).toBe(1)
      expect(await task(id)).toMatchObject({ status: 'succeeded', attempts: 2, finishedAt: clock.now() })
      expect(runs).toBe(2)
    })

    it('lets the old owner neither retry nor fail the task, nor run onFailure', async () => {
      const { id, staleDrain, freshDrain } = await loseLease(1)
      firstRun.fail(new Error('the old owner gave up'))
      await staleDrain
      expect(failures).toEqual([])
      expect(await task(id)).toMatchObject({ status: 'running', leaseOwner: 'fresh', lastError: 'lease expired: the worker stopped before finishing' })

      secondRun.open()
      expect(await freshDrain).toBe(1)
      expect(await task(id)).toMatchObject({ status: 'succeeded' })
      expect(failures).toEqual([])
    })
  })

  it('hands each task to exactly one of several runners claiming at once', async () => {
    const ran = new Map<string, number>()
    register('test.count', async ({ task: current }) => {
      ran.set(current.id, (ran.get(current.id) ?? 0) + 1)
    })
    const ids = await database.store.transaction(async (tx) => {
      const created: string[] = []
      for (let index = 0; index < 200; index++) {
        created.push(await queue.enqueue(tx, { kind: 'test.count', resourceId: null, projectId: null }))
      }
      return created
    })
    const counts = await Promise.all(['a', 'b', 'c'].map((name) => runner(name, { concurrency: 7 }).drain()))
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(200)
    expect([...ran.keys()].sort()).toEqual([...ids].sort())
    expect([...ran.values()].every((count) => count === 1)).toBe(true)
    expect(await database.store.tasks.countUnfinished()).toBe(0)
  })
})
