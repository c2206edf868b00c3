/**
 * `npm run bench` (or `bench:quick`): starts Gureum on a fresh data directory (SQLite there, or a fresh
 * PostgreSQL database with `--database postgres://…`) and measures, from another core:
 *   1 the ceiling, a bare Fastify hello-world;  2 server show in the Nova and NHN v1.0 dialects;
 *   3 a burst of server creates to ACTIVE;  4 paging server lists of a large project;
 *   5 scheduler placement among many hosts;  6 cold start and memory.
 * Writes bench/results/<date>-<database>.json|.md and latest-<database>.md (quick runs: results/quick/).
 * Exits 1 if any step failed; targets are reported, never asserted.
 *
 * Options: --quick, --database URL, --steps a,b (of: scheduler, start, ceiling, show, burst, list),
 *          --profile (run Gureum under --cpu-prof; profiles land in bench/results/profiles/),
 *          --keep (leave the data directory and the PostgreSQL database for inspection),
 *          --bulk http|in-process (how step 4's servers are made; default in-process, see bulk-load.ts).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { nhnDemoFlavors } from '../src/core/flavors/demo-flavors.ts'
import { runSchedulerBench } from './scheduler-bench.ts'
import type { BenchSetup } from './prepare.ts'
import { buildGureum, GureumServer, serveArgs, type GureumLaunch } from './lib/gureum.ts'
import { ChildUnderTest, freePort, onInterrupt, pinned, pinSelfToClientCore, REPO_ROOT } from './lib/processes.ts'
import { runLoad, type LoadResult, type LoadSettings } from './lib/load.ts'
import { keystoneToken, nhnV1Token, NhnV1Client, NovaClient, type Login, type ServerSpec } from './lib/clients.ts'
import { percentile, runConcurrently, sleep } from './lib/http.ts'
import { describeMachine } from './lib/machine.ts'
import { writeReport, type BenchReport, type Measurement, type Target } from './lib/report.ts'

const STEPS = ['scheduler', 'start', 'ceiling', 'show', 'burst', 'list'] as const
type Step = typeof STEPS[number]

interface Options {
  readonly quick: boolean
  readonly databaseUrl: string | null
  readonly steps: ReadonlySet<Step>
  readonly profile: boolean
  /** Keep the data directory (and the PostgreSQL database) for inspection afterwards. */
  readonly keep: boolean
  /** How step 4's servers are made: through the HTTP API, or in-process with Gureum stopped (bulk-load.ts). */
  readonly bulk: 'http' | 'in-process'
}

function parseOptions(argv: readonly string[]): Options {
  let quick = false
  let databaseUrl: string | null = null
  let steps = new Set<Step>(STEPS)
  let profile = false
  let keep = false
  let bulk: Options['bulk'] = 'in-process'
  for (let index = 0; index < argv.length; index++) {
    const [name, inline] = argv[index].split(/=(.*)/s, 2)
    const value = () => inline ?? argv[++index]
    if (name === '--quick') quick = true
    else if (name === '--profile') profile = true
    else if (name === '--keep') keep = true
    else if (name === '--bulk') {
      const chosen = value()
      if (chosen !== 'http' && chosen !== 'in-process') throw new Error('--bulk takes http or in-process')
      bulk = chosen
    }
    else if (name === '--database') databaseUrl = value()
    else if (name === '--steps') {
      const chosen = value().split(',').map((step) => step.trim())
      const unknown = chosen.filter((step) => !(STEPS as readonly string[]).includes(step))
      if (unknown.length > 0) throw new Error(`unknown steps ${unknown.join(', ')}; known: ${STEPS.join(', ')}`)
      steps = new Set(chosen as Step[])
    } else throw new Error(`unknown option ${argv[index]}`)
  }
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('--database takes a postgres:// URL')
  return { quick, databaseUrl, steps, profile, keep, bulk }
}

