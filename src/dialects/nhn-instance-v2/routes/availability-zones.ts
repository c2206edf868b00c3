/**
 * Availability zones (seeds 001–003 N-3) and Nova's admin-only detail with each zone's hosts. Zones are
 * region-wide: every project sees the same list.
 */
import { requireAdmin } from '../../../core/flavors/catalog-guards.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { AvailabilityZoneList } from '../schemas/availability-zones.ts'
import { TenantParams } from '../schemas/common.ts'
import { faultResponses } from '../schemas/responses.ts'
import { availabilityZoneDetailList, availabilityZoneList } from '../views/availability-zones.ts'

const tags = ['availability-zones']

export function availabilityZoneRoutes(api: DialectApp, { services }: DialectContext): void {
  const { zones } = services

  api.get('/:tenantId/os-availability-zone', {
    schema: {
      operationId: 'listAvailabilityZones', tags, params: TenantParams,
      response: { 200: AvailabilityZoneList, ...faultResponses() },
    },
  }, async (request) => availabilityZoneList(await zones.list(request.auth!.owner)))

  api.get('/:tenantId/os-availability-zone/detail', {
    schema: {
      operationId: 'listAvailabilityZonesDetail', tags, params: TenantParams,
      response: { 200: AvailabilityZoneList, ...faultResponses(403) },
    },
  }, async (request) => {
    // Nova's policy: the hosts behind the zones are the operator's business.
    requireAdmin(request.auth!.owner)
    return availabilityZoneDetailList(await zones.list(request.auth!.owner))
  })
}
