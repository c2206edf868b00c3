/**
 * A worker process for multi-worker tests: a TaskRunner on the given PostgreSQL schema with one
 * test-only task kind, `test.record`, whose handler appends one line per execution to this worker's
 * own file: `<task id> <resource id|-> <start ms> <end ms>` (times from performance.timeOrigin, so lines
 * of two processes on one machine compare). Writes "ready" once its runner polls; SIGTERM stops it.
 *
 *   node test/support/task-worker.ts <database url> <pg schema> <worker id> <output file>
 */
import { appendFileSync } from 'node:fs'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import { randomIds } from '../../src/core/shared/random-ids.ts'
import { TaskQueue } from '../../src/core/tasks/task-queue.ts'
import { TaskRegistry } from '../../src/core/tasks/task-registry.ts'
import { TaskRunner } from '../../src/core/tasks/task-runner.ts'
import { openDatabase } from '../../src/store/database.ts'
import { createStore } from '../../src/store/store.ts'

const RECORD_TASK = 'test.record'

const preciseNow = () => performance.timeOrigin + performance.now()

async function main(): Promise<void> {
  const [url, schema, workerId, outputFile] = process.argv.slice(2)
  if (!url || !schema || !workerId || !outputFile) throw new Error('usage: task-worker.ts <url> <schema> <worker id> <output file>')
  const store = createStore(openDatabase(url, { pgSchema: schema }))
  const clock = new ControllableClock()
  const registry = new TaskRegistry()
  registry.register(RECORD_TASK, {
    async run({ task }) {
      const startedAt = preciseNow()
      // A little work that yields, so that tasks of one claim overlap as real ones would.
      await store.tasks.get(task.id)
      await nextTurn()
      appendFileSync(outputFile, `${task.id} ${task.resourceId ?? '-'} ${startedAt.toFixed(3)} ${preciseNow().toFixed(3)}\n`)
    },
  })
  const runner = new TaskRunner(store, registry, new TaskQueue(clock, randomIds), clock, {
    workerId, concurrency: 8, leaseMs: 10_000, pollMs: 20, retryBaseMs: 100, retryMaxMs: 1000,
  }, {
    warn: (message, fields) => process.stderr.write(`${message} ${JSON.stringify(fields ?? {})}\n`),
    error: (message, fields) => process.stderr.write(`${message} ${JSON.stringify(fields ?? {})}\n`),
  })
  runner.start()
  process.once('SIGTERM', () => {
    void runner.stop().then(() => store.close()).then(() => process.exit(0), () => process.exit(1))
  })
  process.stdout.write('ready\n')
}

main().catch((error: unknown) => {
  process.stderr.write(`task worker failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
