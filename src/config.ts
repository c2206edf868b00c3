/**
 * One typed configuration, assembled from (lowest to highest precedence) built-in defaults, an optional
 * JSON file (`--config` or GUREUM_CONFIG), GUREUM_* environment variables and command-line flags, then
 * validated once. An invalid value stops the start with a message naming the setting and its source.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'

const Port = Type.Integer({ minimum: 0, maximum: 65535 })

export const GureumConfig = Type.Object({
  dataDir: Type.String({ minLength: 1 }),
  /** Null: the SQLite file `<dataDir>/gureum.db`. */
  databaseUrl: Type.Union([Type.String({ pattern: '^(postgres(ql)?://|sqlite:|/|\\.|:memory:)' }), Type.Null()]),
  /** PostgreSQL schema holding Gureum's tables (created if missing); null: the connection's default (public). */
  pgSchema: Type.Union([Type.String({ pattern: '^[a-z_][a-z0-9_]*$' }), Type.Null()]),
  bind: Type.String({ minLength: 1 }),
  /** Host name put in the URLs Gureum hands out (service catalog, links); default: the bind address. */
  publicHost: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  /** Region name in service catalogs; NHN Cloud's are KR1, KR2, JP1 and its Terraform configs name them. */
  region: Type.String({ minLength: 1, maxLength: 64 }),
  ports: Type.Object({
    identity: Port, compute: Port, image: Port, network: Port, volume: Port, nhnV1: Port, scp: Port, console: Port,
  }, { additionalProperties: false }),
  roles: Type.Array(Type.Enum(['api', 'worker']), { minItems: 1 }),
  progression: Type.Object({
    mode: Type.Enum(['immediate', 'timed', 'manual']),
    /** Divides every simulated duration (2 = twice as fast). */
    speed: Type.Number({ exclusiveMinimum: 0 }),
    seed: Type.Integer(),
  }, { additionalProperties: false }),
  simulation: Type.Object({
    hosts: Type.Integer({ minimum: 1, maximum: 100_000 }),
    zones: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    hostVcpus: Type.Integer({ minimum: 1 }),
    hostRamMb: Type.Integer({ minimum: 1 }),
    hostDiskGb: Type.Integer({ minimum: 1 }),
    cpuAllocationRatio: Type.Number({ exclusiveMinimum: 0 }),
    ramAllocationRatio: Type.Number({ exclusiveMinimum: 0 }),
    diskAllocationRatio: Type.Number({ exclusiveMinimum: 0 }),
  }, { additionalProperties: false }),
  tokens: Type.Object({ ttlSeconds: Type.Integer({ minimum: 60 }) }, { additionalProperties: false }),
  tasks: Type.Object({
    concurrency: Type.Integer({ minimum: 1, maximum: 1000 }),
    leaseMs: Type.Integer({ minimum: 100 }),
    pollMs: Type.Integer({ minimum: 1 }),
    buildDeadlineSeconds: Type.Integer({ minimum: 1 }),
    actionDeadlineSeconds: Type.Integer({ minimum: 1 }),
  }, { additionalProperties: false }),
  bodyLimitBytes: Type.Integer({ minimum: 1024 }),
  /** Image uploads stream to disk; this caps one image file. */
  imageSizeLimitBytes: Type.Integer({ minimum: 1 }),
  logLevel: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
}, { additionalProperties: false })
export type GureumConfig = Static<typeof GureumConfig>

