/**
 * Host selection: the pure half of the scheduler (Nova filter_scheduler + weights.py). scheduler.ts
 * calls rankHosts on the cached hosts, then claims capacity on the best one in a transaction; the
 * claim, not this ranking, is what keeps concurrent builds from oversubscribing a host.
 */
import type { Host } from '../hosts/host.ts'
import type { HostFilter, HostWeigher, PlacementRequest } from './placement-request.ts'
import { affinityFilter, affinityFilterApplies } from './filters/affinity-filter.ts'
import { antiAffinityFilter, antiAffinityFilterApplies } from './filters/anti-affinity-filter.ts'
import { availabilityZoneFilter, availabilityZoneFilterApplies } from './filters/availability-zone-filter.ts'
import { computeCapacityFilter } from './filters/compute-capacity-filter.ts'
import { enabledFilter } from './filters/enabled-filter.ts'
import { excludedHostsFilter, excludedHostsFilterApplies } from './filters/excluded-hosts-filter.ts'
import { partitionFilter, partitionFilterApplies } from './filters/partition-filter.ts'
import { cpuWeigher } from './weighers/cpu-weigher.ts'
import { diskWeigher } from './weighers/disk-weigher.ts'
import { ramWeigher } from './weighers/ram-weigher.ts'
import { serverCountWeigher } from './weighers/server-count-weigher.ts'

// ---------------------------------------------------------------------------------------------------
// Registries: config names filters and weighers; an explicit map rather than loading by class name
// (Nova's scheduler.enabled_filters) keeps the set greppable and typo-proof.

export const filterRegistry = Object.freeze({
  'excluded-hosts': excludedHostsFilter,
  'enabled': enabledFilter,
  'availability-zone': availabilityZoneFilter,
  'compute-capacity': computeCapacityFilter,
  'affinity': affinityFilter,
  'anti-affinity': antiAffinityFilter,
  'partition': partitionFilter,
} satisfies Record<string, HostFilter>)

export type FilterName = keyof typeof filterRegistry

/**
 * For filters that only constrain some requests (a zone, a group, exclusions): whether they can reject
 * anything for this request. Most requests name no group, so this spares most per-host calls.
 */
const filterApplies = new Map<HostFilter, (request: PlacementRequest) => boolean>([
  [excludedHostsFilter, excludedHostsFilterApplies],
  [availabilityZoneFilter, availabilityZoneFilterApplies],
  [affinityFilter, affinityFilterApplies],
  [antiAffinityFilter, antiAffinityFilterApplies],
  [partitionFilter, partitionFilterApplies],
])

/** Takes the multiplier from config; without one, the weigher's own default applies. */
export type WeigherFactory = (multiplier?: number) => HostWeigher

export const weigherRegistry = Object.freeze({
  'ram': ramWeigher,
  'cpu': cpuWeigher,
  'disk': diskWeigher,
  'server-count': serverCountWeigher,
} satisfies Record<string, WeigherFactory>)

export type WeigherName = keyof typeof weigherRegistry

/**
 * Every filter. All must pass, so the order only matters for speed: the zone filter goes first because
 * in a multi-zone cloud it alone drops most hosts.
 */
