import type { Page } from '../shared/page.ts'
import type { ServerGroup, ServerGroupMembership } from './server-group.ts'

/**
 * A member is a server_group_members row whose server is not marked deleted: a server that is deleted
 * without leaving its group (a crash between the two) stops counting at once.
 */
export interface ServerGroupRepository {
  insert(group: ServerGroup): Promise<void>
  get(projectId: string, id: string): Promise<ServerGroup | null>
  /** Any project's group: for the server lifecycle, whose caller has already checked ownership. */
  getById(id: string): Promise<ServerGroup | null>
  /** Ordered by (created_at, id), continuing after `after`. */
  list(projectId: string, query: {
    readonly after: { readonly createdAt: Date; readonly id: string } | null
    readonly limit: number
  }): Promise<Page<ServerGroup>>
  /** Deletes the group and its memberships (the servers stay). */
  delete(projectId: string, id: string): Promise<boolean>
  /** Member server ids per group id, in join order; every requested group has an entry. */
  memberIds(groupIds: readonly string[]): Promise<Map<string, string[]>>
  /**
   * Returns the group of this project and locks it until the transaction ends, so that concurrent joins
   * of one group run one after another and cannot overfill it.
   */
  lockForMembership(projectId: string, id: string): Promise<ServerGroup | null>
  countMembers(groupId: string): Promise<number>
  /** Partition number → number of members in it (partitions without members are absent). */
  partitionCounts(groupId: string): Promise<Map<number, number>>
  /** False when the server already belongs to a group (a server is in at most one). */
  addMember(member: {
    readonly groupId: string
    readonly serverId: string
    readonly partitionNumber: number | null
    readonly createdAt: Date
  }): Promise<boolean>
  /** False when the server was in no group. */
  removeMember(serverId: string): Promise<boolean>
  membershipOf(serverId: string): Promise<ServerGroupMembership | null>
  /** For server lists: server id → its group id and partition, for the servers that are in one. */
  membershipsOf(serverIds: readonly string[]): Promise<Map<string, {
    readonly groupId: string
    readonly partitionNumber: number | null
  }>>
  /** Every member with the host its server is on now (null while unplaced). */
  memberPlacements(groupId: string): Promise<Array<{
    readonly serverId: string
    readonly hostId: string | null
    readonly partitionNumber: number | null
  }>>
}
