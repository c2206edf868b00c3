/**
 * THE composition root: opens the store, builds the driver, the services, the scheduler and the task
 * runner, and hands each only the ports it uses. Nothing else in src/ constructs services.
 */
import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import { databaseUrlOf, type GureumConfig } from './config.ts'
import type { Clock } from './core/ports/clock.ts'
import type { IdGenerator } from './core/ports/ids.ts'
import type { Store } from './core/ports/store.ts'
import { ControllableClock } from './core/shared/controllable-clock.ts'
import { randomIds } from './core/shared/random-ids.ts'
import { IdentityService } from './core/projects/identity-service.ts'
import { ProjectService } from './core/projects/project-service.ts'
import { AuthContextCache } from './core/projects/auth-context-cache.ts'
import { FlavorService } from './core/flavors/flavor-service.ts'
import { AvailabilityZoneService } from './core/availability-zones/availability-zone-service.ts'
import { KeypairService } from './core/keypairs/keypair-service.ts'
import { ServerGroupService } from './core/server-groups/server-group-service.ts'
import { NetworkService } from './core/networks/network-service.ts'
import { VolumeService } from './core/volumes/volume-service.ts'
import { SnapshotService } from './core/volumes/snapshot-service.ts'
import { ImageService } from './core/images/image-service.ts'
import { QuotaService } from './core/quotas/quota-service.ts'
import { HostService } from './core/hosts/host-service.ts'
import { ServerService } from './core/servers/server-service.ts'
import { ServerTasks } from './core/servers/server-tasks.ts'
import { ServerInspector } from './core/servers/server-inspector.ts'
import { reconcileAfterRestart, serverToAdopt } from './core/servers/server-recovery.ts'
import { serverNetworkViews } from './core/networks/server-networking.ts'
import { createServerCollaborators } from './core/servers/server-collaborators.ts'
import { Scheduler } from './core/scheduler/scheduler.ts'
import { resolveFilters, resolveWeighers } from './core/scheduler/host-selection.ts'
import { TaskQueue } from './core/tasks/task-queue.ts'
import { TaskRegistry } from './core/tasks/task-registry.ts'
import { TaskRunner, type TaskLogger } from './core/tasks/task-runner.ts'
import { SimulatedDriver, type AdoptionSource } from './drivers/simulated/simulated-driver.ts'
import type { ProgressionPolicy } from './drivers/simulated/progression.ts'
import { openDatabase } from './store/database.ts'
import { ensurePostgresSchema } from './store/engines/postgres.ts'
import { migrateToLatest } from './store/migrator.ts'
import { createStore } from './store/store.ts'
import { createMaintenance } from './store/maintenance.ts'
import { LocalImageFileStore } from './store/image-files.ts'
import type { CoreServices } from './dialects/shared/context.ts'
import { join } from 'node:path'

/** Every core service, as the dialects receive them. */
export type GureumServices = CoreServices

export interface Gureum {
  readonly config: GureumConfig
  readonly store: Store
  readonly clock: ControllableClock
  readonly ids: IdGenerator
  readonly driver: SimulatedDriver
  readonly scheduler: Scheduler
  readonly queue: TaskQueue
  readonly runner: TaskRunner
  readonly services: GureumServices
  /** Runs every due task now (tests, and the `immediate` progression when no worker loop runs). */
  drain(): Promise<number>
  /** Admin reset: back to the first-start state (see StoreMaintenance). */
  reset(): Promise<void>
  close(): Promise<void>
}

export interface GureumOptions {
  /** A clock the caller controls (tests); default: real time that the admin API can advance. */
  readonly clock?: ControllableClock
  readonly ids?: IdGenerator
  /** Do not start the background task loop: the caller drains tasks (tests). */
  readonly inlineTasks?: boolean
  /** Secret for SCP key derivation; default: read or create `<dataDir>/master.key`. */
  readonly masterKey: Buffer
  /** PostgreSQL schema to use, overriding config.pgSchema (tests share one database). */
  readonly pgSchema?: string
  readonly logger?: TaskLogger
}

export function progressionPolicy(config: GureumConfig): ProgressionPolicy {
  const { mode, speed } = config.progression
  return mode === 'immediate' ? { mode } : { mode, speed }
}

