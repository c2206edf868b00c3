import type { HostFilter, PlacementRequest } from '../placement-request.ts'

/** Whether the filter can reject any host for this request; rankHosts skips it when not. */
export const availabilityZoneFilterApplies = (request: PlacementRequest): boolean => request.availabilityZone !== null

/** Nova AvailabilityZoneFilter; a request without a zone may land in any zone. */
export const availabilityZoneFilter: HostFilter = (host, request) =>
  request.availabilityZone === null || host.availabilityZone === request.availabilityZone
