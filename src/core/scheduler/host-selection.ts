/**
 * Host selection: the pure half of the scheduler (Nova filter_scheduler + weights.py). scheduler.ts
 * calls rankHosts on the cached hosts, then claims capacity on the best one in a transaction; the
 * claim, not this ranking, is what keeps concurrent builds from oversubscribing a host.
 */
import type { Host } from '../hosts/host.ts'
import type { HostFilter, HostWeigher, PlacementRequest } from './placement-request.ts'
import { affinityFilter } from './filters/affinity-filter.ts'
import { antiAffinityFilter } from './filters/anti-affinity-filter.ts'
import { availabilityZoneFilter } from './filters/availability-zone-filter.ts'
import { computeCapacityFilter } from './filters/compute-capacity-filter.ts'
import { enabledFilter } from './filters/enabled-filter.ts'
import { excludedHostsFilter } from './filters/excluded-hosts-filter.ts'
import { partitionFilter } from './filters/partition-filter.ts'
import { cpuWeigher } from './weighers/cpu-weigher.ts'
import { diskWeigher } from './weighers/disk-weigher.ts'
import { ramWeigher } from './weighers/ram-weigher.ts'
import { serverCountWeigher } from './weighers/server-count-weigher.ts'

// ---------------------------------------------------------------------------------------------------
// Registries: config names filters and weighers; an explicit map rather than loading by class name
// (Nova's scheduler.enabled_filters) keeps the set greppable and typo-proof.

export const filterRegistry = {
  'excluded-hosts': excludedHostsFilter,
  'enabled': enabledFilter,
  'availability-zone': availabilityZoneFilter,
  'compute-capacity': computeCapacityFilter,
  'affinity': affinityFilter,
  'anti-affinity': antiAffinityFilter,
  'partition': partitionFilter,
} as const satisfies Readonly<Record<string, HostFilter>>

export type FilterName = keyof typeof filterRegistry

/** Takes the multiplier from config; without one, the weigher's own default applies. */
export type WeigherFactory = (multiplier?: number) => HostWeigher

export const weigherRegistry = {
  'ram': ramWeigher,
  'cpu': cpuWeigher,
  'disk': diskWeigher,
  'server-count': serverCountWeigher,
} as const satisfies Readonly<Record<string, WeigherFactory>>

export type WeigherName = keyof typeof weigherRegistry

/**
 * Every filter; all must pass, so the order only matters for speed: cheap, selective filters go
 * first (the zone filter alone drops most hosts in a multi-zone cloud).
 */
export const defaultFilterNames: readonly FilterName[] = [
  'excluded-hosts',
  'enabled',
  'availability-zone',
  'compute-capacity',
  'affinity',
  'anti-affinity',
  'partition',
]

export const defaultWeigherNames: readonly WeigherName[] = ['ram', 'cpu', 'disk', 'server-count']

export function isFilterName(name: string): name is FilterName {
  return Object.hasOwn(filterRegistry, name)
}

export function isWeigherName(name: string): name is WeigherName {
  return Object.hasOwn(weigherRegistry, name)
}

/** Config → filters. Throws on an unknown name so a typo fails at startup instead of disabling a rule. */
export function resolveFilters(names: readonly string[] = defaultFilterNames): HostFilter[] {
  return names.map((name) => {
    if (!isFilterName(name)) {
      throw new Error(
        `Unknown scheduler filter "${name}"; known filters: ${Object.keys(filterRegistry).join(', ')}`)
    }
    return filterRegistry[name]
  })
}

/**
 * Config → weighers. `multipliers` overrides the default multiplier of the named weighers; naming a
 * weigher there that is unknown or not enabled is an error too, as it is almost certainly a typo.
 */
