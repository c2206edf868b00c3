import { quotaExceeded } from '../shared/errors.ts'
import type { QuotaAmount, QuotaRepository, QuotaResource } from './quota-repository.ts'

/** Nova's and Neutron's / Cinder's default limits, used for every new project unless configured. */
export const defaultQuotaLimits: Readonly<Record<QuotaResource, number>> = {
  instances: 10,
  cores: 20,
  ram: 51200,
  key_pairs: 100,
  server_groups: 10,
  server_group_members: 10,
  metadata_items: 128,
  volumes: 10,
  gigabytes: 1000,
  snapshots: 10,
  floating_ips: 50,
  security_groups: 10,
  security_group_rules: 100,
  networks: 100,
  subnets: 100,
  ports: 500,
  images: 100,
}

/**
 * Consumes several resources at once (inside the caller's transaction): either all are consumed or
 * a quota_exceeded error names the first that does not fit, and the transaction rolls everything back.
 */
export async function consumeQuotas(
  quotas: QuotaRepository,
  projectId: string,
  amounts: Partial<Record<QuotaResource, number>>,
): Promise<void> {
  const wanted: QuotaAmount[] = []
  for (const [resource, amount] of Object.entries(amounts) as [QuotaResource, number][]) {
    if (amount && amount > 0) wanted.push({ resource, amount })
  }
  if (wanted.length === 0) return
  // One statement for all of them: a refusal throws, and the caller's transaction undoes the rest.
  const refused = wanted.length === 1
    ? await quotas.tryConsume(projectId, wanted[0].resource, wanted[0].amount)
    : await quotas.tryConsumeAll(projectId, wanted)
  if (refused) {
    const amount = wanted.find((item) => item.resource === refused.resource)?.amount ?? 0
    throw quotaExceeded(refused.resource, amount, refused.inUse, refused.limit)
  }
}

export async function releaseQuotas(
  quotas: QuotaRepository,
  projectId: string,
  amounts: Partial<Record<QuotaResource, number>>,
): Promise<void> {
  for (const [resource, amount] of Object.entries(amounts) as [QuotaResource, number][]) {
    if (amount && amount > 0) await quotas.release(projectId, resource, amount)
  }
}
