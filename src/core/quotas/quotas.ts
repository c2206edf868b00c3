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

/**
 * Reads (without locking) whether the amounts would fit, and throws consumeQuotas' error for the first
 * that would not. It only decides which error a request gets first; consumeQuotas, later in the same
 * transaction, remains the authority. A caller consuming at the end of its transaction holds the
 * project's quota rows (hot under concurrent creates) only for the last statement and the commit.
 */
export async function checkQuotas(
  quotas: QuotaRepository,
  projectId: string,
  amounts: Partial<Record<QuotaResource, number>>,
): Promise<void> {
  const usage = new Map((await quotas.list(projectId)).map((row) => [row.resource, row]))
  for (const [resource, amount] of Object.entries(amounts) as [QuotaResource, number][]) {
    if (!amount || amount <= 0) continue
    const row = usage.get(resource)
    // A project without a row for this resource has no limit configured for it: treat as zero allowed.
    const limit = row?.limit ?? 0
    const inUse = row?.inUse ?? 0
    if (limit >= 0 && inUse + amount > limit) throw quotaExceeded(resource, amount, inUse, limit)
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
