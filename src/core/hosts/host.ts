/** A hypervisor host: its capacity, what is allocated on it, and whether it takes new servers. */
export type HostState = 'up' | 'down'

export interface Host {
  readonly id: string
  readonly name: string
  readonly availabilityZone: string
  readonly driver: string
  readonly state: HostState
  /** An operator can disable a host so that the scheduler skips it while it keeps its servers. */
  readonly enabled: boolean
  readonly vcpus: number
  readonly ramMb: number
  readonly diskGb: number
  readonly vcpusUsed: number
  readonly ramMbUsed: number
  readonly diskGbUsed: number
  readonly serverCount: number
  /** Overcommit: a host offers vcpus × cpuAllocationRatio virtual CPUs (Nova's allocation ratios). */
  readonly cpuAllocationRatio: number
  readonly ramAllocationRatio: number
  readonly diskAllocationRatio: number
  readonly updatedAt: Date
}

/** What a host can still take, after allocation ratios. */
export function freeCapacity(host: Host): { vcpus: number; ramMb: number; diskGb: number } {
  return {
    vcpus: Math.floor(host.vcpus * host.cpuAllocationRatio) - host.vcpusUsed,
    ramMb: Math.floor(host.ramMb * host.ramAllocationRatio) - host.ramMbUsed,
    diskGb: Math.floor(host.diskGb * host.diskAllocationRatio) - host.diskGbUsed,
  }
}
