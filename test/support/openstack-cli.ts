/**
 * Running the real openstackclient (Debian's python3-openstackclient) against a started Gureum, logged
 * in as the demo user through Keystone v3 from the catalog. `openstackMissing` is true where the client
 * is not installed; in CI that is an error rather than a reason to skip.
 */
import { execFile, spawnSync } from 'node:child_process'
import { expect } from 'vitest'
import type { GureumProcess } from './gureum-process.ts'

export const openstackMissing = spawnSync('which', ['openstack']).status !== 0

/** Call at module level of a client test: fails in CI without the client, prints the reason otherwise. */
export function reportMissingOpenstack(what: string): void {
  if (!openstackMissing) return
  if (process.env.CI === 'true') {
    throw new Error('openstack (python3-openstackclient) is required in CI: apt-get install -y python3-openstackclient')
  }
  console.warn(`skipping ${what}: \`openstack\` is not installed (apt-get install python3-openstackclient)`)
}

/** Debian's python3 where a pyenv (or other) python3 without openstacksdk comes first in PATH. */
const PYTHON_CANDIDATES = ['python3', '/usr/bin/python3']

/** A Python that imports openstacksdk, or null where none does. */
export const sdkPython: string | null =
  PYTHON_CANDIDATES.find((python) => spawnSync(python, ['-c', 'import openstack']).status === 0) ?? null

/** The acceptance clients (openstack, nova, openstacksdk) that are not installed here. */
export function missingClients(): string[] {
  return [
    ...(openstackMissing ? ['openstack (python3-openstackclient)'] : []),
    ...(spawnSync('which', ['nova']).status !== 0 ? ['nova (python3-novaclient)'] : []),
    ...(sdkPython === null ? ['openstacksdk (python3-openstacksdk)'] : []),
  ]
}

/** Like reportMissingOpenstack, for a list of missing clients: fails in CI, prints the reason otherwise. */
export function reportMissingClients(what: string, missing: readonly string[]): void {
  if (missing.length === 0) return
  const install = 'apt-get install -y python3-openstackclient python3-novaclient python3-openstacksdk'
  if (process.env.CI === 'true') throw new Error(`${what} requires ${missing.join(', ')} in CI: ${install}`)
  console.warn(`skipping ${what}: not installed: ${missing.join(', ')} (${install})`)
}

export interface OpenstackResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export interface OpenstackCli {
  run(...args: string[]): Promise<OpenstackResult>
  /** Runs with `-f json`, expects success and parses the output. */
  json(...args: string[]): Promise<any>
}

/** The demo user's OS_* variables, the values `gureum serve` prints on its first start (plus the interface). */
function demoOsVariables(gureum: GureumProcess): Record<string, string> {
  const { credentials } = gureum
  return {
    OS_AUTH_URL: `${gureum.urls.identity}/v3`,
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: credentials.user.name,
    OS_PASSWORD: credentials.user.password,
    OS_PROJECT_NAME: credentials.project.name,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_REGION_NAME: 'KR1',
    OS_INTERFACE: 'public',
  }
}

/** A client's whole environment: PATH, HOME in the data directory, and the given (default: the demo user's) OS_* variables. */
export function openstackEnvironment(gureum: GureumProcess, osVariables?: Readonly<Record<string, string>>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: gureum.dataDir, ...(osVariables ?? demoOsVariables(gureum)) }
}

/** Runs any client program (nova, python3…) in the data directory with the OS_* environment. */
export function runClient(gureum: GureumProcess, command: string, args: readonly string[], options: {
  readonly input?: string
  readonly timeoutMs?: number
  /** OS_* variables replacing the demo user's defaults. */
  readonly osVariables?: Readonly<Record<string, string>>
} = {}): Promise<OpenstackResult> {
  const env = openstackEnvironment(gureum, options.osVariables)
  return new Promise<OpenstackResult>((resolve) => {
    const child = execFile(command, args, { env, cwd: gureum.dataDir, timeout: options.timeoutMs ?? 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
      })
    child.stdin?.end(options.input ?? '')
  })
}

/**
 * The OS_* variables of the `export OS_AUTH_URL=… \\` block that `gureum serve` prints on its first start
 * (shell words: single-quoted or bare), or null while the banner has not been printed.
 */
export function printedOpenstackExports(output: string): Record<string, string> | null {
  const block = /export (OS_AUTH_URL=(?:[^\n]*\\\n)*[^\n]*)/.exec(output)?.[1]
  if (block === undefined) return null
  const exports: Record<string, string> = {}
  for (const [, name, quoted, bare] of block.matchAll(/(OS_[A-Z_]+)=(?:'([^']*)'|([^\s\\]+))/g)) exports[name] = quoted ?? bare
  return exports
}

/** The environment for clients: the demo user's OS_* values unless others (e.g. the printed ones) are given. */
export function openstackCli(gureum: GureumProcess, osVariables?: Readonly<Record<string, string>>): OpenstackCli {
  const run = (...args: string[]) => runClient(gureum, 'openstack', args, { osVariables })
  return {
    run,
    async json(...args) {
      const result = await run(...args, '-f', 'json')
      expect(result.code, `openstack ${args.join(' ')}\n${result.stderr}`).toBe(0)
      return JSON.parse(result.stdout)
    },
  }
}
