import type { HostFilter } from '../placement-request.ts'

/** Nova ServerGroupAntiAffinityFilter: no two members of an anti-affinity group share a host. */
export const antiAffinityFilter: HostFilter = (host, request) => {
  const group = request.group
  if (group === null || group.policy !== 'anti-affinity') return true
  return (group.memberHosts.get(host.id) ?? 0) === 0
}
