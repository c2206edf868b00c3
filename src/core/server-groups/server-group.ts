import type { ServerGroupPolicy } from '../scheduler/placement-request.ts'

export type { ServerGroupPolicy }

/**
 * Nova's hard policies plus SCP's partition. Nova's soft-affinity / soft-anti-affinity and the 2.64
 * `max_server_per_host` rule are not offered: neither vendor documents them.
 */
export const SERVER_GROUP_POLICIES: readonly ServerGroupPolicy[] = ['affinity', 'anti-affinity', 'partition']

/**
 * A set of servers placed together (affinity), apart (anti-affinity), or in `partitionSize` partitions
 * that never share a host (partition, SCP after EC2 placement groups).
 */
export interface ServerGroup {
  readonly id: string
  readonly projectId: string
  readonly userId: string
  readonly name: string
  readonly policy: ServerGroupPolicy
  /** Partition policy only; null for the others. */
  readonly partitionSize: number | null
  readonly createdAt: Date
}

export interface ServerGroupWithMembers extends ServerGroup {
  /** The member servers' ids, in the order they joined. */
  readonly memberIds: readonly string[]
}

/** A server's place in its group. */
export interface ServerGroupMembership {
  readonly group: ServerGroup
  readonly serverId: string
  /** Partition policy only: which partition the server is in. */
  readonly partitionNumber: number | null
}
