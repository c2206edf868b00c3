import { describe, expect, it } from 'vitest'
import { freeCapacity, type Host } from '../../hosts/host.ts'
import type { PlacementRequest } from '../placement-request.ts'
import { computeCapacityFilter } from './compute-capacity-filter.ts'

const host = (overrides: Partial<Host> = {}): Host => ({
  id: 'h1', name: 'h1', availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0), ...overrides,
})
const request = (vcpus: number, ramMb: number, diskGb: number): PlacementRequest => ({
  vcpus, ramMb, diskGb, availabilityZone: null, group: null, excludeHostIds: new Set(),
})

describe('computeCapacityFilter', () => {
  it('passes a request that fills the host exactly', () => {
    const partlyUsed = host({ vcpusUsed: 6, ramMbUsed: 12288, diskGbUsed: 60 })
    expect(computeCapacityFilter(partlyUsed, request(2, 4096, 40))).toBe(true)
    expect(computeCapacityFilter(host(), request(8, 16384, 100))).toBe(true)
  })

  it('rejects a request one unit over in any dimension', () => {
    const partlyUsed = host({ vcpusUsed: 6, ramMbUsed: 12288, diskGbUsed: 60 })
    expect(computeCapacityFilter(partlyUsed, request(3, 4096, 40))).toBe(false)
    expect(computeCapacityFilter(partlyUsed, request(2, 4097, 40))).toBe(false)
    expect(computeCapacityFilter(partlyUsed, request(2, 4096, 41))).toBe(false)
  })

  it('offers vcpus, ram and disk multiplied by their allocation ratios', () => {
    const overcommitted = host({
      cpuAllocationRatio: 16, ramAllocationRatio: 1.5, diskAllocationRatio: 2,
      vcpusUsed: 100, ramMbUsed: 20000, diskGbUsed: 150,
    })
    // 8 × 16 = 128 vcpus, 16384 × 1.5 = 24576 MB, 100 × 2 = 200 GB
    expect(computeCapacityFilter(overcommitted, request(28, 4576, 50))).toBe(true)
    expect(computeCapacityFilter(overcommitted, request(29, 4576, 50))).toBe(false)
    expect(computeCapacityFilter(overcommitted, request(28, 4577, 50))).toBe(false)
    expect(computeCapacityFilter(overcommitted, request(28, 4576, 51))).toBe(false)
  })

  it('rounds a fractional overcommitted capacity down', () => {
    // 3 × 1.5 = 4.5 vcpus offered, of which only 4 whole ones.
    const small = host({ vcpus: 3, cpuAllocationRatio: 1.5 })
    expect(computeCapacityFilter(small, request(4, 512, 1))).toBe(true)
    expect(computeCapacityFilter(small, request(5, 512, 1))).toBe(false)
  })

  it('honours a ratio below 1, which reserves part of the host', () => {
    const reserved = host({ ramAllocationRatio: 0.5 })
    expect(computeCapacityFilter(reserved, request(1, 8192, 1))).toBe(true)
    expect(computeCapacityFilter(reserved, request(1, 8193, 1))).toBe(false)
  })

  it('rejects everything on a host already over capacity, as after its ratio was lowered', () => {
    const overfull = host({ vcpusUsed: 10 })
    expect(computeCapacityFilter(overfull, request(0, 0, 0))).toBe(false)
  })

  it('agrees with freeCapacity', () => {
    const ratios = [0.5, 1, 1.5, 4]
    for (const ratio of ratios) {
      for (const used of [0, 3, 7, 12]) {
        const candidate = host({
          vcpus: 7, ramMb: 1001, diskGb: 13, cpuAllocationRatio: ratio, ramAllocationRatio: ratio,
          diskAllocationRatio: ratio, vcpusUsed: used, ramMbUsed: used * 100, diskGbUsed: used,
        })
        const free = freeCapacity(candidate)
        const fits = free.vcpus >= 0 && free.ramMb >= 0 && free.diskGb >= 0
        const exact = request(Math.max(0, free.vcpus), Math.max(0, free.ramMb), Math.max(0, free.diskGb))
        expect(computeCapacityFilter(candidate, exact)).toBe(fits)
        expect(computeCapacityFilter(candidate, request(free.vcpus + 1, free.ramMb, free.diskGb))).toBe(false)
        expect(computeCapacityFilter(candidate, request(free.vcpus, free.ramMb + 1, free.diskGb))).toBe(false)
        expect(computeCapacityFilter(candidate, request(free.vcpus, free.ramMb, free.diskGb + 1))).toBe(false)
      }
    }
  })
})
