import { describe, expect, it } from 'vitest'
import type { Host } from '../hosts/host.ts'
import type { HostFilter, HostWeigher, PlacementGroup, PlacementRequest } from './placement-request.ts'
import {
  defaultFilterNames,
  defaultWeigherNames,
  filterRegistry,
  HostIndex,
  rankHosts,
  resolveFilters,
  resolveWeighers,
  weigherRegistry,
} from './host-selection.ts'

const host = (id: string, overrides: Partial<Host> = {}): Host => ({
  id, name: id, availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 16, ramMb: 65536, diskGb: 1000, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0), ...overrides,
})
const request = (overrides: Partial<PlacementRequest> = {}): PlacementRequest => ({
  vcpus: 1, ramMb: 1024, diskGb: 10, availabilityZone: null, group: null, excludeHostIds: new Set(), ...overrides,
})
const weigher = (name: string, multiplier: number, value: HostWeigher['value']): HostWeigher =>
  ({ name, multiplier, value })
const names = (hosts: readonly Host[]) => hosts.map((candidate) => candidate.name)

/** Mulberry32, so the randomised comparisons below are reproducible. */
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

/** The ranking written the plain way (every filter on every host, Nova's normalisation, one sort). */
function referenceRank(
  hosts: readonly Host[], req: PlacementRequest, filters: readonly HostFilter[], weighers: readonly HostWeigher[],
  limit = Number.POSITIVE_INFINITY,
): Host[] {
  const passing = hosts.filter((candidate) => filters.every((filter) => filter(candidate, req)))
  const scores = new Map<Host, number>(passing.map((candidate) => [candidate, 0]))
  for (const w of weighers) {
    const values = passing.map((candidate) => w.value(candidate, req))
    const min = Math.min(...values)
    const max = Math.max(...values)
    if (min === max || w.multiplier === 0) continue
    passing.forEach((candidate, i) => {
      scores.set(candidate, scores.get(candidate)! + w.multiplier * ((values[i] - min) / (max - min)))
    })
  }
  return [...passing].sort((a, b) =>
    scores.get(b)! - scores.get(a)! ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  ).slice(0, limit)
}

describe('registries', () => {
  it('resolves every default name', () => {
    expect(resolveFilters()).toHaveLength(defaultFilterNames.length)
    expect(resolveWeighers().map((w) => w.name)).toEqual([...defaultWeigherNames])
    for (const name of defaultFilterNames) expect(filterRegistry).toHaveProperty([name])
    for (const name of defaultWeigherNames) expect(weigherRegistry).toHaveProperty([name])
  })

  it('enables every registered filter and weigher by default', () => {
    expect([...defaultFilterNames].sort()).toEqual(Object.keys(filterRegistry).sort())
    expect([...defaultWeigherNames].sort()).toEqual(Object.keys(weigherRegistry).sort())
  })

  it('keeps the configured order', () => {
    expect(resolveFilters(['enabled', 'availability-zone'])).toEqual([
      filterRegistry['enabled'], filterRegistry['availability-zone'],
    ])
  })

  it('rejects an unknown filter name, listing the known ones', () => {
    expect(() => resolveFilters(['enabled', 'ram-filter'])).toThrow(
      /Unknown scheduler filter "ram-filter"; known filters: .*compute-capacity/)
  })

  it('rejects names that only exist on the object prototype', () => {
    expect(() => resolveFilters(['constructor'])).toThrow(/Unknown scheduler filter "constructor"/)
    expect(() => resolveWeighers(['toString'])).toThrow(/Unknown scheduler weigher "toString"/)
  })

  it('rejects an unknown weigher name, listing the known ones', () => {
    expect(() => resolveWeighers(['ram', 'io-ops'])).toThrow(
      /Unknown scheduler weigher "io-ops"; known weighers: .*server-count/)
  })

  it('rejects a name listed twice', () => {
    expect(() => resolveFilters(['enabled', 'enabled'])).toThrow(/filter "enabled" is listed more than once/)
    expect(() => resolveWeighers(['ram', 'ram'])).toThrow(/weigher "ram" is listed more than once/)
  })

  it('applies configured multipliers and keeps the defaults otherwise', () => {
    const weighers = resolveWeighers(['ram', 'server-count'], { ram: -1 })
    expect(weighers.map((w) => [w.name, w.multiplier])).toEqual([['ram', -1], ['server-count', -1]])
  })

  it('rejects a multiplier for a weigher that is unknown, not enabled, or not finite', () => {
    expect(() => resolveWeighers(['ram'], { rma: 2 })).toThrow(/unknown scheduler weigher "rma"/)
    expect(() => resolveWeighers(['ram'], { cpu: 2 })).toThrow(/weigher "cpu", which is not enabled/)
    expect(() => resolveWeighers(['ram'], { ram: Number.NaN })).toThrow(/"ram" needs a finite multiplier/)
  })
})