export const defaultFilterNames: readonly FilterName[] = [
  'availability-zone',
  'enabled',
  'compute-capacity',
  'excluded-hosts',
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
  rejectDuplicates('filter', names)
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
  // Listing a weigher twice would silently double its weight.
  rejectDuplicates('weigher', names)
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

function rejectDuplicates(kind: string, names: readonly string[]): void {
  const duplicate = names.find((name, index) => names.indexOf(name) !== index)
  if (duplicate !== undefined) throw new Error(`Scheduler ${kind} "${duplicate}" is listed more than once`)
}

// ---------------------------------------------------------------------------------------------------
// Ranking

export interface RankOptions {
  /** Return at most this many hosts, the best ones; a small limit also spares sorting the rest. */
  readonly limit?: number
}

// Scratch space reused across calls so that a decision allocates nothing per host and per weigher.
// rankHosts is synchronous and never re-entered (filters and weighers are pure), so one set suffices.
let passing = new Int32Array(0) // hosts[] index of each passing host, ascending
let scores = new Float64Array(0) // summed weight, by position in `passing`
let raw = new Float64Array(0) // weigher w's raw value for position k at [w * hostCount + k]

function ensureScratch(hostCount: number, weigherCount: number): void {
  if (passing.length < hostCount) {
    const capacity = Math.max(hostCount, passing.length * 2, 64)
    passing = new Int32Array(capacity)
    scores = new Float64Array(capacity)
  }
  if (raw.length < hostCount * weigherCount) raw = new Float64Array(Math.max(hostCount * weigherCount, raw.length * 2))
}

/**
 * Arrays HostIndex.all() has handed out: sorted by (name, id) and never changed afterwards. For them a
 * host's position already encodes the tie-break, so ranking skips string comparisons entirely.
 */
const nameOrdered = new WeakSet<readonly Host[]>()

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
  const active = filters.filter((filter) => filterApplies.get(filter)?.(request) ?? true)
  // A zero multiplier contributes nothing whatever the values, so it is not even asked for them.
  const weighing = weighers.filter((weigher) => weigher.multiplier !== 0)
  const hostCount = hosts.length
  const filterCount = active.length
  const weigherCount = weighing.length
  ensureScratch(hostCount, weigherCount)

  // One pass: a host is weighed right after it passes, while it is still in cache; the values are
  // stored per weigher and normalised afterwards, over contiguous memory.
  // The first four filters and weighers are called from call sites of their own rather than from a
  // loop: a site that always sees the same function gets it inlined, which a loop calling every filter
  // cannot (measured: about a third of the cost of a decision over 10,000 hosts).
  const [f0, f1, f2, f3] = active
  const [w0, w1, w2, w3] = weighing
  let count = 0
  nextHost: for (let i = 0; i < hostCount; i++) {
    const host = hosts[i]
    if (filterCount > 0 && !f0(host, request)) continue
    if (filterCount > 1 && !f1(host, request)) continue
    if (filterCount > 2 && !f2(host, request)) continue
    if (filterCount > 3 && !f3(host, request)) continue
    for (let f = 4; f < filterCount; f++) {
      if (!active[f](host, request)) continue nextHost
    }
    if (weigherCount > 0) raw[count] = w0.value(host, request)
    if (weigherCount > 1) raw[hostCount + count] = w1.value(host, request)
    if (weigherCount > 2) raw[2 * hostCount + count] = w2.value(host, request)
    if (weigherCount > 3) raw[3 * hostCount + count] = w3.value(host, request)
    for (let w = 4, offset = 4 * hostCount + count; w < weigherCount; w++, offset += hostCount) {
      raw[offset] = weighing[w].value(host, request)
    }
    passing[count++] = i
  }
  if (count === 0 || limit === 0) return []

  scores.fill(0, 0, count)
  for (let w = 0, offset = 0; w < weigherCount; w++, offset += hostCount) {
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    for (let k = offset; k < offset + count; k++) {
      const value = raw[k]
      if (value < min) min = value
      if (value > max) max = value
    }
    // All equal: every host normalises to 0, so the weigher adds nothing.
    if (!(max > min)) continue
    const range = max - min
    const multiplier = weighing[w].multiplier
    for (let k = 0; k < count; k++) scores[k] += multiplier * ((raw[offset + k] - min) / range)
  }

  const compare = nameOrdered.has(hosts) ? compareByPosition : compareByName(hosts)
  let order: Int32Array
  if (limit < count && limit <= HEAP_SELECT_MAX) {
    order = selectBest(count, limit, compare)
    order.sort(compare)
  } else {
    order = sortAll(count, compare, compare === compareByPosition)
    if (limit < count) order = order.subarray(0, limit)
  }
  const ranked = new Array<Host>(order.length)
  for (let r = 0; r < order.length; r++) ranked[r] = hosts[passing[order[r]]]
  return ranked
}

/**
 * Above this limit a heap selection does more comparator calls than sorting everything with sortAll,
 * which hardly calls the comparator at all.
 */
const HEAP_SELECT_MAX = 64

/** Orders positions in `passing`: negative when a ranks before b. */
type PositionCompare = (a: number, b: number) => number

/** Ties by position: right when positions follow (name, id) order, see nameOrdered. */
function compareByPosition(a: number, b: number): number {
  return scores[b] - scores[a] || a - b
}

