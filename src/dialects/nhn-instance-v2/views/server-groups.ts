import type { ServerGroupCreateInput } from '../../../core/server-groups/server-group-service.ts'
import type { ServerGroupWithMembers } from '../../../core/server-groups/server-group.ts'
import type { Page, PageRequest } from '../../../core/shared/page.ts'
import { atLeast, type Microversion } from '../microversion.ts'
import { MAX_PAGE_SIZE, pageSize } from '../schemas/common.ts'
import type { ServerGroup, ServerGroupCreateBody, ServerGroupList, ServerGroupListQuery } from '../schemas/server-groups.ts'

const OWNER_FIELDS = 13

export function serverGroupView(group: ServerGroupWithMembers, version: Microversion): ServerGroup {
  return {
    id: group.id,
    name: group.name,
    policies: [group.policy],
    members: [...group.memberIds],
    metadata: {},
    ...(atLeast(version, OWNER_FIELDS) ? { project_id: group.projectId, user_id: group.userId } : {}),
  }
}

/**
 * Nova's offset is honoured by reading offset + limit groups from the keyset and dropping the first
 * `offset`; a project has few groups (the server_groups quota), and past MAX_PAGE_SIZE use `marker`.
 */
export function serverGroupPage(query: ServerGroupListQuery): { page: PageRequest; offset: number } {
  const offset = Math.min(query.offset ?? 0, MAX_PAGE_SIZE)
  return { page: { limit: Math.min(offset + pageSize(query.limit), MAX_PAGE_SIZE), marker: query.marker ?? null }, offset }
}

export function serverGroupList(page: Page<ServerGroupWithMembers>, offset: number, version: Microversion): ServerGroupList {
  return { server_groups: page.items.slice(offset).map((group) => serverGroupView(group, version)) }
}

export function serverGroupCreateInput(body: ServerGroupCreateBody): ServerGroupCreateInput {
  return { name: body.server_group.name, policy: body.server_group.policies[0] }
}