export async function createGureum(config: GureumConfig, options: GureumOptions): Promise<Gureum> {
  const databaseUrl = databaseUrlOf(config)
  const pgSchema = options.pgSchema ?? config.pgSchema ?? undefined
  if (pgSchema && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    await ensurePostgresSchema(databaseUrl, pgSchema)
  }
  const handle = openDatabase(databaseUrl, { pgSchema })
  await migrateToLatest(handle.db, pgSchema)
  const store = createStore(handle)
  const maintenance = createMaintenance(handle)
  const clock = options.clock ?? new ControllableClock()
  const ids = options.ids ?? randomIds
  const { simulation } = config
  const driver = new SimulatedDriver({
    clock,
    hosts: Array.from({ length: simulation.hosts }, (_, index) => ({
      name: `sim-host-${String(index + 1).padStart(3, '0')}`,
      availabilityZone: simulation.zones[index % simulation.zones.length],
      vcpus: simulation.hostVcpus,
      ramMb: simulation.hostRamMb,
      diskGb: simulation.hostDiskGb,
    })),
    progression: progressionPolicy(config),
    seed: config.progression.seed,
  })

  const authCache = new AuthContextCache(clock)
  const defaultZone = simulation.zones[0]
  const services = {
    projects: new ProjectService({ store, clock, ids, authCache }),
    identity: new IdentityService({ store, clock, ids, authCache }, {
      accessKeyMasterKey: options.masterKey, tokenTtlMs: config.tokens.ttlSeconds * 1000,
    }),
    flavors: new FlavorService({ store, clock, ids }),
    zones: new AvailabilityZoneService({ store }),
    keypairs: new KeypairService({ store, clock }),
    serverGroups: new ServerGroupService({ store, clock, ids }),
    networks: new NetworkService({ store, clock, ids }),
    volumes: new VolumeService({ store, clock, options: { defaultAvailabilityZone: defaultZone } }),
    snapshots: new SnapshotService({ store, clock }),
    images: new ImageService({
      store, clock, files: new LocalImageFileStore(join(config.dataDir, 'images')),
      options: { maxImageSizeBytes: config.imageSizeLimitBytes },
    }),
    quotas: new QuotaService(store),
  }
  const queue = new TaskQueue(clock, ids, { defaultDeadlineSeconds: config.tasks.actionDeadlineSeconds })
  const registry = new TaskRegistry()
  const scheduler = new Scheduler(store, clock, ids, resolveFilters(), resolveWeighers())
  const collaborators = createServerCollaborators({ clock, ids })
  const serverOptions = {
    defaultAvailabilityZone: defaultZone,
    buildDeadlineSeconds: config.tasks.buildDeadlineSeconds,
    actionDeadlineSeconds: config.tasks.actionDeadlineSeconds,
    defaultAutoConfirmSeconds: 1,
  }
  const servers = new ServerService(store, clock, ids, queue, collaborators, serverOptions)
  new ServerTasks(store, clock, driver, scheduler, queue, collaborators, serverOptions).register(registry)
  const hosts = new HostService(store, clock, ids, driver, scheduler)
  const inspector = new ServerInspector(store, driver)

  const runner = new TaskRunner(store, registry, queue, clock, {
    workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    concurrency: config.tasks.concurrency,
    leaseMs: config.tasks.leaseMs,
    pollMs: config.tasks.pollMs,
    retryBaseMs: 500,
    retryMaxMs: 30_000,
  }, options.logger)

  await hosts.registerDriverHosts(config.simulation.cpuAllocationRatio, config.simulation.ramAllocationRatio,
    config.simulation.diskAllocationRatio)
  await scheduler.refresh()
  const worker = config.roles.includes('worker')
  if (worker) {
    await reconcileAfterRestart(store, clock, queue, scheduler, { singleWorker: !store.supportsConcurrentWorkers })
    driver.adoptOnDemand(adoptionSource(store, clock.now()))
  }
  if (worker && !options.inlineTasks) runner.start()
  // The scheduler's host cache is corrected from the database now and then, so that claims made by
  // other processes (or rolled back here) do not skew ranking for long.
  const refresher = worker && !options.inlineTasks ? setInterval(() => void scheduler.refresh().catch(() => undefined), 5000) : null
  refresher?.unref()

  return {
    config, store, clock, ids, driver, scheduler, queue, runner,
    services: { ...services, hosts, servers, inspector },
    drain: () => runner.drain(),
    async reset() {
      await maintenance.resetTenantResources(['Default Network'])
      driver.reset()
      await scheduler.refresh()
    },
    async close() {
      if (refresher) clearInterval(refresher)
      await runner.stop()
      driver.dispose()
      await store.close()
    },
  }
}

/**
 * The simulator keeps nothing on disk: after a restart it asks for each server the store held at the
 * restart when it first hears of it (a restart then costs the same whatever the number of servers).
 */
function adoptionSource(store: Store, restartedAt: Date): AdoptionSource {
  let hostNames: Promise<Map<string, string>> | undefined
  const nicsOf = async (serverId: string) => {
    const views = await serverNetworkViews(store, [serverId])
    return (views.get(serverId) ?? []).map((nic) => ({
      portId: nic.portId, macAddress: nic.macAddress, ipAddress: nic.ipAddress, networkId: nic.networkId,
      cidr: nic.cidr, gatewayIp: nic.gatewayIp,
    }))
  }
  return {
    async server(serverId) {
      hostNames ??= store.hosts.list().then((hosts) => new Map(hosts.map((host) => [host.id, host.name])), (error: unknown) => {
        hostNames = undefined
        throw error
      })
      const names = await hostNames
      const found = await serverToAdopt(store, serverId, restartedAt, nicsOf, (hostId) => names.get(hostId))
      if (found === undefined) return undefined
      const { server, host, nics, powerState } = found
      return {
        spec: {
          serverId: server.id, name: server.name, host, vcpus: server.vcpus, ramMb: server.ramMb, rootDiskGb: server.rootGb,
          imageId: server.imageId, imagePath: null, osType: server.osType, nics, disks: [], publicKey: null, userData: null,
          metadata: server.metadata,
        },
        powerState,
      }
    },
  }
}

export type { Clock }
