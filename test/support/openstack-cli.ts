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

export function openstackCli(gureum: GureumProcess): OpenstackCli {
  const { credentials, dataDir } = gureum
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dataDir,
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
  const run = (...args: string[]) => new Promise<OpenstackResult>((resolve) => {
    execFile('openstack', args, { env, cwd: dataDir, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
  return {
    run,
    async json(...args) {
      const result = await run(...args, '-f', 'json')
      expect(result.code, `openstack ${args.join(' ')}\n${result.stderr}`).toBe(0)
      return JSON.parse(result.stdout)
    },
  }
}
