import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Repositories, Store } from '../ports/store.ts'
import type { Host } from '../hosts/host.ts'
import type { Resources } from '../hosts/host-repository.ts'
import type { HostFilter, HostWeigher, PlacementRequest } from './placement-request.ts'
import { HostIndex, rankHosts } from './host-selection.ts'

/** Nova's message for a build that no host can take. */
export const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.'

export class NoValidHostError extends Error {
  constructor(detail?: string) {
    super(detail ? `${NO_VALID_HOST} ${detail}` : NO_VALID_HOST)
    this.name = 'NoValidHostError'
  }
}

/** How many ranked hosts a placement tries before giving up (each try is one conditional UPDATE). */
const CLAIM_ATTEMPTS = 8

/**
 * Placement: filter and weigh hosts from an in-memory index, then claim capacity on the best host with
 * an atomic conditional update inside the caller's transaction and record the allocation. The database
 * claim is the authority; the index only spares reading every host row per decision, and is corrected
 * from the database whenever a claim is refused and on every refresh.
 */
export class Scheduler {
  readonly #store: Store
  readonly #clock: Clock
  readonly #ids: IdGenerator
  readonly #filters: readonly HostFilter[]
  readonly #weighers: readonly HostWeigher[]
  readonly #index = new HostIndex()
  #loaded = false

  constructor(store: Store, clock: Clock, ids: IdGenerator, filters: readonly HostFilter[], weighers: readonly HostWeigher[]) {
    this.#store = store
    this.#clock = clock
    this.#ids = ids
    this.#filters = filters
    this.#weighers = weighers
  }

  /** Reloads every host from the store (at start, periodically, and after refused claims). */
  async refresh(): Promise<void> {
    await this.#reload(this.#store)
  }

  async #reload(repositories: Repositories): Promise<void> {
    this.#index.replaceAll(await repositories.hosts.list())
    this.#loaded = true
  }

  /** Ranked candidates for a request, best first (no claim). */
  candidates(request: PlacementRequest, limit = CLAIM_ATTEMPTS): Host[] {
    return rankHosts(this.#index.all(), request, this.#filters, this.#weighers, { limit })
  }

  /**
   * Chooses a host and claims the request's resources on it for `consumerId`, in `tx`. Throws
   * NoValidHostError when no host passes the filters or every claim is refused.
   */
  async place(tx: Repositories, consumerId: string, request: PlacementRequest): Promise<Host> {
    // Reads go through `tx`: on SQLite the transaction holds the only connection, so a read outside it
    // would wait for the transaction forever.
    if (!this.#loaded) await this.#reload(tx)
    const excluded = new Set(request.excludeHostIds)
    for (let round = 0; round < 2; round++) {
      for (const host of this.candidates({ ...request, excludeHostIds: excluded })) {
        const claimed = await this.claimOn(tx, host.id, consumerId, request)
        if (claimed) return claimed
        excluded.add(host.id)
      }
      // Nothing fitted as the index sees it, and the index may be stale either way: another process
      // placed or freed servers, or a transaction that moved it rolled back. Reload and rank once more.
      if (round === 0) await this.#reload(tx)
    }
    throw new NoValidHostError()
  }

  /** Claims on one given host (resize to the same host, forced placement); null when it does not fit. */
  async claimOn(tx: Repositories, hostId: string, consumerId: string, resources: Resources): Promise<Host | null> {
    const now = this.#clock.now()
    const claim = { vcpus: resources.vcpus, ramMb: resources.ramMb, diskGb: resources.diskGb }
    if (!(await tx.hosts.claim(hostId, claim, now))) {
      const fresh = await tx.hosts.get(hostId)
      if (fresh) this.#index.upsert(fresh)
      return null
    }
    await tx.hosts.addAllocation({ id: this.#ids.uuid(), consumerId, hostId, ...claim, createdAt: now })
    this.#index.applyClaim(hostId, claim, 1)
    return this.#index.get(hostId) ?? (await tx.hosts.get(hostId)) ?? null
  }

  /** Returns every allocation `consumerId` holds (or only those on `hostId`) to its host. */
  async release(tx: Repositories, consumerId: string, hostId?: string): Promise<void> {
    const now = this.#clock.now()
    for (const allocation of await tx.hosts.allocationsOf(consumerId)) {
      if (hostId && allocation.hostId !== hostId) continue
      await tx.hosts.unclaim(allocation.hostId, allocation, now)
      await tx.hosts.removeAllocation(allocation.id)
      this.#index.applyClaim(allocation.hostId, allocation, -1)
    }
  }
}
