/** Keystone v2.0 token bodies (`access`) and tenants. */
import type { AuthContext } from '../../../core/projects/auth-context.ts'
import type { Project } from '../../../core/projects/project.ts'
import type { V2CatalogEntry } from '../schemas/catalog.ts'
import type { V2Access, V2Tenant, V2TenantList } from '../schemas/v2.ts'
import { roleId, tokenRoles } from './roles.ts'
import { v2Expires, v2IssuedAt } from './time.ts'

export function v2Tenant(project: Project): V2Tenant {
  return { id: project.id, name: project.name, description: project.description, enabled: project.enabled }
}

export function v2TenantList(projects: readonly Project[]): V2TenantList {
  return { tenants: projects.map(v2Tenant), tenants_links: [] }
}

/** The token `tokenId` of `context`, scoped to `project` (the context's project, read in full). */
export function v2Access(tokenId: string, context: AuthContext, project: Project, catalog: V2CatalogEntry[]): V2Access {
  const roles = tokenRoles(context.user.roles)
  return {
    access: {
      token: {
        id: tokenId,
        expires: v2Expires(context.expiresAt),
        issued_at: v2IssuedAt(context.issuedAt),
        audit_ids: [context.auditId],
        tenant: v2Tenant(project),
      },
      serviceCatalog: catalog,
      user: {
        id: context.user.id,
        name: context.user.name,
        username: context.user.name,
        roles: roles.map((name) => ({ name })),
        roles_links: [],
      },
      // Keystone always wrote 0 here; admin rights come from the roles.
      metadata: { is_admin: 0, roles: roles.map(roleId) },
    },
  }
}
