import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementRequest } from '../placement-request.ts'
import { serverCountWeigher } from './server-count-weigher.ts'

const host = (overrides: Partial<Host> = {}): Host => ({
  id: 'h1', name: 'h1', availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0), ...overrides,
})
const request: PlacementRequest = {
  vcpus: 1, ramMb: 512, diskGb: 1, availabilityZone: null, group: null, excludeHostIds: new Set(),
}

describe('serverCountWeigher', () => {
  it('values a host by its number of servers', () => {
    expect(serverCountWeigher().value(host({ serverCount: 7 }), request)).toBe(7)
  })

  it('prefers fewer servers by default with a negative multiplier, and takes a configured one', () => {
    expect(serverCountWeigher()).toMatchObject({ name: 'server-count', multiplier: -1 })
    expect(serverCountWeigher(1).multiplier).toBe(1)
  })
})
