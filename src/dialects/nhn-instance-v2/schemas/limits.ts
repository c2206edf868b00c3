import { Type, type Static, type TInteger, type TOptional, type TSchema } from 'typebox'
import { TenantParams } from './common.ts'

const count = Type.Integer()

/**
 * Nova's absolute limits (-1 = unlimited). The network ones (security groups, floating IPs) are left out
 * from 2.36, as Nova stopped proxying Neutron quotas there.
 */
export const AbsoluteLimits = Type.Object({
  maxTotalInstances: count,
  totalInstancesUsed: count,
  maxTotalCores: count,
  totalCoresUsed: count,
  maxTotalRAMSize: count,
  totalRAMUsed: count,
  maxTotalKeypairs: count,
  maxServerMeta: count,
  maxImageMeta: count,
  maxPersonality: count,
  maxPersonalitySize: count,
  maxServerGroups: count,
  totalServerGroupsUsed: count,
  maxServerGroupMembers: count,
  maxSecurityGroups: Type.Optional(count),
  totalSecurityGroupsUsed: Type.Optional(count),
  maxSecurityGroupRules: Type.Optional(count),
  maxTotalFloatingIps: Type.Optional(count),
  totalFloatingIpsUsed: Type.Optional(count),
}, { additionalProperties: false })
export type AbsoluteLimits = Static<typeof AbsoluteLimits>

export const Limits = Type.Object({
  limits: Type.Object({
    /** Gureum has no rate limits to report (Nova's v2.1 list is empty too). */
    rate: Type.Array(Type.Never()),
    absolute: AbsoluteLimits,
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type Limits = Static<typeof Limits>

/** An admin may ask for another project's limits with `tenant_id`; other parameters are ignored. */
export const LimitsQuery = Type.Object({
  tenant_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
}, { additionalProperties: true })
export type LimitsQuery = Static<typeof LimitsQuery>

export const QuotaParams = Type.Object({
  ...TenantParams.properties,
  projectId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type QuotaParams = Static<typeof QuotaParams>

/** Nova's per-user quotas (`user_id`) do not exist here: the project's apply to every user. */
export const QuotaQuery = Type.Object({}, { additionalProperties: true })

/** The quota names Nova shows; the network ones only before 2.36. */
export const QUOTA_NAMES = [
  'instances', 'cores', 'ram', 'key_pairs', 'metadata_items', 'server_groups', 'server_group_members',
  'injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes',
  'fixed_ips', 'floating_ips', 'security_groups', 'security_group_rules',
] as const
export type QuotaName = typeof QUOTA_NAMES[number]
export const NETWORK_QUOTA_NAMES: readonly QuotaName[] = ['fixed_ips', 'floating_ips', 'security_groups', 'security_group_rules']

export const QuotaUsageDetail = Type.Object({
  in_use: Type.Integer(),
  limit: Type.Integer(),
  reserved: Type.Integer(),
}, { additionalProperties: false })

/** One schema per quota name; the network quotas optional, since they are shown only before 2.36. */
function quotaFields<T extends TSchema>(value: T): Record<QuotaName, T | TOptional<T>> {
  return Object.fromEntries(QUOTA_NAMES.map((name) => [
    name, NETWORK_QUOTA_NAMES.includes(name) ? Type.Optional(value) : value,
  ])) as Record<QuotaName, T | TOptional<T>>
}

export const QuotaSet = Type.Object({
  quota_set: Type.Object({
    /** The project; absent in the answer to an update, as in Nova. */
    id: Type.Optional(Type.String()),
    ...quotaFields(Type.Integer()),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type QuotaSet = Static<typeof QuotaSet>

export const QuotaSetDetail = Type.Object({
  quota_set: Type.Object({
    id: Type.String(),
    ...quotaFields(QuotaUsageDetail),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type QuotaSetDetail = Static<typeof QuotaSetDetail>

/** Nova accepts integers or integer strings of -1 or more, and `force` (here always in effect). */
export const QuotaUpdateBody = Type.Object({
  quota_set: Type.Object({
    force: Type.Optional(Type.Boolean()),
    ...(Object.fromEntries(QUOTA_NAMES.map((name) => [name, Type.Optional(Type.Integer({ minimum: -1 }))])) as
      Record<QuotaName, TOptional<TInteger>>),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type QuotaUpdateBody = Static<typeof QuotaUpdateBody>
