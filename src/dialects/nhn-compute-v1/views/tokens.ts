import type { AuthContext } from '../../../core/projects/auth-context.ts'
import { DomainError, isDomainError } from '../../../core/shared/errors.ts'
import type { Access } from '../schemas/tokens.ts'
import { microsecondsNoZone, secondsUtc } from './times.ts'

const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Tokens are shown as the core issues them (32 hex digits, the undashed form of a UUID) so that one
 * token string works on every dialect; a client that re-dashes it into UUID form is understood too.
 */
export function tokenIdOf(text: string): string {
  return DASHED_UUID.test(text) ? text.replace(/-/g, '').toLowerCase() : text
}

export function accessView(tokenId: string, auth: AuthContext): Access {
  return {
    token: { expires: secondsUtc(auth.expiresAt), id: tokenId, issued_at: microsecondsNoZone(auth.issuedAt) },
    user: { id: auth.user.id, roles: auth.user.roles.map((name) => ({ name })) },
  }
}

/**
 * Token issue refusals belong to the Token API range (CATALOG §1.2); whether the name, the password or
 * the appkey was wrong is not told, as the core never tells.
 */
export function asTokenIssueFailure(error: unknown): never {
  if (isDomainError(error) && error.kind === 'unauthorized') {
    throw new DomainError('unauthorized', 'The user name, the API password or the appkey is not valid.', { resource: 'token' })
  }
  throw error
}

/** A token that does not exist, has expired, or belongs to another appkey is simply not there. */
export function unknownToken(): DomainError {
  return new DomainError('not_found', 'Token could not be found.', { resource: 'token' })
}

export function asUnknownToken(error: unknown): never {
  if (isDomainError(error) && error.kind === 'unauthorized') throw unknownToken()
  throw error
}
