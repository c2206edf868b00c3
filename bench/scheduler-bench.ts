/**
 * Cost of one scheduling decision over a large fleet: take the cached hosts, rank them with the default
 * filters and weighers, and mirror the claim on the chosen host, as scheduler.ts does. Prints numbers
 * only; run with `node bench/scheduler-bench.ts [hosts] [decisions]`.
 */
import type { Host } from '../src/core/hosts/host.ts'
import type { PlacementGroup, PlacementRequest } from '../src/core/scheduler/placement-request.ts'
import { HostIndex, rankHosts, resolveFilters, resolveWeighers } from '../src/core/scheduler/host-selection.ts'

export interface SchedulerBenchOptions {
  readonly hosts?: number
  readonly decisions?: number
  /** Passed to rankHosts; the default ranks every passing host, the most expensive case. */
  readonly limit?: number
}

export interface SchedulerBenchResult {
  readonly p50Ms: number
  readonly p99Ms: number
  readonly decisions: number
}

const ZONES = ['zone-a', 'zone-b', 'zone-c', 'zone-d', 'zone-e']

const FLAVORS = [
  { vcpus: 1, ramMb: 1024, diskGb: 20 },
  { vcpus: 2, ramMb: 4096, diskGb: 40 },
  { vcpus: 4, ramMb: 8192, diskGb: 80 },
  { vcpus: 8, ramMb: 16384, diskGb: 160 },
]

/** Mulberry32: a seeded generator, so every run benchmarks the same fleet and requests. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function makeHosts(count: number, next: () => number): Host[] {
  const hosts: Host[] = []
  for (let i = 0; i < count; i++) {
    const vcpus = [32, 48, 64, 96][Math.floor(next() * 4)]
    const ramMb = vcpus * 4096
    const diskGb = vcpus * 40
    const load = next() * 0.8
    hosts.push({
      id: `host-${i.toString().padStart(5, '0')}`,
      name: `compute-${(i * 7919 % count).toString().padStart(5, '0')}`,
      availabilityZone: ZONES[i % ZONES.length],
      driver: 'simulated',
      state: next() < 0.01 ? 'down' : 'up',
      enabled: next() >= 0.01,
      vcpus,
      ramMb,
      diskGb,
      vcpusUsed: Math.floor(vcpus * 4 * load),
      ramMbUsed: Math.floor(ramMb * 1.5 * load),
      diskGbUsed: Math.floor(diskGb * load),
      serverCount: Math.floor(vcpus * load),
      cpuAllocationRatio: 4,
      ramAllocationRatio: 1.5,
      diskAllocationRatio: 1,
      updatedAt: new Date(0),
    })
  }
  return hosts
}

/** A group whose members already run on a few random hosts, as a busy cloud would have. */
function makeGroup(kind: number, hosts: readonly Host[], next: () => number): PlacementGroup | null {
  const pick = () => hosts[Math.floor(next() * hosts.length)].id
  switch (kind) {
    case 1: {
      const host = pick()
      return { id: 'g-aff', policy: 'affinity', memberHosts: new Map([[host, 3]]), memberPartitions: new Map(), partitionNumber: null }
    }
    case 2: {
      const memberHosts = new Map<string, number>()
      for (let m = 0; m < 10; m++) memberHosts.set(pick(), 1)
      return { id: 'g-anti', policy: 'anti-affinity', memberHosts, memberPartitions: new Map(), partitionNumber: null }
    }
    case 3: {
      const memberHosts = new Map<string, number>()
      const memberPartitions = new Map<string, ReadonlySet<number>>()
      for (let m = 0; m < 30; m++) {
        const host = pick()
        memberHosts.set(host, (memberHosts.get(host) ?? 0) + 1)
        memberPartitions.set(host, new Set([m % 3]))
      }
      return { id: 'g-part', policy: 'partition', memberHosts, memberPartitions, partitionNumber: Math.floor(next() * 3) }
    }
    default:
      return null
  }
}

export function runSchedulerBench(options: SchedulerBenchOptions = {}): SchedulerBenchResult {
  const hostCount = options.hosts ?? 10_000
  const decisions = options.decisions ?? 2_000
  const next = random(42)
  const index = new HostIndex()
  index.replaceAll(makeHosts(hostCount, next))
  const filters = resolveFilters()
  const weighers = resolveWeighers()
  const rankOptions = options.limit === undefined ? {} : { limit: options.limit }

  // Requests are built before timing so the numbers are the scheduler's cost, not the generator's.
  const requests: PlacementRequest[] = []
  const warmup = Math.min(500, decisions)
  for (let d = 0; d < warmup + decisions; d++) {
    const kind = d % 4
    const flavor = FLAVORS[Math.floor(next() * FLAVORS.length)]
    requests.push({
      ...flavor,
      // Affinity groups pin a zone implicitly through their member; the rest mostly name one.
      availabilityZone: kind === 1 || next() < 0.2 ? null : ZONES[Math.floor(next() * ZONES.length)],
      group: makeGroup(kind, index.all(), next),
      excludeHostIds: d % 10 === 0 ? new Set([index.all()[Math.floor(next() * hostCount)].id]) : new Set(),
    })
  }

  const decide = (request: PlacementRequest) => {
    const best = rankHosts(index.all(), request, filters, weighers, rankOptions)[0]
    if (best !== undefined) index.applyClaim(best.id, request, 1)
  }
  for (let d = 0; d < warmup; d++) decide(requests[d])

  const timings = new Float64Array(decisions)
  for (let d = 0; d < decisions; d++) {
    const request = requests[warmup + d]
    const start = performance.now()
    decide(request)
    timings[d] = performance.now() - start
  }
  timings.sort()
  const at = (q: number) => timings[Math.min(decisions - 1, Math.floor(q * decisions))]
  return { p50Ms: at(0.5), p99Ms: at(0.99), decisions }
}

if (import.meta.main) {
  const hosts = Number(process.argv[2] ?? 10_000)
  const decisions = Number(process.argv[3] ?? 2_000)
  for (const limit of [undefined, 10]) {
    const result = runSchedulerBench({ hosts, decisions, limit })
    const label = limit === undefined ? 'full ranking' : `limit ${limit}`
    console.log(
      `scheduler: ${hosts} hosts, ${result.decisions} decisions, ${label}: ` +
      `p50 ${result.p50Ms.toFixed(3)} ms, p99 ${result.p99Ms.toFixed(3)} ms`)
  }
}
