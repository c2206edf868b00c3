/** Keystone v3 token bodies. */
import type { AuthContext } from '../../../core/projects/auth-context.ts'
import type { V3CatalogEntry } from '../schemas/catalog.ts'
import type { V3Token } from '../schemas/v3.ts'
import { domainRef } from './domains.ts'
import { roleId, tokenRoles } from './roles.ts'
import { v3Time } from './time.ts'

/**
 * `methods`: how the token was obtained. Tokens do not record it, so a validated token reports
 * "password" (every chain of tokens starts with one); a re-scoped one reports both, as Keystone does.
 */
export function v3Token(context: AuthContext, methods: readonly string[], catalog: V3CatalogEntry[] | null): V3Token {
  const domain = domainRef(context.project.domainId)
  return {
    token: {
      methods: [...methods],
      user: { id: context.user.id, name: context.user.name, domain, password_expires_at: null },
      audit_ids: [context.auditId],
      expires_at: v3Time(context.expiresAt),
      issued_at: v3Time(context.issuedAt),
      project: { id: context.project.id, name: context.project.name, domain },
      is_domain: false,
      roles: tokenRoles(context.user.roles).map((role) => ({ id: roleId(role), name: role })),
      ...(catalog === null ? {} : { catalog }),
    },
  }
}
