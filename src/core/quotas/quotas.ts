import { quotaExceeded } from '../shared/errors.ts'
import type { QuotaRepository, QuotaResource } from './quota-repository.ts'

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
  for (const [resource, amount] of Object.entries(amounts) as [QuotaResource, number][]) {
    if (!amount || amount <= 0) continue
    const refused = await quotas.tryConsume(projectId, resource, amount)
    if (refused) throw quotaExceeded(resource, amount, refused.inUse, refused.limit)
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
