import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementRequest } from '../placement-request.ts'
import { cpuWeigher } from './cpu-weigher.ts'

const host = (overrides: Partial<Host> = {}): Host => ({
  id: 'h1', name: 'h1', availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0), ...overrides,
})
const request: PlacementRequest = {
  vcpus: 1, ramMb: 512, diskGb: 1, availabilityZone: null, group: null, excludeHostIds: new Set(),
}

describe('cpuWeigher', () => {
  it('values a host by its free vcpus after the allocation ratio', () => {
    expect(cpuWeigher().value(host({ vcpusUsed: 3 }), request)).toBe(5)
    expect(cpuWeigher().value(host({ cpuAllocationRatio: 16, vcpusUsed: 100 }), request)).toBe(28)
  })

  it('spreads by default and takes a configured multiplier', () => {
    expect(cpuWeigher()).toMatchObject({ name: 'cpu', multiplier: 1 })
    expect(cpuWeigher(0.5).multiplier).toBe(0.5)
  })
})
