/**
 * Bench-only bulk load for the list step: creates servers in the demo project of a stopped Gureum,
 * in-process, through ServerService.create (max_count per call, the same validation, quotas, ports,
 * instance actions and build tasks as the API) and runs every build task to ACTIVE with the task
 * runner, so the rows are exactly what the HTTP API would have left. Used because creating 100,000
 * servers over HTTP takes too long on a small machine; the report says which path made the data.
 *
 * `node bench/bulk-load.ts COUNT PER_CALL <gureum serve flags…>`; prints {"created":N,"ms":T} on stdout.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { databaseUrlOf, loadConfig } from '../src/config.ts'
import { createGureum } from '../src/deps.ts'
import { nhnDemoFlavors } from '../src/core/flavors/demo-flavors.ts'
import type { Owner } from '../src/core/shared/owner.ts'
import type { BenchSetup } from './prepare.ts'
import type { DemoCredentials } from './lib/gureum.ts'

/** Creates between task drains: bounds the queue the runner claims from. */
const CALLS_PER_DRAIN = 50

/**
 * A deployment's autovacuum analyzes tables that grew this much within a minute or so; the bench's
 * PostgreSQL may run without autovacuum (the test server does), and without statistics its planner
 * picks wrong plans for the measured reads (a security-group read scanned every port binding).
 */
async function analyzePostgres(url: string): Promise<void> {
  if (!/^postgres(ql)?:\/\//.test(url)) return
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('ANALYZE')
  } finally {
    await client.end()
  }
}

async function bulkLoad(count: number, perCall: number, argv: readonly string[]): Promise<{ created: number; ms: number }> {
  const config = loadConfig({ argv })
  const credentials = JSON.parse(readFileSync(join(config.dataDir, 'credentials.json'), 'utf8')) as DemoCredentials
  const setup = JSON.parse(readFileSync(join(config.dataDir, 'bench-setup.json'), 'utf8')) as BenchSetup
  const masterKey = Buffer.from(readFileSync(join(config.dataDir, 'master.key'), 'utf8').trim(), 'base64')
  const gureum = await createGureum(config, { masterKey, inlineTasks: true })
  try {
    const user = await gureum.services.identity.getUserByName(credentials.user.name)
    const owner: Owner = { projectId: setup.tenantId, userId: user.id, roles: ['member'] }
    const flavorId = nhnDemoFlavors.find((flavor) => flavor.name === 'u2.c1m1')?.id as string
    const started = performance.now()
    let created = 0
    let calls = 0
    while (created < count) {
      const batch = Math.min(perCall, count - created)
      const result = await gureum.services.servers.create(owner, {
        name: `bulk-${created}`, imageId: credentials.defaults.image_id, flavorId,
        networks: [{ networkId: setup.networkId }], keyName: setup.keyName, securityGroups: [], userData: null, metadata: {},
        availabilityZone: null, minCount: batch, maxCount: batch, blockDevices: [], serverGroupId: null, strictNhn: true,
      })
      created += result.serverIds.length
      if (++calls % CALLS_PER_DRAIN === 0) await gureum.drain()
    }
    await gureum.drain()
    const ms = performance.now() - started
    await analyzePostgres(databaseUrlOf(config))
    return { created, ms }
  } finally {
    await gureum.close()
  }
}

if (import.meta.main) {
  const [count, perCall, ...rest] = process.argv.slice(2)
  const argv = rest[0] === 'serve' ? rest.slice(1) : rest
  const result = await bulkLoad(Number(count), Number(perCall), argv)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
