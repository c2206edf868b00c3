import { describe, expect, it } from 'vitest'
import type { Host } from '../../hosts/host.ts'
import type { PlacementGroup, PlacementRequest, ServerGroupPolicy } from '../placement-request.ts'
import { partitionFilter, partitionFilterApplies } from './partition-filter.ts'

const host = (id: string): Host => ({
  id, name: id, availabilityZone: 'az1', driver: 'simulated', state: 'up', enabled: true,
  vcpus: 8, ramMb: 16384, diskGb: 100, vcpusUsed: 0, ramMbUsed: 0, diskGbUsed: 0, serverCount: 0,
  cpuAllocationRatio: 1, ramAllocationRatio: 1, diskAllocationRatio: 1, updatedAt: new Date(0),
})
const group = (
  partitionNumber: number | null, partitions: Record<string, number[]>, policy: ServerGroupPolicy = 'partition',
): PlacementGroup => ({
  id: 'g1',
  policy,
  memberHosts: new Map(Object.entries(partitions).map(([id, numbers]) => [id, numbers.length])),
  memberPartitions: new Map(Object.entries(partitions).map(([id, numbers]) => [id, new Set(numbers)])),
  partitionNumber,
})
const request = (placementGroup: PlacementGroup | null): PlacementRequest => ({
  vcpus: 1, ramMb: 512, diskGb: 1, availabilityZone: null, group: placementGroup, excludeHostIds: new Set(),
})

describe('partitionFilter', () => {
  const layout = { h1: [1], h2: [2], h3: [1, 2], h4: [] }

  it('passes a host running only members of the same partition', () => {
    expect(partitionFilter(host('h1'), request(group(1, layout)))).toBe(true)
    expect(partitionFilter(host('h2'), request(group(2, layout)))).toBe(true)
  })

  it('rejects a host running members of another partition', () => {
    expect(partitionFilter(host('h2'), request(group(1, layout)))).toBe(false)
    expect(partitionFilter(host('h1'), request(group(2, layout)))).toBe(false)
  })

  it('rejects a host running members of the same and of another partition', () => {
    expect(partitionFilter(host('h3'), request(group(1, layout)))).toBe(false)
  })

  it('passes a host without members of the group', () => {
    expect(partitionFilter(host('h5'), request(group(1, layout)))).toBe(true)
    expect(partitionFilter(host('h4'), request(group(1, layout)))).toBe(true)
  })

  it('passes a new partition on any host free of the group', () => {
    expect(partitionFilter(host('h5'), request(group(3, layout)))).toBe(true)
    expect(partitionFilter(host('h1'), request(group(3, layout)))).toBe(false)
  })

  it('passes every host when the request names no partition', () => {
    expect(partitionFilter(host('h3'), request(group(null, layout)))).toBe(true)
  })

  it('ignores requests without a group or with another policy', () => {
    expect(partitionFilter(host('h2'), request(null))).toBe(true)
    expect(partitionFilter(host('h2'), request(group(1, layout, 'anti-affinity')))).toBe(true)
  })

  it('declares itself applicable only to a partition group with a number and members', () => {
    expect(partitionFilterApplies(request(group(1, layout)))).toBe(true)
    expect(partitionFilterApplies(request(group(1, {})))).toBe(false)
    expect(partitionFilterApplies(request(group(null, layout)))).toBe(false)
    expect(partitionFilterApplies(request(group(1, layout, 'affinity')))).toBe(false)
    expect(partitionFilterApplies(request(null))).toBe(false)
  })
})
