import type { HostFilter } from '../placement-request.ts'

/**
 * Nova ComputeFilter: a host that is down cannot spawn, and a disabled host keeps its servers but takes
 * no new ones.
 */
export const enabledFilter: HostFilter = (host) => host.state === 'up' && host.enabled
