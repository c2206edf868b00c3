/**
 * Bench-only trace of one server create, end to end, in-process and sequential: how many SQL statements
 * (commits included) and how much CPU the API half (Nova `POST /servers` through Fastify's inject, token
 * validation and serialisation included) and the worker half (the build task run by the task runner)
 * cost per server. Sequential, so the numbers are per-server costs free of machine load.
 *
 * `node bench/create-trace.ts [--database postgres://…] [--servers 200] [--top 40]`
 */
import { parseArgs } from 'node:util'
import { StatementSync } from 'node:sqlite'
import pg from 'pg'
import { defaultConfig } from '../src/config.ts'
import { buildTestGureum } from '../test/support/build-app.ts'
import { nhnDemoFlavors } from '../src/core/flavors/demo-flavors.ts'
import { setUpBenchProject } from './prepare.ts'

const { values } = parseArgs({
  options: {
    database: { type: 'string' }, servers: { type: 'string', default: '200' }, top: { type: 'string', default: '40' },
    batch: { type: 'string', default: '10' },
  },
})
const servers = Number(values.servers)
const batch = Number(values.batch)

// ---- statement counting at the driver boundary (every statement and every begin/commit) ----------------
let counting = false
const counts = new Map<string, number>()
const times = new Map<string, number>()
let total = 0
const keyOf = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 150)
function note(sql: string): void {
  if (!counting) return
  total++
  const key = keyOf(sql)
  counts.set(key, (counts.get(key) ?? 0) + 1)
}
/** Time inside SQLite itself (synchronous calls); PostgreSQL's is another process and not timed here. */
function timed(sql: string, ms: number): void {
  if (!counting) return
  const key = keyOf(sql)
  times.set(key, (times.get(key) ?? 0) + ms)
}
for (const method of ['all', 'run', 'iterate', 'get'] as const) {
  const original = StatementSync.prototype[method] as (...args: unknown[]) => unknown
  ;(StatementSync.prototype as unknown as Record<string, unknown>)[method] = function (this: StatementSync, ...args: unknown[]) {
    note(this.sourceSQL)
    const started = performance.now()
    try {
      return original.apply(this, args)
    } finally {
      timed(this.sourceSQL, performance.now() - started)
    }
  }
}
const pgQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown
;(pg.Client.prototype as unknown as Record<string, unknown>).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string }
  note(typeof first === 'string' ? first : first?.text ?? '?')
  return pgQuery.apply(this, args)
}

const engine = values.database?.startsWith('postgres') ? 'postgres' : 'sqlite'
// The bench's simulated capacity: 100 hosts, far more than the servers made here need.
const app = await buildTestGureum({
  engine, validateResponses: false,
  config: { simulation: { ...defaultConfig.simulation, hosts: 100, hostVcpus: 1024, hostRamMb: 2 * 1024 * 1024, hostDiskGb: 40_000 } },
})
try {
  const { gureum, credentials } = app
  const { projectId, networkId, token } = await setUpBenchProject(gureum, credentials)
  const flavorId = nhnDemoFlavors.find((flavor) => flavor.name === 'u2.c1m1')?.id as string

  let made = 0
  const createOne = async () => {
    const response = await app.inject('compute', {
      method: 'POST', url: `/v2/${projectId}/servers`, headers: { 'x-auth-token': token },
      payload: { server: { name: `trace-${made++}`, imageRef: credentials.defaults.image_id, flavorRef: flavorId,
        networks: [{ uuid: networkId }], key_name: 'bench-key' } },
    })
    if (response.statusCode !== 202) throw new Error(`create answered ${response.statusCode}: ${response.body.slice(0, 300)}`)
  }

  // Warm up JIT, statement caches, the token cache and the default security group.
  for (let i = 0; i < 50; i++) await createOne()
  await app.drain()

  const measure = async (label: string, work: () => Promise<void>) => {
    counts.clear()
    times.clear()
    total = 0
    counting = true
    const cpu = process.cpuUsage()
    const started = performance.now()
    await work()
    const wall = performance.now() - started
    const used = process.cpuUsage(cpu)
    counting = false
    const cpuMs = (used.user + used.system) / 1000
    process.stdout.write(`\n== ${label}: ${servers} servers\n`)
    process.stdout.write(`   statements/server ${(total / servers).toFixed(2)}, CPU ms/server ${(cpuMs / servers).toFixed(3)}, wall ms/server ${(wall / servers).toFixed(3)}\n`)
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))
    const sqliteMs = [...times.values()].reduce((sum, ms) => sum + ms, 0)
    if (sqliteMs > 0) process.stdout.write(`   of which inside SQLite: ${(sqliteMs / servers).toFixed(3)} ms/server\n`)
    process.stdout.write('   per server  µs/server(SQLite)  statement\n')
    for (const [sql, count] of top) {
      process.stdout.write(`   ${(count / servers).toFixed(2).padStart(6)}  ${(1000 * (times.get(sql) ?? 0) / servers).toFixed(1).padStart(8)}  ${sql}\n`)
    }
  }

  await measure('API half (POST /servers, sequential)', async () => {
    for (let i = 0; i < servers; i++) await createOne()
  })
  await measure('worker half (drain of the build tasks)', async () => {
    await app.drain()
  })
  await measure(`both, in batches of ${batch} creates then a drain`, async () => {
    for (let i = 0; i < servers; i += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, servers - i) }, () => createOne()))
      await app.drain()
    }
  })
  // As in the bench: the worker's own loop (woken by each create) while 10 clients create concurrently.
  gureum.runner.start()
  await measure('both, 10 concurrent clients, background task runner', async () => {
    let next = 0
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (next < servers) {
        next++
        await createOne()
      }
    }))
    while ((await gureum.store.tasks.countUnfinished()) > 0) await new Promise((resolve) => setTimeout(resolve, 2))
  })
  await gureum.runner.stop()
  const building = await gureum.store.servers.list({ projectId, vmStates: ['building'], limit: 1, marker: null })
  if (building && building.items.length > 0) throw new Error('a server is still building')
} finally {
  await app.close()
}
