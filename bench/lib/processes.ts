/**
 * Child processes under test: Gureum itself (`node dist/main.js serve`) and the bare Fastify ceiling. Each
 * is pinned to one core when the machine has two or more (the load generator runs on another), bound to
 * 127.0.0.1 on free ports, and killed when the bench ends, whether it ends well or not.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The core the processes under test run on; the bench (load generator) moves itself to the next one. */
const SERVER_CPU = 0
const CLIENT_CPU = 1

const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0
export const pinned = hasTaskset && availableParallelism() >= 2

/** Moves this process (the load generator) off the server's core; returns whether it could. */
export function pinSelfToClientCore(): boolean {
  if (!pinned) return false
  return spawnSync('taskset', ['-a', '-cp', String(CLIENT_CPU), String(process.pid)], { stdio: 'ignore' }).status === 0
}

/** USER_HZ: 100 on every Linux the bench targets (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100

const live = new Set<ChildProcess>()

function killAll(): void {
  for (const child of live) child.kill('SIGKILL')
  live.clear()
}

const interruptCleanups: (() => Promise<void>)[] = []

/** Work to do when the bench is interrupted (temporary data, the PostgreSQL database), after the children die. */
export function onInterrupt(cleanup: () => Promise<void>): void {
  interruptCleanups.push(cleanup)
}

process.once('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll()
    const deadline = setTimeout(() => process.exit(130), 10_000)
    void Promise.allSettled(interruptCleanups.map((cleanup) => cleanup())).then(() => {
      clearTimeout(deadline)
      process.exit(130)
    })
  })
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** A started child with its recent output kept for error messages. */
export class ChildUnderTest {
  readonly child: ChildProcess
  readonly name: string
  #output = ''
  readonly #exited: Promise<number | null>

  constructor(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.name = name
    const [file, argv] = pinned ? ['taskset', ['-c', String(SERVER_CPU), command, ...args]] : [command, [...args]]
    this.child = spawn(file, argv, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    live.add(this.child)
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-8000)
    }
    this.child.stdout?.on('data', keep)
    this.child.stderr?.on('data', keep)
    this.#exited = new Promise((resolve) => this.child.once('exit', (code) => {
      live.delete(this.child)
      resolve(code)
    }))
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} did not start`)
    return this.child.pid
  }

  get output(): string {
    return this.#output
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** Resident set size from /proc, in MiB (taskset execs, so the pid is the server's own). */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    if (!match) throw new Error(`no VmRSS for ${this.name}`)
    return Number(match[1]) / 1024
  }

  /** CPU time (user + system) the process has used so far, in ms: unlike wall time, other load on the machine barely moves it. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8')
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th, in clock ticks.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS_PER_SECOND)
  }

  /** SIGTERM (a clean stop), then SIGKILL if it has not exited within the grace period. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    await this.#exited
    clearTimeout(timer)
  }

  /** Polls `url` until it answers 200; returns the milliseconds since `since` (performance.now()). */
  async waitForOk(url: string, since: number, timeoutMs = 60_000): Promise<number> {
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited before answering:\n${this.#output}`)
      try {
        const response = await fetch(url)
        await response.arrayBuffer()
        if (response.status === 200) return performance.now() - since
      } catch {
        // Not listening yet.
      }
      if (performance.now() - since > timeoutMs) throw new Error(`${this.name} did not answer ${url} within ${timeoutMs} ms:\n${this.#output}`)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  }
}
