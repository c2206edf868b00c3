import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementGroup, PlacementRequest, ServerGroupPolicy } from '../placement-request.ts'
import { antiAffinityFilter, antiAffinityFilterApplies } from './anti-affinity-filter.ts'

const host = (id: string): Host => ({
  id, name: id, availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0),
})
const group = (policy: ServerGroupPolicy, members: Record<string, number>): PlacementGroup => ({
  id: 'g1', policy, memberHosts: new Map(Object.entries(members)), memberPartitions: new Map(), partitionNumber: null,
})
const request = (placementGroup: PlacementGroup | null): PlacementRequest => ({
  vcpus: 1, ramMb: 512, diskGb: 1, availabilityZone: null, group: placementGroup, excludeHostIds: new Set(),
})

describe('antiAffinityFilter', () => {
  it('rejects every host that runs a member of the group', () => {
    const spread = request(group('anti-affinity', { h1: 1, h2: 3 }))
    expect(antiAffinityFilter(host('h1'), spread)).toBe(false)
    expect(antiAffinityFilter(host('h2'), spread)).toBe(false)
  })

  it('passes a host without members', () => {
    expect(antiAffinityFilter(host('h3'), request(group('anti-affinity', { h1: 1 })))).toBe(true)
    expect(antiAffinityFilter(host('h1'), request(group('anti-affinity', {})))).toBe(true)
  })

  it('passes a host listed with zero members', () => {
    expect(antiAffinityFilter(host('h1'), request(group('anti-affinity', { h1: 0 })))).toBe(true)
  })

  it('ignores requests without a group or with another policy', () => {
    expect(antiAffinityFilter(host('h1'), request(null))).toBe(true)
    expect(antiAffinityFilter(host('h1'), request(group('affinity', { h1: 1 })))).toBe(true)
    expect(antiAffinityFilter(host('h1'), request(group('partition', { h1: 1 })))).toBe(true)
  })

  it('declares itself applicable only to an anti-affinity group with members', () => {
    expect(antiAffinityFilterApplies(request(null))).toBe(false)
    expect(antiAffinityFilterApplies(request(group('anti-affinity', {})))).toBe(false)
    expect(antiAffinityFilterApplies(request(group('affinity', { h1: 1 })))).toBe(false)
    expect(antiAffinityFilterApplies(request(group('anti-affinity', { h1: 1 })))).toBe(true)
  })
})