export const defaultConfig: GureumConfig = {
  dataDir: './data',
  databaseUrl: null,
  pgSchema: null,
  bind: '127.0.0.1',
  publicHost: null,
  region: 'KR1',
  ports: { identity: 5000, compute: 8774, image: 9292, network: 9696, volume: 8776, nhnV1: 8000, scp: 8090, console: 8080 },
  roles: ['api', 'worker'],
  progression: { mode: 'timed', speed: 1, seed: 1 },
  simulation: {
    hosts: 4, zones: ['kr-pub-a', 'kr-pub-b'], hostVcpus: 64, hostRamMb: 262_144, hostDiskGb: 4096,
    cpuAllocationRatio: 4, ramAllocationRatio: 1.5, diskAllocationRatio: 1,
  },
  tokens: { ttlSeconds: 43_200 },
  tasks: { concurrency: 32, leaseMs: 30_000, pollMs: 200, buildDeadlineSeconds: 600, actionDeadlineSeconds: 600 },
  bodyLimitBytes: 1_048_576,
  imageSizeLimitBytes: 10 * 1024 ** 3,
  logLevel: 'info',
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

type Setter = (config: Record<string, any>, value: string) => void

const int = (path: string[]): Setter => (config, value) => setPath(config, path, parseNumber(value, true))
const num = (path: string[]): Setter => (config, value) => setPath(config, path, parseNumber(value, false))
const str = (path: string[]): Setter => (config, value) => setPath(config, path, value)
const list = (path: string[]): Setter => (config, value) =>
  setPath(config, path, value.split(',').map((item) => item.trim()).filter(Boolean))

/** Every setting reachable from the environment and the command line, by its flag name. */
const settings: Record<string, Setter> = {
  'data-dir': str(['dataDir']),
  database: str(['databaseUrl']),
  'pg-schema': str(['pgSchema']),
  bind: str(['bind']),
  'public-host': str(['publicHost']),
  region: str(['region']),
  ...Object.fromEntries(Object.keys(defaultConfig.ports).map((name) => [`port-${kebab(name)}`, int(['ports', name])])),
  roles: list(['roles']),
  progression: str(['progression', 'mode']),
  'progression-speed': num(['progression', 'speed']),
  seed: int(['progression', 'seed']),
  'sim-hosts': int(['simulation', 'hosts']),
  'sim-zones': list(['simulation', 'zones']),
  'sim-host-vcpus': int(['simulation', 'hostVcpus']),
  'sim-host-ram-mb': int(['simulation', 'hostRamMb']),
  'sim-host-disk-gb': int(['simulation', 'hostDiskGb']),
  'token-ttl-seconds': int(['tokens', 'ttlSeconds']),
  'task-concurrency': int(['tasks', 'concurrency']),
  'task-lease-ms': int(['tasks', 'leaseMs']),
  'task-poll-ms': int(['tasks', 'pollMs']),
  'build-deadline-seconds': int(['tasks', 'buildDeadlineSeconds']),
  'body-limit-bytes': int(['bodyLimitBytes']),
  'log-level': str(['logLevel']),
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
}

function parseNumber(value: string, integer: boolean): number {
  const parsed = Number(value)
  if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw new ConfigError(`expected ${integer ? 'an integer' : 'a number'}, got "${value}"`)
  }
  return parsed
}

function setPath(target: Record<string, any>, path: string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) node = node[key] ??= {}
  node[path[path.length - 1]] = value
}

function merge(base: any, override: any): any {
  if (Array.isArray(override) || typeof override !== 'object' || override === null) return override
  const result: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(override)) result[key] = merge(base?.[key], value)
  return result
}

export interface ConfigSources {
  readonly argv?: readonly string[]
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** Parses `--name value` / `--name=value` flags; unknown flags are errors. */
function parseFlags(argv: readonly string[]): { configFile?: string; values: [string, string][] } {
  const values: [string, string][] = []
  let configFile: string | undefined
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]
    if (!argument.startsWith('--')) throw new ConfigError(`unexpected argument "${argument}"`)
    const [name, inline] = argument.slice(2).split(/=(.*)/s, 2)
    const value = inline ?? argv[++index]
    if (value === undefined) throw new ConfigError(`--${name} needs a value`)
    if (name === 'config') configFile = value
    else if (name in settings) values.push([name, value])
    else throw new ConfigError(`unknown option --${name}`)
  }
  return { configFile, values }
}

export function loadConfig(sources: ConfigSources = {}): GureumConfig {
  const env = sources.env ?? process.env
  const flags = parseFlags(sources.argv ?? [])
  let config: Record<string, any> = structuredClone(defaultConfig)
  const configFile = flags.configFile ?? env.GUREUM_CONFIG
  if (configFile) {
    let fileValues: unknown
    try {
      fileValues = JSON.parse(readFileSync(configFile, 'utf8'))
    } catch (error) {
      throw new ConfigError(`cannot read config file ${configFile}: ${(error as Error).message}`)
    }
    config = merge(config, fileValues)
  }
  for (const [name, setter] of Object.entries(settings)) {
    const variable = `GUREUM_${name.replace(/-/g, '_').toUpperCase()}`
    const value = variable === 'GUREUM_DATABASE' ? env.GUREUM_DATABASE_URL ?? env.GUREUM_DATABASE : env[variable]
    if (value === undefined || value === '') continue
    try {
      setter(config, value)
    } catch (error) {
      throw new ConfigError(`${variable}: ${(error as Error).message}`)
    }
  }
  for (const [name, value] of flags.values) {
    try {
      settings[name](config, value)
    } catch (error) {
      throw new ConfigError(`--${name}: ${(error as Error).message}`)
    }
  }
  if (!Value.Check(GureumConfig, config)) {
    const problems = [...Value.Errors(GureumConfig, config)].slice(0, 5)
      .map((error) => {
        const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
        return `${error.instancePath || '/'} ${error.message}${allowed ? ` (${allowed.join(', ')})` : ''}`
      })
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)
  }
  const valid = config as GureumConfig
  return { ...valid, dataDir: resolve(valid.dataDir) }
}

/** The database URL in effect: the configured one, or the SQLite file in the data directory. */
export function databaseUrlOf(config: GureumConfig): string {
  return config.databaseUrl ?? join(config.dataDir, 'gureum.db')
}

/** Base URL of one listener, as clients should reach it. */
export function publicUrl(config: GureumConfig, port: keyof GureumConfig['ports']): string {
  const host = config.publicHost ?? (config.bind === '0.0.0.0' || config.bind === '::' ? '127.0.0.1' : config.bind)
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.ports[port]}`
}