export function resolveWeighers(
  names: readonly string[] = defaultWeigherNames,
  multipliers: Readonly<Record<string, number>> = {},
): HostWeigher[] {
  const weighers = names.map((name) => {
    if (!isWeigherName(name)) {
      throw new Error(
        `Unknown scheduler weigher "${name}"; known weighers: ${Object.keys(weigherRegistry).join(', ')}`)
    }
    const multiplier = Object.hasOwn(multipliers, name) ? multipliers[name] : undefined
    if (multiplier !== undefined && !Number.isFinite(multiplier)) {
      throw new Error(`Scheduler weigher "${name}" needs a finite multiplier, got ${multiplier}`)
    }
    return weigherRegistry[name](multiplier)
  })
  for (const name of Object.keys(multipliers)) {
    if (!names.includes(name)) {
      throw new Error(isWeigherName(name)
        ? `A multiplier is set for scheduler weigher "${name}", which is not enabled`
        : `A multiplier is set for unknown scheduler weigher "${name}"; known weighers: ${Object.keys(weigherRegistry).join(', ')}`)
    }
  }
  return weighers
}

// ---------------------------------------------------------------------------------------------------
// Ranking

export interface RankOptions {
  /** Return at most this many hosts; the rest are never fully sorted. */
  readonly limit?: number
}

// Scratch space reused across calls so a decision allocates nothing per host. rankHosts is synchronous
// and never re-entered (filters and weighers are pure), so one set of buffers is enough.
let passing = new Int32Array(0) // hosts[] index of each passing host
let scores = new Float64Array(0) // summed weight, by position in `passing`
let raw = new Float64Array(0) // one weigher's raw values, by position in `passing`

function ensureScratch(size: number): void {
  if (passing.length >= size) return
  const capacity = Math.max(size, passing.length * 2, 64)
  passing = new Int32Array(capacity)
  scores = new Float64Array(capacity)
  raw = new Float64Array(capacity)
}

/**
 * Runs every filter, then weighs the passing hosts: each weigher's values are normalised to 0..1 over
 * them (min-max; all equal → 0, as nova/weights.py), multiplied by its multiplier and summed. Returns
 * the passing hosts best first; equal scores are ordered by host name, then id, so that a decision
 * never depends on the order the hosts were loaded in.
 */
export function rankHosts(
  hosts: readonly Host[],
  request: PlacementRequest,
  filters: readonly HostFilter[],
  weighers: readonly HostWeigher[],
  options: RankOptions = {},
): Host[] {
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  if (!(limit >= 0) || (limit !== Number.POSITIVE_INFINITY && !Number.isInteger(limit))) {
    throw new RangeError(`rankHosts limit must be a non-negative integer, got ${limit}`)
  }

  const hostCount = hosts.length
  ensureScratch(hostCount)
  const filterCount = filters.length
  let count = 0
  nextHost: for (let i = 0; i < hostCount; i++) {
    const host = hosts[i]
    for (let f = 0; f < filterCount; f++) {
      if (!filters[f](host, request)) continue nextHost
    }
    passing[count++] = i
  }
  if (count === 0 || limit === 0) return []

  scores.fill(0, 0, count)
  for (const weigher of weighers) {
    const multiplier = weigher.multiplier
    if (multiplier === 0) continue
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    for (let k = 0; k < count; k++) {
      const value = weigher.value(hosts[passing[k]], request)
      raw[k] = value
      if (value < min) min = value
      if (value > max) max = value
    }
    // All equal: every host normalises to 0, so the weigher adds nothing.
    if (!(max > min)) continue
    const range = max - min
    for (let k = 0; k < count; k++) scores[k] += multiplier * ((raw[k] - min) / range)
  }

  const order = limit < count ? selectBest(hosts, count, limit) : allPositions(count)
  order.sort((a, b) => compareRanked(hosts, a, b))
  const ranked = new Array<Host>(order.length)
  for (let r = 0; r < order.length; r++) ranked[r] = hosts[passing[order[r]]]
  return ranked
}

/** Negative when the host at position a ranks before the one at position b. */
function compareRanked(hosts: readonly Host[], a: number, b: number): number {
  const byScore = scores[b] - scores[a]
  if (byScore !== 0) return byScore
  const hostA = hosts[passing[a]]
  const hostB = hosts[passing[b]]
  // Code-unit order rather than localeCompare: the tie-break must not depend on the process locale.
  if (hostA.name !== hostB.name) return hostA.name < hostB.name ? -1 : 1
  if (hostA.id !== hostB.id) return hostA.id < hostB.id ? -1 : 1
  return 0
}

function allPositions(count: number): Int32Array {
  const order = new Int32Array(count)
  for (let k = 0; k < count; k++) order[k] = k
  return order
}

