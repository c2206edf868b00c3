import type { HostFilter, PlacementRequest } from '../placement-request.ts'

/** Whether the filter can reject any host for this request; rankHosts skips it when not. */
export const affinityFilterApplies = (request: PlacementRequest): boolean =>
  request.group !== null && request.group.policy === 'affinity' && request.group.memberHosts.size > 0

/**
 * Nova ServerGroupAffinityFilter: every member of an affinity group runs on one host. The first member
 * may go anywhere; later ones only where members already are.
 */
export const affinityFilter: HostFilter = (host, request) => {
  const group = request.group
  if (group === null || group.policy !== 'affinity') return true
  const members = group.memberHosts
  if ((members.get(host.id) ?? 0) > 0) return true
  // A zero count is no member; the loop stops at the first real member, so it is O(1) in practice.
  for (const count of members.values()) if (count > 0) return false
  return true
}
