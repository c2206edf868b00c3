/**
 * Limits and quota sets: the core's per-resource limit and usage → Nova's absolute limits and
 * `quota_set` bodies, and Nova quota names → core quota resources for updates.
 */
import type { QuotaResource, QuotaUsage } from '../../../core/quotas/quota-repository.ts'
import { defaultQuotaLimits } from '../../../core/quotas/quotas.ts'
import { badRequest } from '../../../core/shared/errors.ts'
import { atLeast, type Microversion } from '../microversion.ts'
import {
  NETWORK_QUOTA_NAMES, QUOTA_NAMES, type AbsoluteLimits, type Limits, type QuotaName, type QuotaSet,
  type QuotaSetDetail, type QuotaUpdateBody,
} from '../schemas/limits.ts'

/** From 2.36 Nova no longer shows (nor changes) the network quotas, which belong to Neutron. */
const NETWORK_QUOTAS_REMOVED = 36

/**
 * Nova quotas Gureum does not count, shown with Nova's defaults: file injection (personality) limits and
 * nova-network's fixed IPs (unlimited).
 */
const FIXED_QUOTAS: Partial<Record<QuotaName, number>> = {
  injected_files: 5,
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
  fixed_ips: -1,
}

const QUOTA_RESOURCES: Partial<Record<QuotaName, QuotaResource>> = {
  instances: 'instances',
  cores: 'cores',
  ram: 'ram',
  key_pairs: 'key_pairs',
  metadata_items: 'metadata_items',
  server_groups: 'server_groups',
  server_group_members: 'server_group_members',
  floating_ips: 'floating_ips',
  security_groups: 'security_groups',
  security_group_rules: 'security_group_rules',
}

interface Usage {
  readonly limit: number
  readonly inUse: number
}

/** A resource without a quota row allows nothing (as the core's consume treats it). */
function usageOf(usages: readonly QuotaUsage[], name: QuotaName): Usage {
  const fixed = FIXED_QUOTAS[name]
  if (fixed !== undefined) return { limit: fixed, inUse: 0 }
  const found = usages.find((usage) => usage.resource === QUOTA_RESOURCES[name])
  return found ?? { limit: 0, inUse: 0 }
}

function shownQuotaNames(version: Microversion): readonly QuotaName[] {
  return atLeast(version, NETWORK_QUOTAS_REMOVED) ? QUOTA_NAMES.filter((name) => !NETWORK_QUOTA_NAMES.includes(name)) : QUOTA_NAMES
}

export function limitsView(usages: readonly QuotaUsage[], version: Microversion): Limits {
  const of = (name: QuotaName) => usageOf(usages, name)
  const absolute: AbsoluteLimits = {
    maxTotalInstances: of('instances').limit,
    totalInstancesUsed: of('instances').inUse,
    maxTotalCores: of('cores').limit,
    totalCoresUsed: of('cores').inUse,
    maxTotalRAMSize: of('ram').limit,
    totalRAMUsed: of('ram').inUse,
    maxTotalKeypairs: of('key_pairs').limit,
    maxServerMeta: of('metadata_items').limit,
    // Nova bounds image metadata with the same quota as server metadata.
    maxImageMeta: of('metadata_items').limit,
    maxPersonality: of('injected_files').limit,
    maxPersonalitySize: of('injected_file_content_bytes').limit,
    maxServerGroups: of('server_groups').limit,
    totalServerGroupsUsed: of('server_groups').inUse,
    maxServerGroupMembers: of('server_group_members').limit,
    ...(atLeast(version, NETWORK_QUOTAS_REMOVED) ? {} : {
      maxSecurityGroups: of('security_groups').limit,
      totalSecurityGroupsUsed: of('security_groups').inUse,
      maxSecurityGroupRules: of('security_group_rules').limit,
      maxTotalFloatingIps: of('floating_ips').limit,
      totalFloatingIpsUsed: of('floating_ips').inUse,
    }),
  }
  return { limits: { rate: [], absolute } }
}

/** `projectId` null leaves out `id`, as Nova's answer to an update does. */
export function quotaSetView(usages: readonly QuotaUsage[], projectId: string | null, version: Microversion): QuotaSet {
  const limits = Object.fromEntries(shownQuotaNames(version).map((name) => [name, usageOf(usages, name).limit]))
  return { quota_set: { ...(projectId === null ? {} : { id: projectId }), ...limits } as QuotaSet['quota_set'] }
}

export function quotaSetDetailView(usages: readonly QuotaUsage[], projectId: string, version: Microversion): QuotaSetDetail {
  const details = Object.fromEntries(shownQuotaNames(version).map((name) => {
    const usage = usageOf(usages, name)
    return [name, { in_use: usage.inUse, limit: usage.limit, reserved: 0 }]
  }))
  return { quota_set: { id: projectId, ...details } as QuotaSetDetail['quota_set'] }
}

/** The configured defaults every new project starts with, as the core's usage rows would show them. */
export function defaultQuotaUsages(): QuotaUsage[] {
  return Object.entries(defaultQuotaLimits).map(([resource, limit]) => ({ resource: resource as QuotaResource, limit, inUse: 0 }))
}

/** Nova quota names → core limits; names Gureum does not count cannot be changed. */
export function quotaLimitsInput(body: QuotaUpdateBody, version: Microversion): Partial<Record<QuotaResource, number>> {
  const shown = shownQuotaNames(version)
  const limits: Partial<Record<QuotaResource, number>> = {}
  for (const [name, limit] of Object.entries(body.quota_set) as [QuotaName | 'force', number | boolean | undefined][]) {
    if (name === 'force' || limit === undefined) continue
    const resource = QUOTA_RESOURCES[name]
    if (!shown.includes(name)) {
      throw badRequest(`Invalid input for field/attribute quota_set. Reason: Additional properties are not allowed ('${name}' was unexpected)`, name)
    }
    if (resource === undefined) throw badRequest(`Quota ${name} is fixed at ${FIXED_QUOTAS[name]} and cannot be changed.`, name)
    limits[resource] = limit as number
  }
  return limits
}
