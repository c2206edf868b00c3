import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { HypervisorDriver } from '../ports/hypervisor-driver.ts'
import type { Store } from '../ports/store.ts'
import { notFound } from '../shared/errors.ts'
import type { Scheduler } from '../scheduler/scheduler.ts'
import type { Host } from './host.ts'

/** Hosts as operators see them: registration from the driver, state, enablement. */
export class HostService {
  readonly #store: Store
  readonly #clock: Clock
  readonly #ids: IdGenerator
  readonly #driver: HypervisorDriver
  readonly #scheduler: Scheduler

  constructor(store: Store, clock: Clock, ids: IdGenerator, driver: HypervisorDriver, scheduler: Scheduler) {
    this.#store = store
    this.#clock = clock
    this.#ids = ids
    this.#driver = driver
    this.#scheduler = scheduler
  }

  /** Registers (or refreshes the capacity of) every host the driver runs, and their zones. */
  async registerDriverHosts(cpuRatio: number, ramRatio: number, diskRatio: number): Promise<Host[]> {
    const described = await this.#driver.describeHosts()
    const now = this.#clock.now()
    const hosts = await this.#store.transaction(async (tx) => {
      await tx.availabilityZones.ensure([...new Set(described.map((host) => host.availabilityZone))], now)
      const registered: Host[] = []
      for (const host of described) {
        const existing = await tx.hosts.getByName(host.name)
        registered.push(await tx.hosts.register({
          id: existing?.id ?? this.#ids.uuid(), name: host.name, availabilityZone: host.availabilityZone,
          driver: this.#driver.name, vcpus: host.vcpus, ramMb: host.ramMb, diskGb: host.diskGb,
          cpuAllocationRatio: cpuRatio, ramAllocationRatio: ramRatio, diskAllocationRatio: diskRatio,
        }, now))
      }
      return registered
    })
    await this.#scheduler.refresh()
    return hosts
  }

  list(): Promise<Host[]> {
    return this.#store.hosts.list()
  }

  async get(idOrName: string): Promise<Host> {
    const host = (await this.#store.hosts.get(idOrName)) ?? (await this.#store.hosts.getByName(idOrName))
    if (!host) throw notFound('host', idOrName)
    return host
  }

  async setState(idOrName: string, state: 'up' | 'down'): Promise<Host> {
    const host = await this.get(idOrName)
    await this.#store.hosts.setState(host.id, state, this.#clock.now())
    await this.#scheduler.refresh()
    return this.get(host.id)
  }

  async setEnabled(idOrName: string, enabled: boolean): Promise<Host> {
    const host = await this.get(idOrName)
    await this.#store.hosts.setEnabled(host.id, enabled, this.#clock.now())
    await this.#scheduler.refresh()
    return this.get(host.id)
  }
}
