import type { HostWeigher } from '../placement-request.ts'

/**
 * Nova NumInstancesWeigher: the value is the number of servers, so the default multiplier is negative
 * to prefer hosts with fewer; a positive multiplier packs servers onto busy hosts.
 */
export function serverCountWeigher(multiplier = -1): HostWeigher {
  return {
    name: 'server-count',
    multiplier,
    value: (host) => host.serverCount,
  }
}
