/**
 * Security groups inside a caller's transaction: the per-project `default` group, group creation with
 * Neutron's implicit rules, rule creation with duplicate detection, and name-or-id resolution.
 */
import type { Repositories } from '../ports/store.ts'
import { conflict, DomainError, notFound } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import { consumeQuotas, releaseQuotas } from '../quotas/quotas.ts'
import { DEFAULT_SECURITY_GROUP, type SecurityGroupRule } from './network.ts'
import { newId, type NetworkEnv } from './network-env.ts'
import { ruleIdentity, validateRule, type RuleSpec, type SecurityGroupRuleInput } from './security-group-rules.ts'

type RuleTemplate = Pick<RuleSpec, 'direction' | 'ethertype'> & { readonly remoteIsSelf: boolean }

/** Every new group allows all egress (Neutron adds these two rules to each group it creates). */
const EGRESS_RULES: readonly RuleTemplate[] = [
  { direction: 'egress', ethertype: 'IPv4', remoteIsSelf: false },
  { direction: 'egress', ethertype: 'IPv6', remoteIsSelf: false },
]

/** The default group also lets its members reach each other. */
const DEFAULT_GROUP_RULES: readonly RuleTemplate[] = [
  ...EGRESS_RULES,
  { direction: 'ingress', ethertype: 'IPv4', remoteIsSelf: true },
  { direction: 'ingress', ethertype: 'IPv6', remoteIsSelf: true },
]

async function findDefaultGroupId(tx: Repositories, projectId: string): Promise<string | null> {
  const refs = await tx.securityGroups.findRefs(projectId, [DEFAULT_SECURITY_GROUP])
  return refs.find((ref) => ref.name === DEFAULT_SECURITY_GROUP)?.id ?? null
}

async function insertGroup(
  tx: Repositories, env: NetworkEnv, projectId: string, name: string, description: string, rules: readonly RuleTemplate[],
): Promise<string> {
  const id = newId(env)
  const createdAt = env.clock.now()
  await tx.securityGroups.insert({ id, projectId, name, description, createdAt })
  for (const rule of rules) {
    await tx.securityGroupRules.insert({
      id: newId(env), securityGroupId: id, projectId, createdAt, direction: rule.direction, ethertype: rule.ethertype,
      protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null,
      remoteGroupId: rule.remoteIsSelf ? id : null, description: '',
    })
  }
  return id
}

/**
 * The project's `default` group, created with Neutron's default rules when missing; returns its id.
 * Two first callers may race: consuming the quota locks the project's quota row until commit, and the
 * second look under that lock sees the winner's group, so exactly one is created.
 */
export async function ensureDefaultSecurityGroup(tx: Repositories, projectId: string, env: NetworkEnv): Promise<string> {
  const existing = await findDefaultGroupId(tx, projectId)
  if (existing) return existing
  const amounts = { security_groups: 1, security_group_rules: DEFAULT_GROUP_RULES.length }
  await consumeQuotas(tx.quotas, projectId, amounts)
  const raced = await findDefaultGroupId(tx, projectId)
  if (raced) {
    await releaseQuotas(tx.quotas, projectId, amounts)
    return raced
  }
  return insertGroup(tx, env, projectId, DEFAULT_SECURITY_GROUP, 'Default security group', DEFAULT_GROUP_RULES)
}

/** A new group with the two egress rules; `default` is reserved for the automatic group. */
export async function createSecurityGroupIn(
  tx: Repositories, owner: Owner, env: NetworkEnv, name: string, description: string,
): Promise<string> {
  if (name === DEFAULT_SECURITY_GROUP) throw conflict('security_group', 'Default security group already exists.')
  await consumeQuotas(tx.quotas, owner.projectId, { security_groups: 1, security_group_rules: EGRESS_RULES.length })
  return insertGroup(tx, env, owner.projectId, name, description, EGRESS_RULES)
}

