/** Volume types, availability zones, limits, quota sets and extensions. */
import { defaultQuotaLimits } from '../../../core/quotas/quotas.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { ProjectParams, cinderErrors } from '../schemas/common.ts'
import {
  AvailabilityZoneList, ExtensionList, Limits, QuotaSet, QuotaSetParams, QuotaSetQuery, VolumeTypeBody, VolumeTypeList, VolumeTypeParams,
} from '../schemas/catalog.ts'
import { booleanOf } from '../views/common.ts'
import { availabilityZonesView, defaultQuotaSetView, limitsView, quotaSetView, volumeTypeView } from '../views/catalog.ts'

export function catalogRoutes(app: DialectApp, { services: { volumes, zones, quotas } }: DialectContext): void {
  app.route({
    method: 'GET',
    url: '/types',
    schema: { operationId: 'listVolumeTypes', tags: ['volume types'], params: ProjectParams, response: { 200: VolumeTypeList, ...cinderErrors() } },
    handler: async (request) => {
      const owner = request.auth!.owner
      return { volume_types: (await volumes.listTypes(owner)).map((type) => volumeTypeView(owner, type)) }
    },
  })

  app.route({
    method: 'GET',
    url: '/types/:typeId',
    schema: { operationId: 'showVolumeType', tags: ['volume types'], params: VolumeTypeParams, response: { 200: VolumeTypeBody, ...cinderErrors(404) } },
    handler: async (request) => {
      const owner = request.auth!.owner
      return { volume_type: volumeTypeView(owner, await volumes.getType(owner, request.params.typeId)) }
    },
  })

  app.route({
    method: 'GET',
    url: '/os-availability-zone',
    schema: { operationId: 'listVolumeAvailabilityZones', tags: ['availability zones'], params: ProjectParams, response: { 200: AvailabilityZoneList, ...cinderErrors() } },
    handler: async (request) => availabilityZonesView(await zones.list(request.auth!.owner)),
  })

  app.route({
    method: 'GET',
    url: '/limits',
    schema: { operationId: 'showVolumeLimits', tags: ['limits'], params: ProjectParams, response: { 200: Limits, ...cinderErrors() } },
    handler: async (request) => limitsView(await quotas.usage(request.auth!.owner)),
  })

  app.route({
    method: 'GET',
    url: '/os-quota-sets/:targetProjectId',
    schema: {
      operationId: 'showVolumeQuotaSet', tags: ['quota sets'], params: QuotaSetParams, querystring: QuotaSetQuery,
      response: { 200: QuotaSet, ...cinderErrors(403) },
    },
    handler: async (request) => {
      const { targetProjectId } = request.params
      return quotaSetView(targetProjectId, await quotas.usage(request.auth!.owner, targetProjectId), request.query.usage !== undefined && booleanOf(request.query.usage, 'usage'))
    },
  })

  app.route({
    method: 'GET',
    url: '/os-quota-sets/:targetProjectId/defaults',
    schema: { operationId: 'showVolumeQuotaDefaults', tags: ['quota sets'], params: QuotaSetParams, response: { 200: QuotaSet, ...cinderErrors() } },
    handler: async (request) => defaultQuotaSetView(request.params.targetProjectId, defaultQuotaLimits),
  })

  app.route({
    method: 'GET',
    url: '/extensions',
    schema: { operationId: 'listVolumeExtensions', tags: ['extensions'], params: ProjectParams, response: { 200: ExtensionList, ...cinderErrors() } },
    handler: async () => ({ extensions: [] }),
  })
}

