import type { QuotaResource, QuotaUsage } from '../../../core/quotas/quota-repository.ts'
import { NEUTRON_QUOTA_RESOURCES, type NeutronQuotaResource } from '../schemas/quotas.ts'
import { neutronQuotaNames } from '../errors.ts'

const coreResourceOf = Object.fromEntries(
  Object.entries(neutronQuotaNames).map(([core, neutron]) => [neutron, core]),
) as Record<NeutronQuotaResource, QuotaResource>

function usageOf(usage: readonly QuotaUsage[], resource: NeutronQuotaResource): QuotaUsage {
  return usage.find((entry) => entry.resource === coreResourceOf[resource])
    ?? { resource: coreResourceOf[resource], limit: -1, inUse: 0 }
}

export function quotaLimitsView(usage: readonly QuotaUsage[]): Record<NeutronQuotaResource, number> {
  return Object.fromEntries(NEUTRON_QUOTA_RESOURCES.map((name) => [name, usageOf(usage, name).limit])) as
    Record<NeutronQuotaResource, number>
}

/** Neutron's detail view; Gureum consumes quota atomically, so nothing is ever reserved. */
export function quotaDetailsView(usage: readonly QuotaUsage[]) {
  return Object.fromEntries(NEUTRON_QUOTA_RESOURCES.map((name) => {
    const entry = usageOf(usage, name)
    return [name, { limit: entry.limit, used: entry.inUse, reserved: 0 }]
  })) as Record<NeutronQuotaResource, { limit: number; used: number; reserved: number }>
}

export function quotaLimitsInput(body: Partial<Record<NeutronQuotaResource, number>>): Partial<Record<QuotaResource, number>> {
  return Object.fromEntries(Object.entries(body).map(([name, limit]) => [coreResourceOf[name as NeutronQuotaResource], limit]))
}
