import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementGroup, PlacementRequest, ServerGroupPolicy } from '../placement-request.ts'
import { affinityFilter, affinityFilterApplies } from './affinity-filter.ts'

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

describe('affinityFilter', () => {
  it('passes only the host the group members run on', () => {
    const placed = request(group('affinity', { h1: 2 }))
    expect(affinityFilter(host('h1'), placed)).toBe(true)
    expect(affinityFilter(host('h2'), placed)).toBe(false)
  })

  it('passes any host for the first member of a group', () => {
    const first = request(group('affinity', {}))
    expect(affinityFilter(host('h1'), first)).toBe(true)
    expect(affinityFilter(host('h2'), first)).toBe(true)
  })

  it('does not count a host with zero members as where the group runs', () => {
    expect(affinityFilter(host('h2'), request(group('affinity', { h1: 0 })))).toBe(true)
    const placed = request(group('affinity', { h1: 0, h3: 1 }))
    expect(affinityFilter(host('h1'), placed)).toBe(false)
    expect(affinityFilter(host('h3'), placed)).toBe(true)
  })

  it('ignores requests without a group or with another policy', () => {
    expect(affinityFilter(host('h2'), request(null))).toBe(true)
    expect(affinityFilter(host('h2'), request(group('anti-affinity', { h1: 1 })))).toBe(true)
    expect(affinityFilter(host('h2'), request(group('partition', { h1: 1 })))).toBe(true)
  })

  it('declares itself applicable only to an affinity group with members', () => {
    expect(affinityFilterApplies(request(null))).toBe(false)
    expect(affinityFilterApplies(request(group('affinity', {})))).toBe(false)
    expect(affinityFilterApplies(request(group('anti-affinity', { h1: 1 })))).toBe(false)
    expect(affinityFilterApplies(request(group('affinity', { h1: 1 })))).toBe(true)
  })
})
