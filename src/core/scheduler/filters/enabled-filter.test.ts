import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementRequest } from '../placement-request.ts'
import { enabledFilter } from './enabled-filter.ts'

const host = (overrides: Partial<Host> = {}): Host => ({
  id: 'h1', name: 'h1', availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0), ...overrides,
})
const request: PlacementRequest = {
  vcpus: 1, ramMb: 512, diskGb: 1, availabilityZone: null, group: null, excludeHostIds: new Set(),
}

describe('enabledFilter', () => {
  it('passes a host that is up and enabled', () => {
    expect(enabledFilter(host(), request)).toBe(true)
  })

  it('rejects a host that is down', () => {
    expect(enabledFilter(host({ state: 'down' }), request)).toBe(false)
  })

  it('rejects a disabled host even though it is up', () => {
    expect(enabledFilter(host({ enabled: false }), request)).toBe(false)
  })

  it('rejects a host that is both down and disabled', () => {
    expect(enabledFilter(host({ state: 'down', enabled: false }), request)).toBe(false)
  })
})
