import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementRequest } from '../placement-request.ts'
import { excludedHostsFilter, excludedHostsFilterApplies } from './excluded-hosts-filter.ts'

const host = (overrides: Partial<Host> = {}): Host => ({
  id: 'h1', name: 'h1', availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0), ...overrides,
})
const request = (excluded: string[]): PlacementRequest => ({
  vcpus: 1, ramMb: 512, diskGb: 1, availabilityZone: null, group: null, excludeHostIds: new Set(excluded),
})

describe('excludedHostsFilter', () => {
  it('rejects an excluded host', () => {
    expect(excludedHostsFilter(host({ id: 'h1' }), request(['h1', 'h2']))).toBe(false)
  })

  it('passes a host that is not excluded', () => {
    expect(excludedHostsFilter(host({ id: 'h3' }), request(['h1', 'h2']))).toBe(true)
  })

  it('matches by id, not by name', () => {
    expect(excludedHostsFilter(host({ id: 'h3', name: 'h1' }), request(['h1']))).toBe(true)
  })

  it('passes every host when nothing is excluded', () => {
    expect(excludedHostsFilter(host(), request([]))).toBe(true)
    expect(excludedHostsFilterApplies(request([]))).toBe(false)
    expect(excludedHostsFilterApplies(request(['h1']))).toBe(true)
  })
})
