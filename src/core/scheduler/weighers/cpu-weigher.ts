import type { HostWeigher } from '../placement-request.ts'

/** Nova CPUWeigher: free virtual CPUs after the allocation ratio; +1 spreads, negative stacks. */
export function cpuWeigher(multiplier = 1): HostWeigher {
  return {
    name: 'cpu',
    multiplier,
    value: (host) => Math.floor(host.vcpus * host.cpuAllocationRatio) - host.vcpusUsed,
  }
}
