import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementRequest } from '../placement-request.ts'
import { ramWeigher } from './ram-weigher.ts'

const host = (overrides: Partial<Host> = {}): Host => ({
  id: 'h1', name: 'h1', availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0), ...overrides,
})
const request: PlacementRequest = {
  vcpus: 1, ramMb: 512, diskGb: 1, availabilityZone: null, group: null, excludeHostIds: new Set(),
}

describe('ramWeigher', () => {
  it('values a host by its free RAM after the allocation ratio', () => {
    expect(ramWeigher().value(host({ ramMbUsed: 4096 }), request)).toBe(12288)
    expect(ramWeigher().value(host({ ramAllocationRatio: 1.5, ramMbUsed: 4096 }), request)).toBe(20480)
  })

  it('spreads by default and takes a configured multiplier', () => {
    expect(ramWeigher()).toMatchObject({ name: 'ram', multiplier: 1 })
    expect(ramWeigher(-2).multiplier).toBe(-2)
  })
})
