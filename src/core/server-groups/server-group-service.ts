import { randomUUID } from 'node:crypto'
import { markerNotFound, requireValidLimit, requireWriter } from '../flavors/catalog-guards.ts'
import type { TransactionalRepositories } from '../flavors/compute-catalog-repositories.ts'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { QuotaRepository } from '../quotas/quota-repository.ts'
import { consumeQuotas, releaseQuotas } from '../quotas/quotas.ts'
import type { PlacementGroup } from '../scheduler/placement-request.ts'
import { badRequest, conflict, notFound, quotaExceeded } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import type { Page, PageRequest } from '../shared/page.ts'
import {
  SERVER_GROUP_POLICIES, type ServerGroup, type ServerGroupMembership, type ServerGroupPolicy,
  type ServerGroupWithMembers,
} from './server-group.ts'
import type { ServerGroupRepository } from './server-group-repository.ts'

export interface ServerGroupRepositories {
  readonly serverGroups: ServerGroupRepository
  readonly quotas: QuotaRepository
}

export interface ServerGroupCreateInput {
  readonly name: string
  readonly policy: string
  /**
   * Partition policy only. SCP's create request has no such field: its groups get the region maximum
   * (`GET /v1/server-groups/partition-size`), which is what an absent value means here too.
   */
  readonly partitionSize?: number
}

/**
 * SCP documents a region maximum but not its value; 3 is what its ServerGroup example shows
 * (CATALOG §2.3.2).
 */
export const DEFAULT_MAX_PARTITION_SIZE = 3

export interface ServerGroupServiceDependencies {
  readonly store: TransactionalRepositories<ServerGroupRepositories>
  readonly clock: Clock
  readonly ids?: IdGenerator
  readonly maxPartitionSize?: number
}

/** Nova os-server-groups and SCP server groups, one model. */
export class ServerGroupService {
  readonly #store: TransactionalRepositories<ServerGroupRepositories>
  readonly #clock: Clock
  readonly #newId: () => string
  readonly #maxPartitionSize: number

  constructor(deps: ServerGroupServiceDependencies) {
    this.#store = deps.store
    this.#clock = deps.clock
    const ids = deps.ids
    this.#newId = ids ? () => ids.uuid() : randomUUID
    this.#maxPartitionSize = deps.maxPartitionSize ?? DEFAULT_MAX_PARTITION_SIZE
    if (!Number.isSafeInteger(this.#maxPartitionSize) || this.#maxPartitionSize < 1) {
      throw new RangeError(`maxPartitionSize must be a positive integer, got ${this.#maxPartitionSize}`)
    }
  }

  /** The region's largest partition size (SCP 1.44). */
  get maxPartitionSize(): number {
    return this.#maxPartitionSize
  }

  async create(owner: Owner, input: ServerGroupCreateInput): Promise<ServerGroupWithMembers> {
    requireWriter(owner)
    const name = validateGroupName(input.name)
    const policy = validatePolicy(input.policy)
    const partitionSize = this.#partitionSizeFor(policy, input.partitionSize)
    const group: ServerGroup = {
      id: this.#newId(),
      projectId: owner.projectId,
      userId: owner.userId,
      name,
      policy,
      partitionSize,
      createdAt: this.#clock.now(),
    }
    await this.#store.transaction(async (tx) => {
      await consumeQuotas(tx.quotas, owner.projectId, { server_groups: 1 })
      await tx.serverGroups.insert(group)
    })
    return { ...group, memberIds: [] }
  }

  async get(owner: Owner, id: string): Promise<ServerGroupWithMembers> {
    const group = await this.#store.serverGroups.get(owner.projectId, id)
    if (group === null) throw notFound('server_group', id)
    const members = await this.#store.serverGroups.memberIds([group.id])
    return { ...group, memberIds: members.get(group.id) ?? [] }
  }

  /** Oldest first; `marker` is the last group id of the previous page. */
  async list(owner: Owner, page: PageRequest): Promise<Page<ServerGroupWithMembers>> {
    requireValidLimit(page)
    let after: ServerGroup | null = null
    if (page.marker !== null) {
      after = await this.#store.serverGroups.get(owner.projectId, page.marker)
      if (after === null) throw markerNotFound(page.marker)
    }
    const groups = await this.#store.serverGroups.list(owner.projectId, { after, limit: page.limit })
    const members = await this.#store.serverGroups.memberIds(groups.items.map((group) => group.id))
    return {
      items: groups.items.map((group) => ({ ...group, memberIds: members.get(group.id) ?? [] })),
      hasMore: groups.hasMore,
    }
  }

  /** As Nova: a group may be deleted while it has members; the servers stay, only the grouping goes. */
  async delete(owner: Owner, id: string): Promise<void> {
    requireWriter(owner)
    await this.#store.transaction(async (tx) => {
      if (!(await tx.serverGroups.delete(owner.projectId, id))) throw notFound('server_group', id)
      await releaseQuotas(tx.quotas, owner.projectId, { server_groups: 1 })
    })
  }

  #partitionSizeFor(policy: ServerGroupPolicy, requested: number | undefined): number | null {
    if (policy !== 'partition') {
      if (requested !== undefined) {
        throw badRequest('partition_size is only valid for a server group with the partition policy', 'partition_size')
      }
      return null
    }
    if (requested === undefined) return this.#maxPartitionSize
    if (!Number.isSafeInteger(requested) || requested < 1 || requested > this.#maxPartitionSize) {
      throw badRequest(`partition_size must be an integer from 1 to ${this.#maxPartitionSize}`, 'partition_size')
    }
    return requested
  }
}

