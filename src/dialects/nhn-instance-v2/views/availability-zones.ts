import type { AvailabilityZoneInfo as Zone } from '../../../core/availability-zones/availability-zone.ts'
import type { AvailabilityZoneInfo, AvailabilityZoneList } from '../schemas/availability-zones.ts'

/** Seeds 001–003 N-3: name and state; `hosts` is null, as Nova's plain list always shows it. */
export function availabilityZoneList(zones: readonly Zone[]): AvailabilityZoneList {
  return { availabilityZoneInfo: zones.map((zone) => ({ zoneName: zone.name, zoneState: { available: zone.available }, hosts: null })) }
}

/**
 * Nova's admin detail: each host of the zone with its `nova-compute` service. The core tells which hosts
 * a zone has, not each host's liveness, so a host's service is as available as its zone.
 */
export function availabilityZoneDetailList(zones: readonly Zone[]): AvailabilityZoneList {
  return {
    availabilityZoneInfo: zones.map((zone): AvailabilityZoneInfo => ({
      zoneName: zone.name,
      zoneState: { available: zone.available },
      hosts: Object.fromEntries((zone.hostNames ?? []).map((host) => [
        host, { 'nova-compute': { available: zone.available, active: true, updated_at: null } },
      ])),
    })),
  }
}
