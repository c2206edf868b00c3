/**
 * The `gureum` command (entered through main.ts). `gureum serve` runs everything in one process: every
 * API listener, the task workers, the scheduler and the simulated hosts, on an embedded SQLite file
 * unless a PostgreSQL URL is configured. SIGINT/SIGTERM stop it cleanly.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import { ConfigError, loadConfig, type GureumConfig } from './config.ts'
import { createGureum } from './deps.ts'
import { buildListeners, VERSION } from './app.ts'
import { credentialsBanner, credentialsPath, ensureFirstStart } from './admin/first-start.ts'

const USAGE = `Usage: gureum <command> [options]

Commands:
  serve        Run Gureum: every API listener, task workers, scheduler and simulated hosts.
  help         Show this text.

serve options (each also GUREUM_<NAME> in the environment, e.g. GUREUM_DATA_DIR):
  --data-dir DIR           data directory (default ./data)
  --database URL           postgres://… or a SQLite path (default <data-dir>/gureum.db)
  --pg-schema NAME         PostgreSQL schema for Gureum's tables, created if missing (default public)
  --bind ADDRESS           listen address (default 127.0.0.1)
  --public-host HOST       host name in the URLs Gureum hands out (default: the bind address)
  --region NAME            region in service catalogs (default KR1)
  --port-<listener> N      identity 5000, compute 8774, image 9292, network 9696, volume 8776,
                           nhn-v1 8000, scp 8090, console 8080
  --roles api,worker       what this process runs (default both)
  --progression MODE       immediate | timed | manual (default timed)
  --progression-speed X    divide simulated durations by X
  --sim-hosts N            simulated hosts (default 4); --sim-zones a,b
  --config FILE            JSON file with any of the settings above
  --log-level LEVEL        fatal … trace, silent (default info)
`

/** The secret SCP secret keys derive from: GUREUM_MASTER_KEY (base64, shared by every node) or a file. */
function masterKey(config: GureumConfig): Buffer {
  const fromEnv = process.env.GUREUM_MASTER_KEY
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64')
    if (key.length < 32) throw new ConfigError('GUREUM_MASTER_KEY must be at least 32 bytes, base64-encoded')
    return key
  }
  const path = join(config.dataDir, 'master.key')
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')
  const key = randomBytes(32)
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
  return key
}

async function serve(argv: readonly string[]): Promise<void> {
  const config = loadConfig({ argv })
  mkdirSync(config.dataDir, { recursive: true })
  const logger = pino({ level: config.logLevel })
  const gureum = await createGureum(config, {
    masterKey: masterKey(config),
    logger: {
      warn: (message, fields) => logger.warn(fields ?? {}, message),
      error: (message, fields) => logger.error(fields ?? {}, message),
    },
  })
  const credentials = config.roles.includes('api') ? await ensureFirstStart(gureum) : null
  const listeners = config.roles.includes('api') ? await buildListeners(gureum, { logger }) : new Map()
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping')
    const deadline = setTimeout(() => process.exit(1), 5000)
    deadline.unref()
    await Promise.allSettled([...listeners.values()].map((app) => app.close()))
    await gureum.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
  // The console (health) listens first so supervisors see the process alive; the others start together.
  const listen = (name: string, app: { listen(options: { host: string; port: number }): Promise<string> }) =>
    app.listen({ host: config.bind, port: config.ports[name as keyof GureumConfig['ports']] })
  const consoleApp = listeners.get('console')
  if (consoleApp) await listen('console', consoleApp)
  await Promise.all([...listeners].filter(([name]) => name !== 'console').map(([name, app]) => listen(name, app)))
  if (credentials) {
    process.stdout.write(`${credentialsBanner(credentials)}\n`)
    process.stdout.write(`Credentials for tools: ${credentialsPath(config)}\n`)
  }
  logger.info({ version: VERSION, database: gureum.store.supportsConcurrentWorkers ? 'postgres' : 'sqlite', roles: config.roles }, 'gureum started')
}

async function main(): Promise<void> {
  const [command = 'serve', ...rest] = process.argv.slice(2)
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE)
    return
  }
  if (command === 'serve') return serve(rest)
  if (command.startsWith('--')) return serve([command, ...rest])
  process.stderr.write(`gureum: unknown command "${command}"\n\n${USAGE}`)
  process.exitCode = 2
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`gureum: ${error.message}\n`)
    process.exit(2)
  }
  process.stderr.write(`gureum: failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
