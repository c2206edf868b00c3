/**
 * A real `gureum serve` in a child process, for tests that drive Gureum with real clients
 * (openstackclient, novaclient, gophercloud…) over TCP. Every listener is bound to 127.0.0.1 on a free
 * port; the data directory is a fresh temporary one (SQLite unless `database` is given). The start
 * waits for /healthz on the console listener and fails with the child's output if the child exits or
 * does not become healthy in time. stop() always ends the child (SIGTERM, then SIGKILL) and removes
 * the data directory; a child left running when the test process exits is killed too.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Credentials } from '../../src/admin/first-start.ts'
import type { ListenerName } from '../../src/dialects/shared/context.ts'

export const LISTENER_NAMES: readonly ListenerName[] = ['identity', 'compute', 'image', 'network', 'volume', 'nhnV1', 'scp', 'console']

const REPO_ROOT = resolve(import.meta.dirname, '../..')
const OUTPUT_LIMIT = 256 * 1024

export interface GureumProcessOptions {
  /** immediate (default), timed or manual. */
  readonly progression?: 'immediate' | 'timed' | 'manual'
  /** A PostgreSQL URL; default the SQLite file in the data directory. */
  readonly database?: string
  /** More `gureum serve` flags, e.g. ['--sim-hosts', '2']. */
  readonly args?: readonly string[]
  /** Extra environment for the child (GUREUM_* variables of this process are not passed on). */
  readonly env?: Readonly<Record<string, string>>
  /** How long the start may take; default 60 s. */
  readonly startTimeoutMs?: number
  /** The script node runs: default src/main.ts (the sources); the bundle test passes dist/main.js. */
  readonly entry?: string
}

export interface GureumProcess {
  readonly pid: number
  readonly dataDir: string
  /** The first start's credentials, as written to `<dataDir>/credentials.json`. */
  readonly credentials: Credentials
  readonly ports: Readonly<Record<ListenerName, number>>
  /** `http://127.0.0.1:<port>` of every listener. */
  readonly urls: Readonly<Record<ListenerName, string>>
  /** Everything the child wrote to stdout and stderr so far (the last 256 KiB). */
  output(): string
  /** Ends the child and removes the data directory; safe to call more than once. */
  stop(): Promise<void>
  /** How the child ended (null while it runs). */
  exitStatus(): ExitStatus | null
}

export interface ExitStatus {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

const running = new Set<ChildProcess>()
let exitHookInstalled = false

function killLeftoversOnExit(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL')
  })
}

/** Distinct free TCP ports on 127.0.0.1, held open together so that none is handed out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    for (let index = 0; index < count; index++) {
      const server = createServer()
      servers.push(server)
      await new Promise<void>((done, fail) => {
        server.once('error', fail)
        server.listen(0, '127.0.0.1', () => done())
      })
    }
    return servers.map((server) => {
      const address = server.address()
      if (address === null || typeof address === 'string') throw new Error('no TCP address')
      return address.port
    })
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done()))))
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
}

function childEnvironment(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GUREUM_')) env[key] = value
  return { ...env, ...extra }
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms).unref())

export async function startGureumProcess(options: GureumProcessOptions = {}): Promise<GureumProcess> {
  killLeftoversOnExit()
  const dataDir = mkdtempSync(join(tmpdir(), 'gureum-process-'))
  const portList = await freePorts(LISTENER_NAMES.length)
  const ports = Object.fromEntries(LISTENER_NAMES.map((name, index) => [name, portList[index]])) as Record<ListenerName, number>
  const urls = Object.fromEntries(LISTENER_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ListenerName, string>
  const args = [
    options.entry ?? join(REPO_ROOT, 'src/main.ts'), 'serve',
    '--data-dir', dataDir,
    '--bind', '127.0.0.1',
    '--progression', options.progression ?? 'immediate',
    '--log-level', 'warn',
    ...LISTENER_NAMES.flatMap((name) => [`--port-${kebab(name)}`, String(ports[name])]),
    ...(options.database ? ['--database', options.database] : []),
    ...(options.args ?? []),
  ]
  // The Node running the tests is the one Gureum needs (24, with type stripping).
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT, env: childEnvironment(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let output = ''
  const capture = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT)
  }
  child.stdout?.on('data', capture)
  child.stderr?.on('data', capture)
  let exitStatus: ExitStatus | null = null
  const exited = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      exitStatus = { code, signal }
      running.delete(child)
      done()
    })
  })

  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    if (exitStatus === null) {
      child.kill('SIGTERM')
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000)
      forced.unref()
      await exited
      clearTimeout(forced)
    }
    rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    await waitUntilHealthy(`${urls.console}/healthz`, options.startTimeoutMs ?? 60_000, () => exitStatus)
    const credentials = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as Credentials
    if (child.pid === undefined) throw new Error('the child has no pid')
    return { pid: child.pid, dataDir, credentials, ports, urls, output: () => output, stop, exitStatus: () => exitStatus }
  } catch (error) {
    await stop()
    throw new Error(`gureum serve did not start: ${(error as Error).message}\n--- output of gureum serve ---\n${output}`, { cause: error })
  }
}

async function waitUntilHealthy(url: string, timeoutMs: number, exitStatusOf: () => ExitStatus | null): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastProblem = 'no answer yet'
  for (let attempt = 0; ; attempt++) {
    const status = exitStatusOf()
    if (status) throw new Error(`it exited with ${status.signal ?? `code ${status.code}`}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      if (response.ok) return
      lastProblem = `HTTP ${response.status}`
    } catch (error) {
      lastProblem = (error as Error).message
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy after ${timeoutMs} ms (${lastProblem})`)
    // A real process starts in real time: poll at a short, growing interval.
    await pause(Math.min(50 * (attempt + 1), 500))
  }
}