function compareByName(hosts: readonly Host[]): PositionCompare {
  return (a, b) => {
    const byScore = scores[b] - scores[a]
    if (byScore !== 0) return byScore
    return compareHosts(hosts[passing[a]], hosts[passing[b]])
  }
}

/** Code-unit order rather than localeCompare: the tie-break must not depend on the process locale. */
function compareHosts(a: Host, b: Host): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1
  if (a.id !== b.id) return a.id < b.id ? -1 : 1
  return 0
}

let bucketStarts = new Int32Array(0)
let bucketed = new Int32Array(0)
let bucketOf = new Int32Array(0) // by position in `passing`

/**
 * Sorts every passing position, best first. A comparator sort of 10,000 entries costs milliseconds on
 * a small machine, so this is a bucket sort on the score: scores are bounded, so n buckets spread
 * evenly hold about one host each, and only buckets holding different scores are sorted further
 * (recursively, then by the comparator). Distributing keeps positions in ascending order within a
 * bucket, so when positions are in name order, a bucket of equal scores is already tie-broken.
 */
function sortAll(count: number, compare: PositionCompare, positionIsTieBreak: boolean): Int32Array {
  const order = new Int32Array(count)
  for (let k = 0; k < count; k++) order[k] = k
  if (bucketed.length < count) {
    bucketed = new Int32Array(Math.max(count, bucketed.length * 2))
    bucketOf = new Int32Array(bucketed.length)
    bucketStarts = new Int32Array(bucketed.length + 1)
  }
  sortRange(order, 0, count, compare, positionIsTieBreak, 0)
  return order
}

function sortRange(
  order: Int32Array, start: number, end: number, compare: PositionCompare, positionIsTieBreak: boolean, depth: number,
): void {
  const size = end - start
  let best = Number.NEGATIVE_INFINITY
  let worst = Number.POSITIVE_INFINITY
  for (let r = start; r < end; r++) {
    const score = scores[order[r]]
    if (score > best) best = score
    if (score < worst) worst = score
  }
  if (!(best > worst)) {
    if (!positionIsTieBreak) order.subarray(start, end).sort(compare)
    return
  }
  // Small ranges, and scores so skewed that buckets keep failing to split them, go to the comparator.
  if (size <= 16) {
    insertionSort(order, start, end, compare)
    return
  }
  if (depth >= 8) {
    order.subarray(start, end).sort(compare)
    return
  }

  const last = size - 1
  const scale = last / (best - worst)
  bucketStarts.fill(0, 0, size + 1)
  for (let r = start; r < end; r++) {
    const position = order[r]
    const bucket = Math.min(last, Math.floor((best - scores[position]) * scale))
    bucketOf[position] = bucket
    bucketStarts[bucket + 1]++
  }
  for (let b = 0; b < size; b++) bucketStarts[b + 1] += bucketStarts[b]
  for (let r = start; r < end; r++) {
    const position = order[r]
    bucketed[start + bucketStarts[bucketOf[position]]++] = position
  }
  order.set(bucketed.subarray(start, end), start)

  // The recursion rewrites bucketOf for the run it sorts, so each run's end is found before recursing.
  let runStart = start
  while (runStart < end) {
    const runBucket = bucketOf[order[runStart]]
    let runEnd = runStart + 1
    while (runEnd < end && bucketOf[order[runEnd]] === runBucket) runEnd++
    if (runEnd - runStart > 1) sortRange(order, runStart, runEnd, compare, positionIsTieBreak, depth + 1)
    runStart = runEnd
  }
}

function insertionSort(order: Int32Array, start: number, end: number, compare: PositionCompare): void {
  for (let r = start + 1; r < end; r++) {
    const position = order[r]
    let s = r - 1
    while (s >= start && compare(order[s], position) > 0) {
      order[s + 1] = order[s]
      s--
    }
    order[s + 1] = position
  }
}

/**
 * The `limit` best positions, unordered: a heap of the best seen so far with the worst of them at the
 * root, so most hosts cost one comparison against the root and the whole pass is O(n log limit).
 */
