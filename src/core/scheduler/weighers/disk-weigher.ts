import type { HostWeigher } from '../placement-request.ts'

/** Nova DiskWeigher: free disk after the allocation ratio; +1 spreads, negative stacks. */
export function diskWeigher(multiplier = 1): HostWeigher {
  return {
    name: 'disk',
    multiplier,
    value: (host) => Math.floor(host.diskGb * host.diskAllocationRatio) - host.diskGbUsed,
  }
}
