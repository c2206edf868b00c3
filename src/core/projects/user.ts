import type { Role } from '../shared/owner.ts'

export const ROLES: readonly Role[] = ['admin', 'member', 'reader']

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** A user of one project. An 'admin' user is admin of its own project and may use the Gureum admin API. */
export interface User {
  readonly id: string
  readonly projectId: string
  /** Unique across the whole cloud, as users log in by name alone. */
  readonly name: string
  readonly email: string | null
  readonly role: Role
  readonly enabled: boolean
  /** Tokens issued before this instant are no longer valid. */
  readonly passwordChangedAt: Date
  readonly createdAt: Date
}

/** A user as stored, with its password hash; never leaves the identity services. */
export interface UserRecord extends User {
  /** `scrypt$N$r$p$salt$hash`, see password-hash.ts. */
  readonly passwordHash: string
}

export interface UserPatch {
  readonly passwordHash?: string
  readonly passwordChangedAt?: Date
  readonly enabled?: boolean
  readonly email?: string | null
  readonly role?: Role
}

export function withoutPasswordHash(record: UserRecord): User {
  const { passwordHash: _hidden, ...user } = record
  return user
}

/** A user's roles: the one role it has, in its own project. */
export function rolesOf(user: User): readonly Role[] {
  return [user.role]
}
