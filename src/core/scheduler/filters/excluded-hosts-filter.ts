import type { HostFilter, PlacementRequest } from '../placement-request.ts'

/** Whether the filter can reject any host for this request; rankHosts skips it when not. */
export const excludedHostsFilterApplies = (request: PlacementRequest): boolean => request.excludeHostIds.size > 0

/** Keeps a retried build or a moving resize off hosts it must not use (Nova's RetryFilter / ignore_hosts). */
export const excludedHostsFilter: HostFilter = (host, request) => !request.excludeHostIds.has(host.id)
