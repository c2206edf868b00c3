import type { HostFilter } from '../placement-request.ts'

/** Nova AvailabilityZoneFilter; a request without a zone may land in any zone. */
export const availabilityZoneFilter: HostFilter = (host, request) =>
  request.availabilityZone === null || host.availabilityZone === request.availabilityZone
