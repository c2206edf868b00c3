/**
 * Gureum under test: `node dist/main.js serve`, the bundle `npm start` and a deployment run (built once
 * per bench run by buildGureum), on a data directory, every listener on a free port of 127.0.0.1, the
 * logger at warn, the simulator in immediate mode. Start time is measured from the spawn to the first
 * 200 from /healthz (which main.ts only serves after migrations and the first-start seed).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BUNDLE_ENTRY, buildBundle } from '../../scripts/build.ts'
import { ChildUnderTest, freePort } from './processes.ts'

/** Builds dist/ from the current sources (scripts/build.ts); every GureumServer of the run starts it. */
export async function buildGureum(): Promise<number> {
  return (await buildBundle()).ms
}

export const LISTENER_FLAGS = {
  identity: 'port-identity', compute: 'port-compute', image: 'port-image', network: 'port-network',
  volume: 'port-volume', nhnV1: 'port-nhn-v1', scp: 'port-scp', console: 'port-console',
} as const
export type Listener = keyof typeof LISTENER_FLAGS

export interface GureumLaunch {
  readonly dataDir: string
  /** Null: SQLite in the data directory. */
  readonly databaseUrl: string | null
  readonly simHosts: number
  readonly simHostVcpus: number
  readonly simHostRamMb: number
  readonly simHostDiskGb: number
  /** Extra `node` flags, e.g. --cpu-prof. */
  readonly nodeFlags?: readonly string[]
}

/** The demo credentials first start writes to `<data dir>/credentials.json` (the fields the bench uses). */
export interface DemoCredentials {
  readonly project: { readonly id: string; readonly appkey: string }
  readonly user: { readonly name: string; readonly password: string }
  readonly admin: { readonly name: string; readonly password: string; readonly project_id: string }
  readonly defaults: { readonly image_id: string; readonly flavor_id: string; readonly network_id: string }
}

export function serveArgs(launch: GureumLaunch): string[] {
  return [
    'serve', '--data-dir', launch.dataDir,
    ...(launch.databaseUrl ? ['--database', launch.databaseUrl] : []),
    '--bind', '127.0.0.1', '--log-level', 'warn', '--progression', 'immediate',
    '--sim-hosts', String(launch.simHosts), '--sim-host-vcpus', String(launch.simHostVcpus),
    '--sim-host-ram-mb', String(launch.simHostRamMb), '--sim-host-disk-gb', String(launch.simHostDiskGb),
  ]
}

export class GureumServer {
  readonly process: ChildUnderTest
  readonly ports: Readonly<Record<Listener, number>>
  readonly startupMs: number
  /** CPU time the process used until it answered (less sensitive than startupMs to other load). */
  readonly startupCpuMs: number
  readonly dataDir: string

  private constructor(process: ChildUnderTest, ports: Record<Listener, number>, startupMs: number, startupCpuMs: number, dataDir: string) {
    this.process = process
    this.ports = ports
    this.startupMs = startupMs
    this.startupCpuMs = startupCpuMs
    this.dataDir = dataDir
  }

  /** `ports`: reuse a stopped server's ports, so clients holding its URLs keep working. */
  static async start(launch: GureumLaunch, reusePorts?: Readonly<Record<Listener, number>>): Promise<GureumServer> {
    const ports = { ...reusePorts } as Record<Listener, number>
    if (!reusePorts) for (const listener of Object.keys(LISTENER_FLAGS) as Listener[]) ports[listener] = await freePort()
    const portArgs = Object.entries(LISTENER_FLAGS).flatMap(([listener, flag]) => [`--${flag}`, String(ports[listener as Listener])])
    if (!existsSync(BUNDLE_ENTRY)) throw new Error(`${BUNDLE_ENTRY} is missing: buildGureum() first`)
    const args = [...(launch.nodeFlags ?? []), BUNDLE_ENTRY, ...serveArgs(launch), ...portArgs]
    const started = performance.now()
    const child = new ChildUnderTest('gureum', process.execPath, args)
    try {
      const startupMs = await child.waitForOk(`http://127.0.0.1:${ports.console}/healthz`, started)
      return new GureumServer(child, ports, startupMs, child.cpuMs(), launch.dataDir)
    } catch (error) {
      await child.stop()
      throw error
    }
  }

  url(listener: Listener): string {
    return `http://127.0.0.1:${this.ports[listener]}`
  }

  credentials(): DemoCredentials {
    return JSON.parse(readFileSync(join(this.dataDir, 'credentials.json'), 'utf8')) as DemoCredentials
  }

  rssMb(): number {
    return this.process.rssMb()
  }

  stop(): Promise<void> {
    return this.process.stop()
  }
}
