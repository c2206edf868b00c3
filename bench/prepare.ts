/**
 * Bench-only setup of a stopped Gureum's data, in-process through the core services (never by writing
 * rows): lifts the demo project's instance, core, RAM and port quotas, adds a network with room for
 * 100,000 ports (the default /16 has 65,534) and a keypair (NHN's strict create rules need key_name).
 * Writes what the bench needs to `<data dir>/bench-setup.json`.
 *
 * `node bench/prepare.ts <gureum serve flags…>` (the same flags as the server it prepares).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../src/config.ts'
import { createGureum, type Gureum } from '../src/deps.ts'
import { createDefaultNetworking } from '../src/core/networks/network-seed.ts'
import type { Owner } from '../src/core/shared/owner.ts'
import type { DemoCredentials } from './lib/gureum.ts'

export interface BenchSetup {
  readonly tenantId: string
  readonly appkey: string
  readonly networkId: string
  readonly keyName: string
  /** Issued in-process, used only while a dialect's token endpoint is not served (the report says so). */
  readonly fallbackToken: string
}

export const BENCH_NETWORK_CIDR = '10.64.0.0/14'
const KEY_NAME = 'bench-key'

export interface BenchProject {
  readonly projectId: string
  readonly networkId: string
  /** A token of the demo user, issued in-process. */
  readonly token: string
}

/** Quotas lifted, the bench network and keypair added, through the core services; shared by the bench tools. */
export async function setUpBenchProject(
  gureum: Gureum,
  credentials: Pick<DemoCredentials, 'project' | 'user' | 'admin'>,
): Promise<BenchProject> {
  const projectId = credentials.project.id
  const user = await gureum.services.identity.getUserByName(credentials.user.name)
  const admin: Owner = { projectId: credentials.admin.project_id, userId: 'bench', roles: ['admin'] }
  const member: Owner = { projectId, userId: user.id, roles: ['member'] }
  await gureum.services.quotas.setLimits(admin, projectId, { instances: -1, cores: -1, ram: -1, ports: -1 })
  const networking = await gureum.store.transaction((tx) => createDefaultNetworking(tx,
    { projectId, networkName: 'bench-network', cidr: BENCH_NETWORK_CIDR }, { clock: gureum.clock, ids: gureum.ids }))
  await gureum.services.keypairs.create(member, { name: KEY_NAME })
  const issued = await gureum.services.identity.authenticate({ username: credentials.user.name, password: credentials.user.password, projectId })
  return { projectId, networkId: networking.network.id, token: issued.token }
}

async function prepare(argv: readonly string[]): Promise<BenchSetup> {
  const config = loadConfig({ argv: [...argv, '--roles', 'api'] })
  const credentials = JSON.parse(readFileSync(join(config.dataDir, 'credentials.json'), 'utf8')) as DemoCredentials
  const masterKey = Buffer.from(readFileSync(join(config.dataDir, 'master.key'), 'utf8').trim(), 'base64')
  const gureum = await createGureum(config, { masterKey, inlineTasks: true })
  try {
    const project = await setUpBenchProject(gureum, credentials)
    return { tenantId: project.projectId, appkey: credentials.project.appkey, networkId: project.networkId, keyName: KEY_NAME, fallbackToken: project.token }
  } finally {
    await gureum.close()
  }
}

if (import.meta.main) {
  const argv = process.argv[2] === 'serve' ? process.argv.slice(3) : process.argv.slice(2)
  const setup = await prepare(argv)
  const dataDir = loadConfig({ argv }).dataDir
  writeFileSync(join(dataDir, 'bench-setup.json'), `${JSON.stringify(setup, null, 2)}\n`)
}