/**
 * The `limit` best positions, unordered: a heap of the best seen so far with the worst of them at the
 * root, so most hosts cost one comparison against the root and the whole pass is O(n log limit).
 */
function selectBest(hosts: readonly Host[], count: number, limit: number): Int32Array {
  const heap = new Int32Array(limit)
  // "Worse" is the heap order: compareRanked(a, b) > 0 means a ranks after b.
  const worse = (a: number, b: number) => compareRanked(hosts, a, b) > 0
  const siftDown = (start: number) => {
    let parent = start
    for (;;) {
      const left = 2 * parent + 1
      if (left >= limit) return
      const right = left + 1
      const child = right < limit && worse(heap[right], heap[left]) ? right : left
      if (!worse(heap[child], heap[parent])) return
      const swap = heap[parent]
      heap[parent] = heap[child]
      heap[child] = swap
      parent = child
    }
  }
  for (let k = 0; k < limit; k++) heap[k] = k
  for (let p = (limit >> 1) - 1; p >= 0; p--) siftDown(p)
  for (let k = limit; k < count; k++) {
    if (worse(heap[0], k)) {
      heap[0] = k
      siftDown(0)
    }
  }
  return heap
}

// ---------------------------------------------------------------------------------------------------
// Host cache

export interface ClaimAmount {
  readonly vcpus: number
  readonly ramMb: number
  readonly diskGb: number
}

/**
 * The scheduler's in-memory copy of every host, so a decision does not read 10,000 rows. It may lag
 * the database (another node's claim, a host going down); that only costs a failed claim and a retry,
 * because the claim in the database is the authority.
 */
export class HostIndex {
  #hosts: Host[] = []
  #positions = new Map<string, number>()
  // all() hands out the array itself; the next change copies it first, so a caller's snapshot never
  // changes under it and repeated all() calls between changes cost nothing.
  #shared = false

  get size(): number {
    return this.#hosts.length
  }

  get(id: string): Host | undefined {
    const position = this.#positions.get(id)
    return position === undefined ? undefined : this.#hosts[position]
  }

  /** A snapshot: later changes to the index do not show in an array already returned. */
  all(): readonly Host[] {
    this.#shared = true
    return this.#hosts
  }

  upsert(host: Host): void {
    const hosts = this.#writable()
    const position = this.#positions.get(host.id)
    if (position === undefined) {
      this.#positions.set(host.id, hosts.length)
      hosts.push(host)
    } else {
      hosts[position] = host
    }
  }

  /** Replaces the whole cache, as after a full reload from the database. */
  replaceAll(hosts: Iterable<Host>): void {
    this.#hosts = []
    this.#positions.clear()
    this.#shared = false
    for (const host of hosts) this.upsert(host)
  }

  remove(id: string): boolean {
    const position = this.#positions.get(id)
    if (position === undefined) return false
    const hosts = this.#writable()
    // Swap with the last so removal is O(1); all() has no meaningful order, ranking sorts by score.
    const last = hosts.pop()!
    this.#positions.delete(id)
    if (position < hosts.length) {
      hosts[position] = last
      this.#positions.set(last.id, position)
    }
    return true
  }

  /**
   * Mirrors a claim (+1) or its release (-1) on the cached copy so the next decision sees it before
   * the cache is reloaded. Each claim is one server, hence the server count moves with it. Returns the
   * updated host, or undefined when the host is not cached (the database still holds the claim).
   */
  applyClaim(hostId: string, amount: ClaimAmount, sign: 1 | -1): Host | undefined {
    const position = this.#positions.get(hostId)
    if (position === undefined) return undefined
    const hosts = this.#writable()
    const host = hosts[position]
    const updated: Host = {
      ...host,
      vcpusUsed: host.vcpusUsed + sign * amount.vcpus,
      ramMbUsed: host.ramMbUsed + sign * amount.ramMb,
      diskGbUsed: host.diskGbUsed + sign * amount.diskGb,
      serverCount: host.serverCount + sign,
    }
    hosts[position] = updated
    return updated
  }

  #writable(): Host[] {
    if (this.#shared) {
      this.#hosts = this.#hosts.slice()
      this.#shared = false
    }
    return this.#hosts
  }
}