/**
 * Resolves names or ids to the project's group ids, in request order without repeats, the way Nova
 * does with Neutron: an id wins, else a unique name; an unknown one is not_found, an ambiguous name a
 * conflict. Read-only: callers wanting `default` call ensureDefaultSecurityGroup first.
 */
export async function resolveSecurityGroups(tx: Repositories, owner: Owner, namesOrIds: readonly string[]): Promise<string[]> {
  return idsOf(await tx.securityGroups.findRefs(owner.projectId, namesOrIds), namesOrIds)
}

/**
 * resolveSecurityGroups for a new server, in one read once the project has its `default` group: when
 * `default` is asked for and missing, it is created first (ensureDefaultSecurityGroup) and read again.
 * The ids answered are the project's groups as of this transaction.
 */
export async function resolveSecurityGroupsWithDefault(
  tx: Repositories, owner: Owner, namesOrIds: readonly string[], env: NetworkEnv,
): Promise<string[]> {
  let refs = await tx.securityGroups.findRefs(owner.projectId, namesOrIds)
  if (namesOrIds.includes(DEFAULT_SECURITY_GROUP) && !refs.some((ref) => ref.name === DEFAULT_SECURITY_GROUP)) {
    await ensureDefaultSecurityGroup(tx, owner.projectId, env)
    refs = await tx.securityGroups.findRefs(owner.projectId, namesOrIds)
  }
  return idsOf(refs, namesOrIds)
}

function idsOf(refs: readonly { readonly id: string; readonly name: string }[], namesOrIds: readonly string[]): string[] {
  const ids: string[] = []
  for (const wanted of namesOrIds) {
    const byId = refs.find((ref) => ref.id === wanted)
    const byName = refs.filter((ref) => ref.name === wanted)
    if (!byId && byName.length > 1) {
      throw conflict('security_group', `Multiple security_group matches found for name '${wanted}', use an ID to be more specific.`)
    }
    const id = byId?.id ?? byName[0]?.id
    if (!id) throw notFound('security_group', wanted)
    if (!ids.includes(id)) ids.push(id)
  }
  return ids
}

/** Checks that every id names a group of the project. */
export async function requireSecurityGroupIds(tx: Repositories, owner: Owner, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)]
  const found = new Set((await tx.securityGroups.findRefs(owner.projectId, unique)).map((ref) => ref.id))
  const missing = unique.find((id) => !found.has(id))
  if (missing !== undefined) throw notFound('security_group', missing)
  return unique
}

/**
 * Adds a validated rule to a group of the project. The group's row lock is taken before its rules are
 * read, so two identical rules created at once cannot both pass the duplicate check.
 */
export async function createRuleIn(
  tx: Repositories, owner: Owner, env: NetworkEnv, input: SecurityGroupRuleInput,
): Promise<SecurityGroupRule> {
  const spec = validateRule(input)
  if (!(await tx.securityGroups.findInProject(owner.projectId, input.securityGroupId))) {
    throw notFound('security_group', input.securityGroupId)
  }
  if (spec.remoteGroupId !== null && spec.remoteGroupId !== input.securityGroupId
    && !(await tx.securityGroups.findInProject(owner.projectId, spec.remoteGroupId))) {
    throw new DomainError('not_found', `Security group ${spec.remoteGroupId} could not be found.`,
      { resource: 'security_group', id: spec.remoteGroupId, field: 'remote_group_id' })
  }
  await tx.securityGroups.lock(input.securityGroupId, env.clock.now())
  const group = (await tx.securityGroups.findInProject(owner.projectId, input.securityGroupId))!
  const identity = ruleIdentity(spec)
  const duplicate = group.rules.find((rule) => ruleIdentity(rule) === identity)
  if (duplicate) throw conflict('security_group_rule', `Security group rule already exists. Rule id is ${duplicate.id}.`, duplicate.id)
  await consumeQuotas(tx.quotas, owner.projectId, { security_group_rules: 1 })
  return tx.securityGroupRules.insert({
    ...spec, id: newId(env), securityGroupId: group.id, projectId: owner.projectId, createdAt: env.clock.now(),
  })
}