describe('rankHosts', () => {
  it('keeps only the hosts that pass every filter', () => {
    const hosts = [
      host('a'),
      host('b', { state: 'down' }),
      host('c', { availabilityZone: 'az2' }),
      host('d', { vcpusUsed: 16 }),
      host('e'),
    ]
    const ranked = rankHosts(hosts, request({ availabilityZone: 'az1' }), resolveFilters(), [])
    expect(names(ranked)).toEqual(['a', 'e'])
  })

  it('returns nothing when no host passes', () => {
    expect(rankHosts([host('a', { enabled: false })], request(), resolveFilters(), resolveWeighers())).toEqual([])
    expect(rankHosts([], request(), resolveFilters(), resolveWeighers())).toEqual([])
  })

  it('runs a filter that is not in the registry on every host', () => {
    const evenOnly: HostFilter = (candidate) => Number(candidate.id.slice(1)) % 2 === 0
    const hosts = Array.from({ length: 6 }, (_, i) => host(`h${i}`))
    expect(names(rankHosts(hosts, request(), [evenOnly], []))).toEqual(['h0', 'h2', 'h4'])
  })

  it('spreads by default: more free RAM first', () => {
    const hosts = [host('a', { ramMbUsed: 32768 }), host('b', { ramMbUsed: 0 }), host('c', { ramMbUsed: 16384 })]
    expect(names(rankHosts(hosts, request(), [], resolveWeighers(['ram'])))).toEqual(['b', 'c', 'a'])
  })

  it('stacks with a negative multiplier: less free RAM first', () => {
    const hosts = [host('a', { ramMbUsed: 32768 }), host('b', { ramMbUsed: 0 }), host('c', { ramMbUsed: 16384 })]
    expect(names(rankHosts(hosts, request(), [], resolveWeighers(['ram'], { ram: -1 })))).toEqual(['a', 'c', 'b'])
  })

  it('prefers hosts with fewer servers by default', () => {
    const hosts = [host('a', { serverCount: 5 }), host('b', { serverCount: 1 }), host('c', { serverCount: 3 })]
    expect(names(rankHosts(hosts, request(), [], resolveWeighers(['server-count'])))).toEqual(['b', 'c', 'a'])
  })

  it('normalises each weigher so that its scale does not matter, only its multiplier', () => {
    // Raw values: small differs by 1, large by 1000. Normalised, both span 0..1, so x scores 2 × 1
    // and y scores 1 × 1; summing raw values instead would put y first.
    const small = weigher('small', 2, (candidate) => (candidate.id === 'x' ? 1 : 0))
    const large = weigher('large', 1, (candidate) => (candidate.id === 'y' ? 1000 : 0))
    expect(names(rankHosts([host('y'), host('x')], request(), [], [small, large]))).toEqual(['x', 'y'])
    const heavierLarge = weigher('large', 3, large.value)
    expect(names(rankHosts([host('y'), host('x')], request(), [], [small, heavierLarge]))).toEqual(['y', 'x'])
  })

  it('scales intermediate values linearly between the minimum and the maximum', () => {
    const first = weigher('first', 1, (candidate) => ({ a: 50, b: 0, c: 100 })[candidate.id]!)
    const second = weigher('second', 1, (candidate) => ({ a: 0, b: 10, c: 0 })[candidate.id]!)
    // first normalises to a 0.5, b 0, c 1; second to a 0, b 1, c 0. Totals a 0.5, b 1, c 1: b and c tie.
    expect(names(rankHosts([host('c'), host('a'), host('b')], request(), [], [first, second]))).toEqual(['b', 'c', 'a'])
    const halfSecond = weigher('second', 0.4, second.value)
    // Totals: a 0.5, b 0.4, c 1.
    expect(names(rankHosts([host('c'), host('a'), host('b')], request(), [], [first, halfSecond]))).toEqual(['c', 'a', 'b'])
  })

  it('gives a weigher whose values are all equal no influence, whatever its multiplier', () => {
    const flat = weigher('flat', 1e9, () => 42)
    const hosts = [host('a', { vcpusUsed: 4 }), host('b', { vcpusUsed: 0 })]
    expect(names(rankHosts(hosts, request(), [], [flat, ...resolveWeighers(['cpu'])]))).toEqual(['b', 'a'])
  })

  it('never asks a weigher with a zero multiplier for values', () => {
    const unused = weigher('unused', 0, () => { throw new Error('called') })
    expect(names(rankHosts([host('b'), host('a')], request(), [], [unused]))).toEqual(['a', 'b'])
  })

  it('passes the request to filters and weighers', () => {
    // Best fit: prefer the host whose free RAM is closest to what the request asks for.
    const bestFit = weigher('fit', -1, (candidate, req) => Math.abs(candidate.ramMb - candidate.ramMbUsed - req.ramMb))
    const roomFor: HostFilter = (candidate, req) => candidate.ramMb - candidate.ramMbUsed >= req.ramMb * 2
    const hosts = [host('a', { ramMbUsed: 0 }), host('b', { ramMbUsed: 65536 - 4096 }), host('c', { ramMbUsed: 65536 - 2048 })]
    expect(names(rankHosts(hosts, request({ ramMb: 2048 }), [roomFor], [bestFit]))).toEqual(['b', 'a'])
    expect(names(rankHosts(hosts, request({ ramMb: 1024 }), [roomFor], [bestFit]))).toEqual(['c', 'b', 'a'])
  })

  it('breaks ties by host name, then id, whatever the input order', () => {
    const hosts = [host('3', { name: 'beta' }), host('2', { name: 'alpha' }), host('1', { name: 'beta' }), host('4', { name: 'Zulu' })]
    const expected = ['4', '2', '1', '3'] // code-unit order: upper case sorts before lower case
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]]) {
      const shuffled = order.map((i) => hosts[i])
      expect(rankHosts(shuffled, request(), resolveFilters(), resolveWeighers()).map((h) => h.id)).toEqual(expected)
      expect(rankHosts(shuffled, request(), [], [], { limit: 2 }).map((h) => h.id)).toEqual(expected.slice(0, 2))
    }
  })

  it('breaks ties the same way for hosts served by a HostIndex', () => {
    const index = new HostIndex()
    index.replaceAll([host('h3', { name: 'c' }), host('h1', { name: 'a' }), host('h2', { name: 'b' })])
    expect(names(rankHosts(index.all(), request(), resolveFilters(), resolveWeighers()))).toEqual(['a', 'b', 'c'])
  })

  it('returns the best hosts first when limited', () => {
    const hosts = Array.from({ length: 10 }, (_, i) => host(`h${i}`, { vcpusUsed: i }))
    const weighers = resolveWeighers(['cpu'])
    expect(names(rankHosts(hosts, request(), [], weighers, { limit: 3 }))).toEqual(['h0', 'h1', 'h2'])
    expect(rankHosts(hosts, request(), [], weighers, { limit: 0 })).toEqual([])
    expect(rankHosts(hosts, request(), [], weighers, { limit: 50 })).toHaveLength(10)
  })

  it('rejects a limit that is not a non-negative integer', () => {
    for (const limit of [-1, 1.5, Number.NaN]) {
      expect(() => rankHosts([host('a')], request(), [], [], { limit })).toThrow(/non-negative integer/)
    }
  })

  it('orders scores spread over many orders of magnitude', () => {
    // Scores from 2^0 to 2^999 crowd into the last bucket at every level of the bucket sort.
    const next = random(3)
    const exponents = Array.from({ length: 1000 }, (_, i) => i)
    for (let i = exponents.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[exponents[i], exponents[j]] = [exponents[j], exponents[i]]
    }
    const hosts = exponents.map((exponent, i) => host(`h${i}`, { serverCount: exponent }))
    const spread = weigher('spread', 1, (candidate) => 2 ** candidate.serverCount)
    const expected = [...hosts].sort((a, b) => b.serverCount - a.serverCount).map((h) => h.id)
    const index = new HostIndex()
    index.replaceAll(hosts)
    expect(rankHosts(hosts, request(), [], [spread]).map((h) => h.id)).toEqual(expected)
    expect(rankHosts(index.all(), request(), [], [spread]).map((h) => h.id)).toEqual(expected)
  })

  describe('agrees with the plain implementation', () => {
    const zones = ['az1', 'az2', 'az3']

    /** Hosts drawn from few distinct values, so ties are frequent, plus the odd outlier. */
    function fleet(next: () => number, count: number): Host[] {
      return Array.from({ length: count }, (_, i) => {
        const size = next() < 0.02 ? 64 : 16
        return host(`id-${Math.floor(next() * 1e6)}-${i}`, {
          name: `node-${Math.floor(next() * count * 0.8)}`, // duplicate names, broken by id
          availabilityZone: zones[Math.floor(next() * zones.length)],
          state: next() < 0.05 ? 'down' : 'up',
          enabled: next() >= 0.05,
          vcpus: size,
          ramMb: size * 4096,
          diskGb: size * 50,
          cpuAllocationRatio: next() < 0.5 ? 1 : 4,
          ramAllocationRatio: next() < 0.5 ? 1 : 1.5,
          vcpusUsed: Math.floor(next() * 4) * 4,
          ramMbUsed: Math.floor(next() * 4) * 8192,
          diskGbUsed: Math.floor(next() * 10) * 40,
          serverCount: Math.floor(next() * 5),
        })
      })
    }

    function randomRequest(next: () => number, hosts: readonly Host[]): PlacementRequest {
      const pick = () => hosts[Math.floor(next() * hosts.length)].id
      const kind = Math.floor(next() * 4)
      let group: PlacementGroup | null = null
      if (kind === 1) {
        group = { id: 'g', policy: 'affinity', memberHosts: new Map(next() < 0.3 ? [] : [[pick(), 2]]), memberPartitions: new Map(), partitionNumber: null }
      } else if (kind === 2) {
        group = { id: 'g', policy: 'anti-affinity', memberHosts: new Map(Array.from({ length: 20 }, () => [pick(), 1])), memberPartitions: new Map(), partitionNumber: null }
      } else if (kind === 3) {
        const memberPartitions = new Map(Array.from({ length: 30 }, (_, m) => [pick(), new Set([m % 3])]))
        group = { id: 'g', policy: 'partition', memberHosts: new Map([...memberPartitions.keys()].map((id) => [id, 1])), memberPartitions, partitionNumber: Math.floor(next() * 3) }
      }
      return request({
        vcpus: 1 + Math.floor(next() * 8),
        ramMb: 1024 * (1 + Math.floor(next() * 16)),
        availabilityZone: next() < 0.5 ? null : zones[Math.floor(next() * zones.length)],
        group,
        excludeHostIds: new Set(next() < 0.3 ? [pick(), pick()] : []),
      })
    }

    const weigherSets: [string, HostWeigher[]][] = [
      ['default weighers', resolveWeighers()],
      ['stacking weighers', resolveWeighers(undefined, { 'ram': -1, 'cpu': -0.5, 'server-count': 2 })],
      ['no weighers', []],
      ['a skewed weigher', [weigher('skewed', 1, (candidate) => 2 ** (candidate.serverCount * 10 + candidate.vcpusUsed))]],
    ]

    for (const [label, weighers] of weigherSets) {
      it(`with ${label}, on plain arrays and on HostIndex snapshots, limited or not`, () => {
        const next = random(7)
        const filters = resolveFilters()
        for (const count of [1, 17, 300, 1200]) {
          const hosts = fleet(next, count)
          const index = new HostIndex()
          index.replaceAll(hosts)
          for (let round = 0; round < 12; round++) {
            const req = randomRequest(next, hosts)
            const expected = referenceRank(hosts, req, filters, weighers).map((h) => h.id)
            expect(rankHosts(hosts, req, filters, weighers).map((h) => h.id)).toEqual(expected)
            expect(rankHosts(index.all(), req, filters, weighers).map((h) => h.id)).toEqual(expected)
            for (const limit of [1, 5, 100]) {
              expect(rankHosts(hosts, req, filters, weighers, { limit }).map((h) => h.id)).toEqual(expected.slice(0, limit))
              expect(rankHosts(index.all(), req, filters, weighers, { limit }).map((h) => h.id)).toEqual(expected.slice(0, limit))
            }
          }
        }
      })
    }
  })
})

