/**
 * Checks shared by the compute catalog services (flavors, zones, keypairs, server groups). They would
 * sit well in core/shared once other areas need them too.
 */
import { badRequest, DomainError } from '../shared/errors.ts'
import { canWrite, isAdmin, type Owner } from '../shared/owner.ts'
import type { PageRequest } from '../shared/page.ts'

/** Readers may look but not change anything in their project. */
export function requireWriter(owner: Owner): void {
  if (!canWrite(owner)) throw new DomainError('forbidden', 'This action needs the member or admin role.')
}

/** Catalog-wide changes (flavors, zones) are the operator's, as in Nova's default policy. */
export function requireAdmin(owner: Owner): void {
  if (!isAdmin(owner)) throw new DomainError('forbidden', 'This action is allowed for administrators only.')
}

/** Dialects apply their own default and maximum; the core only refuses what no dialect should send. */
export function requireValidLimit(page: PageRequest): void {
  if (!Number.isSafeInteger(page.limit) || page.limit < 0) {
    throw badRequest(`limit must be a non-negative integer, got ${page.limit}`, 'limit')
  }
}

/** Nova's answer to a marker that names nothing: the list cannot say where to continue. */
export function markerNotFound(marker: string) {
  return badRequest(`marker [${marker}] not found`, 'marker')
}
