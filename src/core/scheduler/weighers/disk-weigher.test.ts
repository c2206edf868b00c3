import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementRequest } from '../placement-request.ts'
import { diskWeigher } from './disk-weigher.ts'

const host = (overrides: Partial<Host> = {}): Host => ({
  id: 'h1', name: 'h1', availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0), ...overrides,
})
const request: PlacementRequest = {
  vcpus: 1, ramMb: 512, diskGb: 1, availabilityZone: null, group: null, excludeHostIds: new Set(),
}

describe('diskWeigher', () => {
  it('values a host by its free disk after the allocation ratio', () => {
    expect(diskWeigher().value(host({ diskGbUsed: 30 }), request)).toBe(70)
    expect(diskWeigher().value(host({ diskAllocationRatio: 2, diskGbUsed: 30 }), request)).toBe(170)
  })

  it('spreads by default and takes a configured multiplier', () => {
    expect(diskWeigher()).toMatchObject({ name: 'disk', multiplier: 1 })
    expect(diskWeigher(-1).multiplier).toBe(-1)
  })
})
