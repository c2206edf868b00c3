/**
 * The capacity invariant every test that moves servers around should leave intact: no host is past its
 * capacity × allocation ratio, and each host's usage counters are exactly the sum of the allocations
 * recorded on it (servers, and resizes awaiting confirmation).
 */
import { expect } from 'vitest'
import type { Host } from '../../src/core/hosts/host.ts'
import type { HostAllocation } from '../../src/core/hosts/host-repository.ts'
import type { Store } from '../../src/core/ports/store.ts'
import { resizeConsumer } from '../../src/core/servers/server-tasks.ts'

export function capacityOf(host: Host): { vcpus: number; ramMb: number; diskGb: number } {
  return {
    vcpus: Math.floor(host.vcpus * host.cpuAllocationRatio),
    ramMb: Math.floor(host.ramMb * host.ramAllocationRatio),
    diskGb: Math.floor(host.diskGb * host.diskAllocationRatio),
  }
}

/** Every allocation held for these servers, their own and those of resizes awaiting confirmation. */
export async function allocationsOfServers(store: Store, serverIds: readonly string[]): Promise<HostAllocation[]> {
  const consumers = serverIds.flatMap((id) => [id, resizeConsumer(id)])
  return (await Promise.all(consumers.map((consumer) => store.hosts.allocationsOf(consumer)))).flat()
}

/**
 * Asserts the invariant for every host, given every server that may hold capacity (servers outside the
 * list must hold none). Returns the hosts as read.
 */
export async function expectHostsMatchAllocations(store: Store, serverIds: readonly string[]): Promise<Host[]> {
  const hosts = await store.hosts.list()
  const held = await allocationsOfServers(store, serverIds)
  for (const host of hosts) {
    const limit = capacityOf(host)
    expect(host.vcpusUsed, host.name).toBeLessThanOrEqual(limit.vcpus)
    expect(host.ramMbUsed, host.name).toBeLessThanOrEqual(limit.ramMb)
    expect(host.diskGbUsed, host.name).toBeLessThanOrEqual(limit.diskGb)
    const onHost = held.filter((allocation) => allocation.hostId === host.id)
    expect({ vcpus: host.vcpusUsed, ramMb: host.ramMbUsed, diskGb: host.diskGbUsed, allocations: host.serverCount },
      `usage of ${host.name}`).toEqual({
      vcpus: onHost.reduce((sum, allocation) => sum + allocation.vcpus, 0),
      ramMb: onHost.reduce((sum, allocation) => sum + allocation.ramMb, 0),
      diskGb: onHost.reduce((sum, allocation) => sum + allocation.diskGb, 0),
      allocations: onHost.length,
    })
  }
  return hosts
}

export function expectHostsEmpty(hosts: readonly Host[]): void {
  for (const host of hosts) {
    expect({ vcpus: host.vcpusUsed, ramMb: host.ramMbUsed, diskGb: host.diskGbUsed, allocations: host.serverCount }, host.name)
      .toEqual({ vcpus: 0, ramMb: 0, diskGb: 0, allocations: 0 })
  }
}