/** Sizes per mode: the full run is the issue's; quick keeps every step to a few seconds. */
function sizesFor(quick: boolean) {
  return {
    load: { connections: 10, durationSeconds: quick ? 2 : 10, warmupSeconds: quick ? 0.5 : 3 } satisfies LoadSettings,
    burstServers: quick ? 50 : 1000,
    burstClients: 10,
    listServers: quick ? 2_000 : 100_000,
    bulkPerRequest: 10,
    bulkConcurrency: 32,
    pageSize: 1000,
    schedulerHosts: quick ? 1_000 : 10_000,
    schedulerDecisions: quick ? 200 : 2_000,
    restarts: quick ? 1 : 3,
    // Enough simulated capacity for every server the run creates (u2.c1m1: 1 vCPU, 1 GB, 20 GB).
    simHosts: quick ? 10 : 100,
  }
}

/** The real scheduler ranks this many candidates per decision (scheduler.ts CLAIM_ATTEMPTS). */
const SCHEDULER_CANDIDATES = 8

function targetsFor(database: 'sqlite' | 'postgres') {
  return {
    showRatio: { op: '>=', value: 0.6 } as Target,
    burst: { op: '>=', value: database === 'sqlite' ? 1000 : 500 } as Target,
    listP50: { op: '<=', value: 25 } as Target,
    schedulerP99: { op: '<=', value: 2 } as Target,
    startMs: { op: '<=', value: 500 } as Target,
    idleRssMb: { op: '<=', value: 120 } as Target,
  }
}

