import type { HostWeigher } from '../placement-request.ts'

/**
 * Nova RAMWeigher: free RAM, counted after the allocation ratio like the capacity filter so both agree
 * on what "free" means. The default +1 spreads servers across hosts; a negative multiplier stacks them.
 */
export function ramWeigher(multiplier = 1): HostWeigher {
  return {
    name: 'ram',
    multiplier,
    value: (host) => Math.floor(host.ramMb * host.ramAllocationRatio) - host.ramMbUsed,
  }
}
