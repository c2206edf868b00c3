/**
 * Two worker processes on one PostgreSQL schema share a queue of 500 tasks: every task runs exactly
 * once, both workers take part, and the tasks of one resource never overlap and run in queue order,
 * across the processes. PostgreSQL only (SQLite has one worker by design); where PostgreSQL is
 * unreachable the suite is skipped with the reason printed, except in CI, where that fails.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import { randomIds } from '../../src/core/shared/random-ids.ts'
import { TaskQueue } from '../../src/core/tasks/task-queue.ts'
import type { Task } from '../../src/core/tasks/task.ts'
import { killAllStarted, startNode, waitForOutput, type ChildNode } from '../support/child-nodes.ts'
import { createTestDatabase, testEngines, type TestDatabase } from '../support/stores.ts'
import { waitFor } from '../support/wait-for.ts'

const TASKS = 500
const RESOURCES = 100 // five tasks each
const WORKERS = ['worker-a', 'worker-b']

interface Execution {
  readonly worker: string
  readonly taskId: string
  readonly resourceId: string
  readonly startedAt: number
  readonly endedAt: number
}

const engines = await testEngines()

describe.runIf(engines.includes('postgres'))('two worker processes on one PostgreSQL queue', () => {
  let database: TestDatabase
  let dir: string
  let workers: ChildNode[]

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    dir = mkdtempSync(join(tmpdir(), 'gureum-two-workers-'))
    workers = WORKERS.map((worker) => startNode('test/support/task-worker.ts',
      [database.url, database.pgSchema!, worker, join(dir, `${worker}.log`)]))
    await Promise.all(workers.map((worker) => waitForOutput(worker, 'ready')))
  })
  afterAll(async () => {
    await killAllStarted()
    await database?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  function executions(): Execution[] {
    return WORKERS.flatMap((worker) => {
      let text = ''
      try {
        text = readFileSync(join(dir, `${worker}.log`), 'utf8')
      } catch {
        return []
      }
      return text.split('\n').filter(Boolean).map((line) => {
        const [taskId, resourceId, startedAt, endedAt] = line.split(' ')
        return { worker, taskId, resourceId, startedAt: Number(startedAt), endedAt: Number(endedAt) }
      })
    })
  }

  async function allTasks(): Promise<Task[]> {
    const tasks: Task[] = []
    for (let marker: string | null = null; ;) {
      const page = await database.store.tasks.list({ limit: 200, marker })
      tasks.push(...page.items)
      if (!page.hasMore) return tasks
      marker = page.items[page.items.length - 1].id
    }
  }

  it('runs each of 500 tasks exactly once, shares them, and keeps each resource\'s tasks apart and in order', async () => {
    // Created one millisecond apart so that queue order is creation order; all already due.
    const clock = new ControllableClock({ frozenAt: new Date(Date.now() - 60_000) })
    const queue = new TaskQueue(clock, randomIds)
    const queued = await database.store.transaction(async (tx) => {
      const ids: { id: string; resourceId: string }[] = []
      for (let index = 0; index < TASKS; index++) {
        const resourceId = `resource-${index % RESOURCES}`
        ids.push({ id: await queue.enqueue(tx, { kind: 'test.record', resourceId, projectId: null }), resourceId })
        clock.advance(1)
      }
      return ids
    })

    await waitFor(async () => await database.store.tasks.countUnfinished() === 0, {
      what: 'the workers to finish every task', timeoutMs: 120_000,
      describe: async () => `${await database.store.tasks.countUnfinished()} unfinished\n${workers.map((worker) => worker.output()).join('\n')}`,
    })

    const ran = executions()
    expect(ran.map((execution) => execution.taskId).sort()).toEqual(queued.map((task) => task.id).sort())
    for (const worker of WORKERS) {
      expect(ran.filter((execution) => execution.worker === worker).length, `tasks run by ${worker}`).toBeGreaterThan(0)
    }
    const tasks = await allTasks()
    expect(tasks).toHaveLength(TASKS)
    expect(tasks.filter((task) => task.status !== 'succeeded' || task.attempts !== 1)).toEqual([])
    expect(new Set(tasks.map((task) => task.leaseOwner))).toEqual(new Set([null]))

    const order = new Map(queued.map((task, index) => [task.id, index]))
    for (let resource = 0; resource < RESOURCES; resource++) {
      const resourceId = `resource-${resource}`
      const runs = ran.filter((execution) => execution.resourceId === resourceId)
        .sort((a, b) => a.startedAt - b.startedAt)
      expect(runs.map((execution) => order.get(execution.taskId)), `queue order of ${resourceId}`)
        .toEqual([...runs.map((execution) => order.get(execution.taskId)!)].sort((a, b) => a - b))
      for (let index = 1; index < runs.length; index++) {
        expect(runs[index].startedAt, `${resourceId}: task ${index} starts after task ${index - 1} ended`)
          .toBeGreaterThanOrEqual(runs[index - 1].endedAt)
      }
    }

    for (const worker of workers) expect(await worker.kill('SIGTERM')).toEqual({ code: 0, signal: null })
  })
})
