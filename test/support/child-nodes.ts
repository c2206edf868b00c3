/**
 * Real child processes for tests that must survive a crash: `node src/main.ts serve …` or a script
 * under test/support, started with the Node that runs the tests, with their output kept for failure
 * messages. `kill` signals only the process this helper started, by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait-for.ts'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface ExitStatus {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface ChildNode {
  readonly pid: number
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string
  readonly exited: Promise<ExitStatus>
  /** Whether the process has exited. */
  hasExited(): boolean
  /** Sends `signal` (SIGKILL by default) and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<ExitStatus>
}

const running = new Set<ChildNode>()

/** Starts `node <script> ...args` from the repository root. */
export function startNode(script: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): ChildNode {
  const child: ChildProcess = spawn(process.execPath, [script, ...args], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
  })
  if (child.pid === undefined) throw new Error(`could not start ${script}`)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  let done = false
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true
      resolve({ code, signal })
    })
  })
  const node: ChildNode = {
    pid: child.pid,
    output: () => output,
    exited,
    hasExited: () => done,
    async kill(signal = 'SIGKILL') {
      if (!done) child.kill(signal)
      const status = await exited
      running.delete(node)
      return status
    },
  }
  running.add(node)
  void exited.then(() => running.delete(node))
  return node
}

/** Waits until the process has written `marker`; fails with its output if it exits first or never does. */
export async function waitForOutput(node: ChildNode, marker: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(() => {
    if (node.output().includes(marker)) return true
    if (node.hasExited()) throw new Error(`process ${node.pid} exited before writing "${marker}":\n${node.output()}`)
    return false
  }, { what: `process ${node.pid} to write "${marker}"`, timeoutMs, describe: () => node.output().slice(-4000) })
}

/** Kills every process started here that is still running (for afterEach/afterAll). */
export async function killAllStarted(): Promise<void> {
  await Promise.all([...running].map((node) => node.kill('SIGKILL')))
}
