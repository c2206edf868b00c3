/**
 * Keystone's default policies for what a token may read, on Gureum's roles: an `admin` user is a cloud
 * admin (as it is for the Gureum admin API); anyone else sees its own user, project and tokens only.
 * A refusal is Keystone's 403, which says nothing about whether the thing exists.
 */
import type { AuthContext } from '../../core/projects/auth-context.ts'
import type { Project } from '../../core/projects/project.ts'
import { isAdmin } from '../../core/shared/owner.ts'
import type { CoreServices } from '../shared/context.ts'
import { notAuthorizedFor } from './errors.ts'

/** identity:validate_token, identity:revoke_token (v3): an admin, or the token's own user. */
export function requireAdminOrTokenSubject(caller: AuthContext, subject: AuthContext, action: string): void {
  if (!isAdmin(caller.owner) && caller.user.id !== subject.user.id) throw notAuthorizedFor(action)
}

/** The v2.0 admin API (token validation): admins only. */
export function requireAdmin(caller: AuthContext, action: string): void {
  if (!isAdmin(caller.owner)) throw notAuthorizedFor(action)
}

/** identity:get_project: the caller's own project, or any project for an admin. */
export async function readableProject(services: CoreServices, caller: AuthContext, projectId: string): Promise<Project> {
  if (projectId !== caller.project.id && !isAdmin(caller.owner)) throw notAuthorizedFor('identity:get_project')
  return services.projects.getProject(projectId)
}

/** identity:list_user_projects: the projects a user has a role on, which is its one project. */
export async function projectsOfUser(services: CoreServices, caller: AuthContext, userId: string): Promise<Project[]> {
  if (userId !== caller.user.id && !isAdmin(caller.owner)) throw notAuthorizedFor('identity:list_user_projects')
  const projectId = userId === caller.user.id ? caller.project.id : (await services.identity.getUser(userId)).projectId
  return [await services.projects.getProject(projectId)]
}