describe('HostIndex', () => {
  it('stores, replaces, finds and removes hosts by id', () => {
    const index = new HostIndex()
    index.upsert(host('h1'))
    index.upsert(host('h2'))
    expect(index.size).toBe(2)
    expect(index.get('h1')).toEqual(host('h1'))
    index.upsert(host('h1', { enabled: false }))
    expect(index.size).toBe(2)
    expect(index.get('h1')?.enabled).toBe(false)
    expect(index.remove('h1')).toBe(true)
    expect(index.remove('h1')).toBe(false)
    expect(index.get('h1')).toBeUndefined()
    expect(index.all().map((h) => h.id)).toEqual(['h2'])
  })

  it('lists hosts by name, then id, also after a rename', () => {
    const index = new HostIndex()
    for (const [id, name] of [['1', 'delta'], ['2', 'alpha'], ['3', 'charlie'], ['0', 'alpha']]) index.upsert(host(id, { name }))
    expect(index.all().map((h) => `${h.name}/${h.id}`)).toEqual(['alpha/0', 'alpha/2', 'charlie/3', 'delta/1'])
    index.upsert(host('1', { name: 'bravo' }))
    index.remove('0')
    expect(index.all().map((h) => `${h.name}/${h.id}`)).toEqual(['alpha/2', 'bravo/1', 'charlie/3'])
  })

  it('replaces its whole content', () => {
    const index = new HostIndex()
    index.upsert(host('old'))
    index.replaceAll([host('b'), host('a'), host('b', { enabled: false })])
    expect(index.all().map((h) => h.id)).toEqual(['a', 'b'])
    expect(index.get('b')?.enabled).toBe(false)
    expect(index.get('old')).toBeUndefined()
  })

  it('hands out snapshots that later changes do not alter', () => {
    const index = new HostIndex()
    index.replaceAll([host('a'), host('b')])
    const before = index.all()
    expect(index.all()).toBe(before)
    index.applyClaim('a', { vcpus: 2, ramMb: 2048, diskGb: 20 }, 1)
    index.upsert(host('c'))
    index.remove('b')
    expect(before.map((h) => h.id)).toEqual(['a', 'b'])
    expect(before[0].vcpusUsed).toBe(0)
    expect(index.all().map((h) => h.id)).toEqual(['a', 'c'])
  })

  it('applies a claim and its release to the cached copy', () => {
    const index = new HostIndex()
    index.upsert(host('h1', { vcpusUsed: 1, ramMbUsed: 1024, diskGbUsed: 10, serverCount: 1 }))
    const claimed = index.applyClaim('h1', { vcpus: 2, ramMb: 4096, diskGb: 40 }, 1)
    expect(claimed).toMatchObject({ vcpusUsed: 3, ramMbUsed: 5120, diskGbUsed: 50, serverCount: 2 })
    expect(index.get('h1')).toEqual(claimed)
    index.applyClaim('h1', { vcpus: 2, ramMb: 4096, diskGb: 40 }, -1)
    expect(index.get('h1')).toMatchObject({ vcpusUsed: 1, ramMbUsed: 1024, diskGbUsed: 10, serverCount: 1 })
  })

  it('ignores a claim on a host it does not hold', () => {
    const index = new HostIndex()
    expect(index.applyClaim('missing', { vcpus: 1, ramMb: 1, diskGb: 1 }, 1)).toBeUndefined()
    expect(index.size).toBe(0)
  })

  it('lets the next decision see a claim', () => {
    const index = new HostIndex()
    index.replaceAll([host('a', { vcpus: 4 }), host('b', { vcpus: 4 })])
    const filters = resolveFilters()
    const weighers = resolveWeighers()
    const req = request({ vcpus: 3 })
    const first = rankHosts(index.all(), req, filters, weighers, { limit: 1 })[0]
    expect(first.id).toBe('a')
    index.applyClaim(first.id, req, 1)
    expect(rankHosts(index.all(), req, filters, weighers).map((h) => h.id)).toEqual(['b'])
  })
})
