import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementRequest } from '../placement-request.ts'
import { availabilityZoneFilter, availabilityZoneFilterApplies } from './availability-zone-filter.ts'

const host = (overrides: Partial<Host> = {}): Host => ({
  id: 'h1', name: 'h1', availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0), ...overrides,
})
const request = (availabilityZone: string | null): PlacementRequest => ({
  vcpus: 1, ramMb: 512, diskGb: 1, availabilityZone, group: null, excludeHostIds: new Set(),
})

describe('availabilityZoneFilter', () => {
  it('passes a host in the requested zone', () => {
    expect(availabilityZoneFilter(host({ availabilityZone: 'kr-pub-a' }), request('kr-pub-a'))).toBe(true)
  })

  it('rejects a host in another zone', () => {
    expect(availabilityZoneFilter(host({ availabilityZone: 'kr-pub-b' }), request('kr-pub-a'))).toBe(false)
  })

  it('compares zone names exactly', () => {
    expect(availabilityZoneFilter(host({ availabilityZone: 'KR-PUB-A' }), request('kr-pub-a'))).toBe(false)
  })

  it('passes every host when the request names no zone', () => {
    expect(availabilityZoneFilter(host({ availabilityZone: 'kr-pub-a' }), request(null))).toBe(true)
    expect(availabilityZoneFilter(host({ availabilityZone: 'kr-pub-b' }), request(null))).toBe(true)
  })

  it('declares itself inapplicable exactly when no zone is requested', () => {
    expect(availabilityZoneFilterApplies(request(null))).toBe(false)
    expect(availabilityZoneFilterApplies(request('kr-pub-a'))).toBe(true)
  })
})
