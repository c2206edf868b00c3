/**
 * Quotas and usage per project, kept in one row per resource so that a consume is a single atomic
 * conditional update: usage can never pass the limit nor go below zero, whatever the concurrency.
 */
export type QuotaResource =
  | 'instances' | 'cores' | 'ram' | 'key_pairs' | 'server_groups' | 'server_group_members' | 'metadata_items'
  | 'volumes' | 'gigabytes' | 'snapshots' | 'floating_ips' | 'security_groups' | 'security_group_rules'
  | 'networks' | 'subnets' | 'ports' | 'images'

export interface QuotaUsage {
  readonly resource: QuotaResource
  /** -1 = unlimited. */
  readonly limit: number
  readonly inUse: number
}

export interface QuotaAmount {
  readonly resource: QuotaResource
  /** > 0. */
  readonly amount: number
}

export interface QuotaRepository {
  /** Creates or changes a limit, keeping usage. */
  setLimit(projectId: string, resource: QuotaResource, limit: number): Promise<void>
  list(projectId: string): Promise<QuotaUsage[]>
  /**
   * Adds `amount` (> 0) to usage only if it stays within the limit. Returns null on success, or the
   * usage as it was when the consume was refused.
   */
  tryConsume(projectId: string, resource: QuotaResource, amount: number): Promise<QuotaUsage | null>
  /**
   * Several resources in one statement, each added only if it stays within its limit. Returns null when
   * every one was added, or the usage of the first (in the order given) that was refused; the others may
   * then have been added, so the caller's transaction must roll back, as it does for any error it throws.
   */
  tryConsumeAll(projectId: string, amounts: readonly QuotaAmount[]): Promise<QuotaUsage | null>
  /** Returns `amount` (> 0) to the pool; usage never goes below zero. */
  release(projectId: string, resource: QuotaResource, amount: number): Promise<void>
}
