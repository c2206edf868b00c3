/**
 * Read-only questions about a running server that only the hypervisor can answer (console log,
 * metrics). Reads change nothing, so they go to the driver directly rather than through a task.
 */
import type { HypervisorDriver, ServerMetrics } from '../ports/hypervisor-driver.ts'
import type { Store } from '../ports/store.ts'
import { DomainError, notFound, notSupported } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import type { Server } from './server.ts'

export class ServerInspector {
  readonly #store: Store
  readonly #driver: HypervisorDriver

  constructor(store: Store, driver: HypervisorDriver) {
    this.#store = store
    this.#driver = driver
  }

  async consoleOutput(owner: Owner, serverId: string, lines?: number): Promise<string> {
    const server = await this.#running(owner, serverId)
    if (!this.#driver.consoleLog) throw notSupported(`The ${this.#driver.name} hypervisor has no console log.`)
    return this.#driver.consoleLog(server.id, lines)
  }

  async metrics(owner: Owner, serverId: string): Promise<ServerMetrics> {
    const server = await this.#running(owner, serverId)
    if (!this.#driver.metrics) throw notSupported(`The ${this.#driver.name} hypervisor reports no metrics.`)
    return this.#driver.metrics(server.id)
  }

  async #running(owner: Owner, serverId: string): Promise<Server> {
    const server = await this.#store.servers.get(owner.projectId, serverId)
    if (!server) throw notFound('server', serverId, 'instance')
    if (!server.hostId || server.vmState === 'building') {
      throw new DomainError('invalid_state', `Instance ${serverId} is not ready yet (vm_state ${server.vmState}).`, {
        resource: 'server', id: serverId, state: server.vmState,
      })
    }
    return server
  }
}