/** A fresh PostgreSQL database on the given server, dropped at the end. */
async function provisionPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `gureum_bench_${process.pid}_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const target = new URL(url)
  target.pathname = `/${name}`
  return {
    url: target.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}

/** The commit measured, marked when src/ differs from it (GUREUM_BENCH_COMMIT names it for a copied tree). */
function gitCommit(): string {
  if (process.env.GUREUM_BENCH_COMMIT) return process.env.GUREUM_BENCH_COMMIT
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  try {
    const dirty = git('status', '--porcelain', '--', 'src') !== ''
    return `${git('rev-parse', 'HEAD')}${dirty ? ' + uncommitted changes in src/' : ''}`
  } catch {
    return 'unknown'
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2))
  const sizes = sizesFor(options.quick)
  const database = options.databaseUrl ? 'postgres' : 'sqlite'
  const targets = targetsFor(database)
  const clientPinned = pinSelfToClientCore()
  const pinning = clientPinned
    ? 'Processes under test (Gureum, the ceiling) pinned to CPU 0, the load generator (this process) to CPU 1'
    : 'No CPU pinning (fewer than 2 cores or no taskset): server and load generator share the cores'
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'full',
    database,
    commit: gitCommit(),
    machine: describeMachine(pinning),
    loadAverage: { atStart: loadavg()[0], atEnd: Number.NaN },
    settings: {
      connections: sizes.load.connections, 'seconds per load': sizes.load.durationSeconds, 'burst servers': sizes.burstServers,
      'list servers': sizes.listServers, 'page size': sizes.pageSize, 'scheduler hosts': sizes.schedulerHosts,
    },
    measurements: [],
    notes: [],
    failures: [],
    details: {},
  }
  const record = (measurement: Measurement) => {
    report.measurements.push(measurement)
    const target = measurement.target ? ` (target ${measurement.target.op} ${measurement.target.value})` : ''
    log(`  ${measurement.name}: ${measurement.value.toFixed(measurement.unit === 'ms' ? 3 : 2)} ${measurement.unit}${target}`)
  }
  const runStep = async <T>(name: string, work: () => Promise<T>): Promise<T | null> => {
    log(`${name} …`)
    try {
      return await work()
    } catch (error) {
      const message = error instanceof Error ? error.stack ?? error.message : String(error)
      report.failures.push({ step: name, error: message })
      log(`  FAILED: ${message}`)
      return null
    }
  }

  // Gureum runs as a deployment runs it: the bundle, built here from the current sources.
  const buildMs = await buildGureum()
  log(`built dist/ (scripts/build.ts) in ${buildMs.toFixed(0)} ms`)
  report.notes.push('Gureum ran as `node dist/main.js serve`, the bundle `npm start` runs, built by scripts/build.ts at the start of the run.')

  const dataDir = mkdtempSync(join(tmpdir(), 'gureum-bench-'))
  const profileDir = join(REPO_ROOT, 'bench', 'results', 'profiles')
  let postgres: { url: string; drop(): Promise<void> } | null = null
  let server: GureumServer | null = null
  try {
    if (options.databaseUrl) postgres = await provisionPostgres(options.databaseUrl)
    if (!options.keep) {
      const database = postgres
      onInterrupt(async () => {
        rmSync(dataDir, { recursive: true, force: true })
        await database?.drop()
      })
    }
    const launch: GureumLaunch = {
      dataDir, databaseUrl: postgres?.url ?? null, simHosts: sizes.simHosts,
      simHostVcpus: 1024, simHostRamMb: 2 * 1024 * 1024, simHostDiskGb: 40_000,
    }
    const profiledLaunch: GureumLaunch = options.profile
      ? (mkdirSync(profileDir, { recursive: true }), { ...launch, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', profileDir] })
      : launch

    // 5: in this process, before anything else runs.
    if (options.steps.has('scheduler')) {
      await runStep('5 scheduler placement', async () => {
        for (const limit of [SCHEDULER_CANDIDATES, undefined]) {
          const result = runSchedulerBench({ hosts: sizes.schedulerHosts, decisions: sizes.schedulerDecisions, limit })
          const label = limit === undefined ? 'every passing host ranked' : `top ${limit} ranked, as the scheduler asks`
          record({ item: 5, name: `scheduler p50 per decision, ${sizes.schedulerHosts.toLocaleString('en-US')} hosts, ${label}`, value: result.p50Ms, unit: 'ms' })
          record({
            item: 5, name: `scheduler p99 per decision, ${sizes.schedulerHosts.toLocaleString('en-US')} hosts, ${label}`, value: result.p99Ms, unit: 'ms',
            ...(limit === SCHEDULER_CANDIDATES ? { target: targets.schedulerP99 } : {}),
          })
        }
      })
    }

    // 6: first start on an empty directory (migrations, seeding), then restarts on the seeded one.
    const first = await runStep('6 first start (empty data dir)', async () => {
      const started = await GureumServer.start(launch)
      record({ item: 6, name: 'cold start to first answered request, first start (empty data dir, seeding)', value: started.startupMs, unit: 'ms', target: targets.startMs })
      record({ item: 6, name: 'CPU time of the server until that answer, first start', value: started.startupCpuMs, unit: 'ms' })
      await started.stop()
      execFileSync(process.execPath, ['bench/prepare.ts', ...serveArgs(launch)], { cwd: REPO_ROOT, stdio: 'inherit' })
      return JSON.parse(readFileSync(join(dataDir, 'bench-setup.json'), 'utf8')) as BenchSetup
    })
    if (!first) throw new Error('Gureum did not start; nothing else can be measured')
    const setup = first
    const restarts: number[] = []
    const restartCpu: number[] = []
    for (let attempt = 1; attempt < sizes.restarts; attempt++) {
      const again = await GureumServer.start(launch)
      restarts.push(again.startupMs)
      restartCpu.push(again.startupCpuMs)
      await again.stop()
    }
    server = await GureumServer.start(profiledLaunch)
    restarts.push(server.startupMs)
    restartCpu.push(server.startupCpuMs)
    restarts.sort((a, b) => a - b)
    restartCpu.sort((a, b) => a - b)
    record({
      item: 6, name: 'cold start to first answered request, restart', value: percentile(restarts, 0.5), unit: 'ms', target: targets.startMs,
      note: `median of ${restarts.length}${options.profile ? ', last one under --cpu-prof' : ''}`,
    })
    record({ item: 6, name: 'CPU time of the server until that answer, restart', value: percentile(restartCpu, 0.5), unit: 'ms', note: 'median' })
    await sleep(1000)
    record({ item: 6, name: 'RSS idle (after restart, before load)', value: server.rssMb(), unit: 'MiB', target: targets.idleRssMb })

    // The list step restarts Gureum on the same ports; `live.server` is always the running one.
    const live = { server }
    const gureum = server
    // Every server the run creates is changed after this instant (changes-since in step 4).
    const beforeAnyServer = new Date(Date.now() - 1000)
    const credentials = gureum.credentials()
    const login: Login = { tenantId: setup.tenantId, appkey: setup.appkey, username: credentials.user.name, password: credentials.user.password }
    const spec: ServerSpec = {
      imageId: credentials.defaults.image_id,
      flavorId: nhnDemoFlavors.find((flavor) => flavor.name === 'u2.c1m1')?.id as string,
      networkId: setup.networkId,
      keyName: setup.keyName,
    }
    // Until a token endpoint is served, the token prepare.ts issued in-process stands in (and the report says so).
    const tokenOr = async (dialect: string, issue: () => Promise<string>) => {
      try {
        return await issue()
      } catch (error) {
        report.notes.push(`No ${dialect} token endpoint answered (${String(error).slice(0, 120)}); used a token issued in-process by bench/prepare.ts.`)
        return setup.fallbackToken
      }
    }
    const nova = await runStep('tokens (Keystone)', async () =>
      new NovaClient(gureum.url('compute'), setup.tenantId, await tokenOr('Keystone', () => keystoneToken(gureum.url('identity'), login))))

    // 1: the ceiling, same core, same client settings.
    let ceiling: LoadResult | null = null
    if (options.steps.has('ceiling') || options.steps.has('show')) {
      ceiling = await runStep('1 ceiling (bare Fastify)', async () => {
        const port = await freePort()
        const child = new ChildUnderTest('ceiling', process.execPath, ['bench/ceiling-server.ts', String(port)])
        try {
          await child.waitForOk(`http://127.0.0.1:${port}/healthz`, performance.now())
          const result = await runLoad(`http://127.0.0.1:${port}/`, {}, sizes.load)
          record({ item: 1, name: 'ceiling: bare Fastify hello-world, req/s', value: result.requestsPerSecond, unit: 'req/s' })
          record({ item: 1, name: 'ceiling: p50 latency', value: result.p50Ms, unit: 'ms' })
          record({ item: 1, name: 'ceiling: p99 latency', value: result.p99Ms, unit: 'ms' })
          return result
        } finally {
          await child.stop()
        }
      })
    }

    // 2: one server shown through both dialects; again after step 4 in a project of many servers.
    const measureShow = async (label: string, url: string, headers: Record<string, string>, withTarget: boolean) => {
      const result = await runLoad(url, headers, sizes.load)
      if (result.non2xx > 0 || result.errors > 0) report.notes.push(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
      record({ item: 2, name: `${label}: req/s`, value: result.requestsPerSecond, unit: 'req/s' })
      record({ item: 2, name: `${label}: p50 latency`, value: result.p50Ms, unit: 'ms' })
      record({ item: 2, name: `${label}: p99 latency`, value: result.p99Ms, unit: 'ms' })
      if (ceiling) {
        record({
          item: 2, name: `${label}: ratio to the ceiling`, value: result.requestsPerSecond / ceiling.requestsPerSecond, unit: '×',
          ...(withTarget ? { target: targets.showRatio } : {}),
        })
      }
    }
    let shows: { id: string; nhn: NhnV1Client | null } | null = null
    const measureShows = async (context: string, withTarget: boolean) => {
      if (!shows || !nova) return
      const { id, nhn } = shows
      await runStep(`2a Nova show${context}`, async () => {
        await nova.show(id)
        await measureShow(`Nova GET /v2/{tenantId}/servers/{id}${context}`, nova.serverUrl(id), nova.headers, withTarget)
      })
      if (nhn) {
        await runStep(`2b NHN v1.0 show${context}`, async () => {
          await nhn.show(id)
          await measureShow(`NHN v1.0 GET /v1.0/appkeys/{appkey}/servers/{id}${context}`, nhn.serverUrl(id), nhn.headers, withTarget)
        })
      }
    }
    if (options.steps.has('show') && nova) {
      await runStep('2 server show', async () => {
        const id = await nova.create(spec, 'bench-show')
        await nova.waitUntilNoneBuilding(60_000)
        const nhn = await runStep('NHN v1.0 token', async () =>
          new NhnV1Client(gureum.url('nhnV1'), setup.appkey, await tokenOr('NHN v1.0', () => nhnV1Token(gureum.url('nhnV1'), login))))
        shows = { id, nhn }
        await measureShows('', true)
      })
    }

    // 3: a burst of single-server creates from concurrent clients, until every server is ACTIVE.
    if (options.steps.has('burst') && nova) {
      await runStep('3 create burst', async () => {
        await nova.waitUntilNoneBuilding(60_000)
        const started = performance.now()
        await runConcurrently(sizes.burstServers, sizes.burstClients, async (index) => {
          await nova.create(spec, `burst-${index}`)
        })
        const accepted = performance.now()
        const finished = await nova.waitUntilNoneBuilding(600_000)
        const seconds = (finished - started) / 1000
        report.details.burst = { servers: sizes.burstServers, clients: sizes.burstClients, acceptedMs: accepted - started, activeMs: finished - started }
        record({
          item: 3, name: `create burst: ${sizes.burstServers} servers, ${sizes.burstClients} clients, first request to last ACTIVE`,
          value: sizes.burstServers / seconds, unit: 'servers/s', target: targets.burst,
        })
        record({ item: 3, name: 'create burst: all 202s received after', value: accepted - started, unit: 'ms' })
      })
    }

    // 4: a large project paged through, plain and with each filter.
    if (options.steps.has('list') && nova) {
      await runStep('4 list paging', async () => {
        const existing = await countServers(nova, sizes.pageSize)
        const missing = Math.max(0, sizes.listServers - existing)
        let bulkNote: string
        if (options.bulk === 'http') {
          const requests = Math.ceil(missing / sizes.bulkPerRequest)
          const started = performance.now()
          await runConcurrently(requests, sizes.bulkConcurrency, async (index) => {
            const count = Math.min(sizes.bulkPerRequest, missing - index * sizes.bulkPerRequest)
            await nova.create(spec, `bulk-${index}`, count)
          })
          const accepted = performance.now()
          await nova.waitUntilNoneBuilding(3_600_000, 200)
          const active = performance.now()
          report.details.bulkLoad = { path: 'HTTP', created: missing, concurrency: sizes.bulkConcurrency, acceptedMs: accepted - started, activeMs: active - started }
          report.notes.push(`List data: ${missing.toLocaleString('en-US')} servers created through the HTTP API (Nova POST /servers with min/max_count ${sizes.bulkPerRequest}, ${sizes.bulkConcurrency} concurrent requests) in ${((accepted - started) / 1000).toFixed(1)} s, all ACTIVE after ${((active - started) / 1000).toFixed(1)} s (${(missing / ((active - started) / 1000)).toFixed(0)} servers/s).`)
          bulkNote = 'the same process that served the creates'
        } else {
          // In-process through the core services while Gureum is stopped (bench/bulk-load.ts), then a restart.
          const ports = live.server.ports
          await live.server.stop()
          const output = execFileSync(process.execPath, ['bench/bulk-load.ts', String(missing), String(sizes.bulkPerRequest), ...serveArgs(launch)],
            { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 })
          const loaded = JSON.parse(output.trim().split('\n').pop() as string) as { created: number; ms: number }
          live.server = await GureumServer.start(profiledLaunch, ports)
          server = live.server
          report.details.bulkLoad = { path: 'in-process (bench/bulk-load.ts)', created: loaded.created, perCall: sizes.bulkPerRequest, ms: loaded.ms }
          report.notes.push(`List data: ${loaded.created.toLocaleString('en-US')} servers created in-process by bench/bulk-load.ts through ServerService.create (max_count ${sizes.bulkPerRequest} per call) and built to ACTIVE by the task runner, with Gureum stopped, in ${(loaded.ms / 1000).toFixed(1)} s (${(loaded.created / (loaded.ms / 1000)).toFixed(0)} servers/s, one process, no HTTP); then Gureum was restarted on the same ports.`)
          record({ item: 6, name: `cold start to first answered request, restart with ${sizes.listServers.toLocaleString('en-US')} servers`, value: live.server.startupMs, unit: 'ms' })
          record({ item: 6, name: `CPU time of the server until that answer, restart with ${sizes.listServers.toLocaleString('en-US')} servers`, value: live.server.startupCpuMs, unit: 'ms' })
          bulkNote = 'a server restarted on them, after paging through them'
        }
        const variants: [string, Record<string, string>][] = [
          ['no filter', {}],
          ['status=ACTIVE', { status: 'ACTIVE' }],
          ['changes-since (before the first create)', { 'changes-since': beforeAnyServer.toISOString() }],
        ]
        for (const [label, filter] of variants) {
          const pages = await timePages(nova, filter, sizes.pageSize)
          report.details[`list ${label}`] = pages
          const note = `${pages.pages} pages, ${pages.servers.toLocaleString('en-US')} servers`
          record({ item: 4, name: `GET /servers/detail?limit=${sizes.pageSize}, ${label}: p50 per page`, value: pages.p50Ms, unit: 'ms', target: targets.listP50, note })
          record({ item: 4, name: `GET /servers/detail?limit=${sizes.pageSize}, ${label}: p99 per page`, value: pages.p99Ms, unit: 'ms' })
          if (pages.servers < sizes.listServers) throw new Error(`${label}: paged through ${pages.servers} servers, expected at least ${sizes.listServers}`)
        }
        record({ item: 6, name: `RSS after ${sizes.listServers.toLocaleString('en-US')} servers`, value: live.server.rssMb(), unit: 'MiB', note: bulkNote })
      })
      await measureShows(`, project of ${sizes.listServers.toLocaleString('en-US')} servers`, false)
    }
  } catch (error) {
    report.failures.push({ step: 'run', error: error instanceof Error ? error.stack ?? error.message : String(error) })
    log(`FAILED: ${String(error)}`)
  } finally {
    await server?.stop()
    if (options.keep) {
      log(`kept: data dir ${dataDir}${postgres ? `, database ${postgres.url}` : ''}`)
    } else {
      if (postgres) await postgres.drop().catch((error: unknown) => report.notes.push(`could not drop the bench database: ${String(error)}`))
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  report.loadAverage.atEnd = loadavg()[0]
  if (options.profile) report.notes.push(`CPU profiles of the Gureum under test: ${profileDir}`)
  if (!pinned) report.notes.push('Without pinning the load generator competes with the server for CPU; ratios still compare like with like.')
  const written = writeReport(join(REPO_ROOT, 'bench', 'results'), report)
  log(`results: ${written.join(', ')}`)
  return report.failures.length === 0 ? 0 : 1
}

async function countServers(nova: NovaClient, pageSize: number): Promise<number> {
  let count = 0
  let marker: string | null = null
  for (;;) {
    const page = await nova.page({ limit: String(pageSize), ...(marker ? { marker } : {}) }, false)
    count += page.length
    if (page.length < pageSize) return count
    marker = page[page.length - 1].id
  }
}

/** Pages through a list with markers, timing each page (request to parsed body) on its own. */
async function timePages(nova: NovaClient, filter: Record<string, string>, pageSize: number) {
  const timings: number[] = []
  let servers = 0
  let marker: string | null = null
  for (;;) {
    const started = performance.now()
    const page = await nova.page({ ...filter, limit: String(pageSize), ...(marker ? { marker } : {}) })
    timings.push(performance.now() - started)
    servers += page.length
    if (page.length < pageSize) break
    marker = page[page.length - 1].id
  }
  timings.sort((a, b) => a - b)
  return { pages: timings.length, servers, p50Ms: percentile(timings, 0.5), p99Ms: percentile(timings, 0.99), maxMs: timings[timings.length - 1] }
}

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

// Explicit exit: idle keep-alive sockets of the load generator must not hold the run open.
process.exit(await main())
