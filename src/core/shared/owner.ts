/**
 * Who is asking: every core service method that touches tenant resources takes an Owner and filters by
 * its project, so that another project's resource is simply not found.
 */
export type Role = 'admin' | 'member' | 'reader'

export interface Owner {
  readonly projectId: string
  readonly userId: string
  readonly roles: readonly Role[]
  /** The request id the dialect assigned, recorded on instance actions. */
  readonly requestId?: string
}

export function canWrite(owner: Owner): boolean {
  return owner.roles.includes('admin') || owner.roles.includes('member')
}

export function isAdmin(owner: Owner): boolean {
  return owner.roles.includes('admin')
}
