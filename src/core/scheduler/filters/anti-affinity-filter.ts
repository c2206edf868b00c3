import type { HostFilter, PlacementRequest } from '../placement-request.ts'

/** Whether the filter can reject any host for this request; rankHosts skips it when not. */
export const antiAffinityFilterApplies = (request: PlacementRequest): boolean =>
  request.group !== null && request.group.policy === 'anti-affinity' && request.group.memberHosts.size > 0

/** Nova ServerGroupAntiAffinityFilter: no two members of an anti-affinity group share a host. */
export const antiAffinityFilter: HostFilter = (host, request) => {
  const group = request.group
  if (group === null || group.policy !== 'anti-affinity') return true
  return (group.memberHosts.get(host.id) ?? 0) === 0
}
