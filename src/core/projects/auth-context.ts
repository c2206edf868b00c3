import type { Owner, Role } from '../shared/owner.ts'
import { DomainError } from '../shared/errors.ts'
import type { ProjectRef } from './project.ts'

export interface AuthenticatedUser {
  readonly id: string
  readonly name: string
  readonly roles: readonly Role[]
}

/** Who a request speaks for, as a dialect's auth hook establishes it. */
export interface AuthContext {
  readonly owner: Owner
  readonly user: AuthenticatedUser
  readonly project: ProjectRef
  readonly issuedAt: Date
  readonly expiresAt: Date
  /** Names the token (or, for basic auth, the single request) in logs without revealing it. */
  readonly auditId: string
}

/** A freshly issued token: the only time the token string exists outside the client. */
export interface IssuedToken extends AuthContext {
  /** 32 lowercase hex characters (128 random bits). */
  readonly token: string
}

/** An SCP access key resolved for signature verification. */
export interface ResolvedAccessKey {
  readonly accessKey: string
  /** Re-derived for this request, to verify Scp-Signature; never stored. */
  readonly secretKey: string
  readonly owner: Owner
  readonly project: ProjectRef
}

/**
 * One message for every authentication failure, whichever part was wrong (Keystone's wording), so that
 * an answer never confirms that a user name, project or key exists.
 */
export const AUTHENTICATION_REQUIRED = 'The request you have made requires authentication.'

export function unauthorized(): DomainError {
  return new DomainError('unauthorized', AUTHENTICATION_REQUIRED)
}

export function forbidden(message: string): DomainError {
  return new DomainError('forbidden', message)
}