export interface JoinServerGroupInput {
  readonly groupId: string
  readonly serverId: string
  /**
   * Partition policy only, 1..partitionSize. Absent: the partition with the fewest members (the lowest
   * on a tie), as EC2 spreads unnumbered instances; SCP makes the number optional and Nova clients
   * cannot send one at all.
   */
  readonly partitionNumber?: number | null
  readonly now: Date
}

/**
 * For server create, inside its transaction, before scheduling. The per-group member limit is the
 * project's `server_group_members` quota, counted per group as Nova does; the group row is locked for
 * the check, so concurrent creates cannot overfill a group. An unknown group is not found.
 */
export async function joinServerGroup(
  tx: ServerGroupRepositories, owner: Owner, input: JoinServerGroupInput,
): Promise<ServerGroupMembership> {
  const group = await tx.serverGroups.lockForMembership(owner.projectId, input.groupId)
  if (group === null) throw notFound('server_group', input.groupId)

  const partitionNumber = await partitionNumberFor(tx, group, input.partitionNumber ?? null)
  const limit = await memberLimit(tx.quotas, owner.projectId)
  const members = await tx.serverGroups.countMembers(group.id)
  if (limit >= 0 && members + 1 > limit) throw quotaExceeded('server_group_members', 1, members, limit)

  const added = await tx.serverGroups.addMember({
    groupId: group.id, serverId: input.serverId, partitionNumber, createdAt: input.now,
  })
  if (!added) throw conflict('server', `Server ${input.serverId} is already in a server group.`, input.serverId)
  return { group, serverId: input.serverId, partitionNumber }
}

/** For server delete, inside its transaction; a server in no group is fine. */
export async function leaveServerGroup(tx: Pick<ServerGroupRepositories, 'serverGroups'>, serverId: string): Promise<void> {
  await tx.serverGroups.removeMember(serverId)
}

/**
 * What the scheduler needs to place `excludingServerId` (a new member, or one being resized or
 * migrated): where the group's other members run now, and the partition of the server being placed.
 */
export async function placementGroupFor(
  repos: Pick<ServerGroupRepositories, 'serverGroups'>, groupId: string, excludingServerId: string,
): Promise<PlacementGroup> {
  const group = await repos.serverGroups.getById(groupId)
  if (group === null) throw notFound('server_group', groupId)
  const memberHosts = new Map<string, number>()
  const memberPartitions = new Map<string, Set<number>>()
  let partitionNumber: number | null = null
  for (const member of await repos.serverGroups.memberPlacements(groupId)) {
    if (member.serverId === excludingServerId) {
      partitionNumber = member.partitionNumber
      continue
    }
    if (member.hostId === null) continue
    memberHosts.set(member.hostId, (memberHosts.get(member.hostId) ?? 0) + 1)
    if (group.policy === 'partition' && member.partitionNumber !== null) {
      const partitions = memberPartitions.get(member.hostId) ?? new Set<number>()
      partitions.add(member.partitionNumber)
      memberPartitions.set(member.hostId, partitions)
    }
  }
  return {
    id: group.id,
    policy: group.policy,
    memberHosts,
    memberPartitions,
    partitionNumber: group.policy === 'partition' ? partitionNumber : null,
  }
}

/** placementGroupFor the group `serverId` is in (it being the server placed), or null when in none. */
export async function placementGroupOfServer(
  repos: Pick<ServerGroupRepositories, 'serverGroups'>, serverId: string,
): Promise<PlacementGroup | null> {
  const membership = await repos.serverGroups.membershipOf(serverId)
  return membership === null ? null : placementGroupFor(repos, membership.group.id, serverId)
}

/** The group a server is in, with its partition; null when it is in none. */
export async function serverGroupOf(
  repos: Pick<ServerGroupRepositories, 'serverGroups'>, serverId: string,
): Promise<ServerGroupMembership | null> {
  return repos.serverGroups.membershipOf(serverId)
}

async function partitionNumberFor(
  tx: ServerGroupRepositories, group: ServerGroup, requested: number | null,
): Promise<number | null> {
  if (group.policy !== 'partition' || group.partitionSize === null) {
    if (requested !== null) {
      throw badRequest('partition_number is only valid for a server group with the partition policy', 'partition_number')
    }
    return null
  }
  if (requested !== null) {
    if (!Number.isSafeInteger(requested) || requested < 1 || requested > group.partitionSize) {
      throw badRequest(`partition_number must be an integer from 1 to ${group.partitionSize}`, 'partition_number')
    }
    return requested
  }
  const counts = await tx.serverGroups.partitionCounts(group.id)
  let emptiest = 1
  for (let partition = 2; partition <= group.partitionSize; partition++) {
    if ((counts.get(partition) ?? 0) < (counts.get(emptiest) ?? 0)) emptiest = partition
  }
  return emptiest
}

async function memberLimit(quotas: QuotaRepository, projectId: string): Promise<number> {
  const usage = (await quotas.list(projectId)).find((quota) => quota.resource === 'server_group_members')
  // As QuotaRepository.tryConsume: a resource without a configured limit allows nothing.
  return usage?.limit ?? 0
}

const GROUP_NAME_MAX = 255

function validateGroupName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > GROUP_NAME_MAX
    || name.trim() !== name || /\p{Cc}/u.test(name)) {
    throw badRequest(
      `Server group name must be 1-${GROUP_NAME_MAX} printable characters without leading or trailing spaces`, 'name',
    )
  }
  return name
}

function validatePolicy(policy: unknown): ServerGroupPolicy {
  const known = SERVER_GROUP_POLICIES.find((candidate) => candidate === policy)
  if (known === undefined) {
    throw badRequest(`Invalid server group policy '${String(policy)}'; expected one of ${SERVER_GROUP_POLICIES.join(', ')}`, 'policy')
  }
  return known
}
