import type { HostFilter } from '../placement-request.ts'

/**
 * Nova's RAM/Disk/Core filters in one: the request must fit in what the host can still take after its
 * allocation ratios. An exact fit passes.
 *
 * The arithmetic is freeCapacity() from hosts/host.ts written out inline, because this filter runs for
 * every host on every decision and freeCapacity allocates an object per call; the unit test checks the
 * two agree.
 */
export const computeCapacityFilter: HostFilter = (host, request) =>
  Math.floor(host.vcpus * host.cpuAllocationRatio) - host.vcpusUsed >= request.vcpus &&
  Math.floor(host.ramMb * host.ramAllocationRatio) - host.ramMbUsed >= request.ramMb &&
  Math.floor(host.diskGb * host.diskAllocationRatio) - host.diskGbUsed >= request.diskGb
