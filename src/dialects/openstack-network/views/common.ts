/** What every resource view shares: timestamps, ownership fields, and refusing what the core cannot do. */
import type { Owner } from '../../../core/shared/owner.ts'
import { httpBadRequest, type NeutronApiError } from '../errors.ts'

/** Neutron's timestamp format, `YYYY-MM-DDThh:mm:ssZ`. */
export function neutronTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}

/**
 * The standard attributes of every resource. Gureum keeps no revision counter, so every resource
 * reports revision 1 (documented in docs/compat/openstack-network.md).
 */
export function standardAttributes(resource: { readonly createdAt: Date; readonly updatedAt: Date }) {
  return { created_at: neutronTime(resource.createdAt), updated_at: neutronTime(resource.updatedAt), revision_number: 1 }
}

/** Both spellings of the owner; cloud-owned resources (the floating IP pool) have none. */
export function ownerAttributes(projectId: string | null) {
  return { tenant_id: projectId ?? '', project_id: projectId ?? '' }
}

export interface ProjectAttributes {
  readonly tenant_id?: string
  readonly project_id?: string
}

/**
 * Neutron lets a body name its own project; naming another needs admin rights, and Gureum's core
 * creates resources for the caller's project only, so another project is refused for everyone.
 */
export function checkProjectAttributes(body: ProjectAttributes, owner: Owner): void {
  if (body.tenant_id !== undefined && body.project_id !== undefined && body.tenant_id !== body.project_id) {
    throw httpBadRequest("'project_id' and 'tenant_id' do not match")
  }
  const named = body.project_id ?? body.tenant_id
  if (named !== undefined && named !== owner.projectId) {
    throw httpBadRequest("Specifying 'project_id' other than the authenticated project in request is not allowed for the current user.")
  }
}

/** A value Neutron would accept but Gureum's model cannot hold (listed in the compatibility notes). */
export function unsupportedValue(attribute: string, reason: string): NeutronApiError {
  return httpBadRequest(`Invalid input for ${attribute}. Reason: ${reason}.`)
}