function selectBest(count: number, limit: number, compare: PositionCompare): Int32Array {
  const heap = new Int32Array(limit)
  const siftDown = (start: number) => {
    let parent = start
    for (;;) {
      const left = 2 * parent + 1
      if (left >= limit) return
      const right = left + 1
      const child = right < limit && compare(heap[right], heap[left]) > 0 ? right : left
      if (compare(heap[child], heap[parent]) <= 0) return
      const swap = heap[parent]
      heap[parent] = heap[child]
      heap[child] = swap
      parent = child
    }
  }
  for (let k = 0; k < limit; k++) heap[k] = k
  for (let p = (limit >> 1) - 1; p >= 0; p--) siftDown(p)
  for (let k = limit; k < count; k++) {
    if (compare(heap[0], k) > 0) {
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
 *
 * Hosts are kept sorted by (name, id), which lets rankHosts break ties without comparing strings; host
 * registration is rare, so paying O(n) there is the right trade. The index stores its own copies,
 * allocated in that order: a ranking walks every host, and on a small machine walking objects scattered
 * over the heap costs twice as much as walking them in allocation order.
 */
export class HostIndex {
  #hosts: Host[] = []
  #byId = new Map<string, Host>()
  // all() hands out the array itself; the next change copies it first, so a caller's snapshot never
  // changes under it and repeated all() calls between changes cost nothing.
  #shared = false

  get size(): number {
    return this.#hosts.length
  }

  get(id: string): Host | undefined {
    return this.#byId.get(id)
  }

  /** Sorted by name, then id. A snapshot: later changes to the index do not show in it. */
  all(): readonly Host[] {
    if (!this.#shared) {
      this.#shared = true
      nameOrdered.add(this.#hosts)
    }
    return this.#hosts
  }

  upsert(record: Host): void {
    const host = { ...record }
    const existing = this.#byId.get(host.id)
    const hosts = this.#writable()
    if (existing !== undefined && existing.name === host.name) {
      hosts[this.#positionOf(existing)] = host
    } else {
      if (existing !== undefined) hosts.splice(this.#positionOf(existing), 1)
      hosts.splice(lowerBound(hosts, host), 0, host)
    }
    this.#byId.set(host.id, host)
  }

  /** Replaces the whole cache, as after a full reload from the database. */
  replaceAll(hosts: Iterable<Host>): void {
    const byId = new Map<string, Host>()
    for (const host of hosts) byId.set(host.id, host)
    this.#hosts = [...byId.values()].sort(compareHosts).map((host) => ({ ...host }))
    this.#byId = new Map(this.#hosts.map((host) => [host.id, host]))
    this.#shared = false
  }

  remove(id: string): boolean {
    const existing = this.#byId.get(id)
    if (existing === undefined) return false
    this.#writable().splice(this.#positionOf(existing), 1)
    this.#byId.delete(id)
    return true
  }

  /**
   * Mirrors a claim (+1) or its release (-1) on the cached copy so the next decision sees it before
   * the cache is reloaded. Each claim is one server, hence the server count moves with it. Returns the
   * updated host, or undefined when the host is not cached (the database still holds the claim).
   */
  applyClaim(hostId: string, amount: ClaimAmount, sign: 1 | -1): Host | undefined {
    const host = this.#byId.get(hostId)
    if (host === undefined) return undefined
    const updated: Host = {
      ...host,
      vcpusUsed: host.vcpusUsed + sign * amount.vcpus,
      ramMbUsed: host.ramMbUsed + sign * amount.ramMb,
      diskGbUsed: host.diskGbUsed + sign * amount.diskGb,
      serverCount: host.serverCount + sign,
    }
    this.#writable()[this.#positionOf(host)] = updated
    this.#byId.set(hostId, updated)
    return updated
  }

  #positionOf(host: Host): number {
    return lowerBound(this.#hosts, host)
  }

  #writable(): Host[] {
    if (this.#shared) {
      this.#hosts = this.#hosts.slice()
      this.#shared = false
    }
    return this.#hosts
  }
}

/** First position whose host does not sort before `host`. */
function lowerBound(hosts: readonly Host[], host: Host): number {
  let low = 0
  let high = hosts.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compareHosts(hosts[middle], host) < 0) low = middle + 1
    else high = middle
  }
  return low
}
