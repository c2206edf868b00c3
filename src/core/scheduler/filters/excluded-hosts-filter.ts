import type { HostFilter } from '../placement-request.ts'

/** Keeps a retried build or a moving resize off hosts it must not use (Nova's RetryFilter / ignore_hosts). */
export const excludedHostsFilter: HostFilter = (host, request) =>
  request.excludeHostIds.size === 0 || !request.excludeHostIds.has(host.id)
