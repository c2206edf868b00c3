import type { HostFilter, PlacementRequest } from '../placement-request.ts'

/** Whether the filter can reject any host for this request; rankHosts skips it when not. */
export const partitionFilterApplies = (request: PlacementRequest): boolean =>
  request.group !== null && request.group.policy === 'partition' && request.group.partitionNumber !== null &&
  request.group.memberPartitions.size > 0

/**
 * Partition placement groups (SCP, after EC2): partitions of one group never share a host, so a host
 * passes when it runs no member of the group or only members of the new server's partition.
 *
 * A request with no partition number has no partition to keep apart, so it passes every host; choosing
 * a partition is the caller's job.
 */
export const partitionFilter: HostFilter = (host, request) => {
  const group = request.group
  if (group === null || group.policy !== 'partition' || group.partitionNumber === null) return true
  const partitions = group.memberPartitions.get(host.id)
  if (partitions === undefined || partitions.size === 0) return true
  return partitions.size === 1 && partitions.has(group.partitionNumber)
}
