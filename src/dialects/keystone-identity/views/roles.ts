/**
 * Roles as Keystone puts them in tokens: Gureum's three roles are Keystone's default roles, and
 * Keystone lists the roles a role implies too (admin implies member, member implies reader).
 */
import type { Role } from '../../../core/shared/owner.ts'
import { stableId } from './stable-ids.ts'

const IMPLIED: Readonly<Record<Role, readonly Role[]>> = {
  admin: ['member', 'reader'],
  member: ['reader'],
  reader: [],
}

/** The roles a token carries: its own roles first, then the ones they imply, each once. */
export function tokenRoles(roles: readonly Role[]): Role[] {
  return [...new Set([...roles, ...roles.flatMap((role) => IMPLIED[role])])]
}

export function roleId(role: Role): string {
  return stableId('role', role)
}
