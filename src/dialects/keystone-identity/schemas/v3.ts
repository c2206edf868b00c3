/**
 * Keystone v3: `/v3/auth/tokens` (issue, validate, check, revoke), the token's catalog and projects, and
 * the project and user-project reads a token's user may make. The request schema is Keystone's own
 * (keystone/auth/schema.py): typed members, unknown ones allowed; which combinations are required is
 * checked when the request is read (views/auth-requests.ts), with Keystone's messages.
 */
import { Type, type Static } from 'typebox'
import { V3CatalogEntry } from './catalog.ts'
import { CollectionLinks, DomainRef, DomainSelector } from './common.ts'

const ProjectSelector = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 64 })),
  name: Type.Optional(Type.String({ maxLength: 64 })),
  domain: Type.Optional(DomainSelector),
}, { additionalProperties: true })

const ScopeObject = Type.Object({
  project: Type.Optional(ProjectSelector),
  domain: Type.Optional(DomainSelector),
  system: Type.Optional(Type.Object({}, { additionalProperties: true })),
  'OS-TRUST:trust': Type.Optional(Type.Object({}, { additionalProperties: true })),
}, { additionalProperties: true })

/**
 * Keystone's own form: an object, or the string "unscoped" for an explicitly unscoped request. One schema
 * with both types (not a union) so that an error inside the object names its field.
 */
const Scope = Type.Unsafe<string | Static<typeof ScopeObject>>({
  type: ['object', 'string'], maxLength: 64, properties: ScopeObject.properties, additionalProperties: true,
})

export const V3AuthRequest = Type.Object({
  auth: Type.Object({
    identity: Type.Object({
      methods: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 16 }),
      password: Type.Optional(Type.Object({
        user: Type.Optional(Type.Object({
          id: Type.Optional(Type.String({ maxLength: 64 })),
          name: Type.Optional(Type.String({ maxLength: 255 })),
          password: Type.Optional(Type.String({ maxLength: 4096 })),
          domain: Type.Optional(DomainSelector),
        }, { additionalProperties: true })),
      }, { additionalProperties: true })),
      token: Type.Optional(Type.Object({
        id: Type.String({ maxLength: 255 }),
      }, { additionalProperties: true })),
    }, { additionalProperties: true }),
    scope: Type.Optional(Scope),
  }, { additionalProperties: true }),
}, { additionalProperties: true })
export type V3AuthRequest = Static<typeof V3AuthRequest>

export const CatalogQuery = Type.Object({
  /** Present (with any value) to leave the catalog out, as keystonemiddleware asks. */
  nocatalog: Type.Optional(Type.String()),
  /** Keystone's service-only option to validate a recently expired token; not honoured here. */
  allow_expired: Type.Optional(Type.String()),
}, { additionalProperties: true })

const Role = Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false })

export const V3Token = Type.Object({
  token: Type.Object({
    methods: Type.Array(Type.String()),
    user: Type.Object({
      id: Type.String(),
      name: Type.String(),
      domain: DomainRef,
      password_expires_at: Type.Null(),
    }, { additionalProperties: false }),
    audit_ids: Type.Array(Type.String()),
    /** `2026-11-28T12:00:00.000000Z` */
    expires_at: Type.String(),
    issued_at: Type.String(),
    project: Type.Object({
      id: Type.String(),
      name: Type.String(),
      domain: DomainRef,
    }, { additionalProperties: false }),
    is_domain: Type.Boolean(),
    roles: Type.Array(Role),
    catalog: Type.Optional(Type.Array(V3CatalogEntry)),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type V3Token = Static<typeof V3Token>

export const V3Project = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domain_id: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  parent_id: Type.String(),
  is_domain: Type.Boolean(),
  tags: Type.Array(Type.String()),
  options: Type.Object({}, { additionalProperties: false }),
  links: Type.Object({ self: Type.String() }, { additionalProperties: false }),
}, { additionalProperties: false })
export type V3Project = Static<typeof V3Project>

export const V3ProjectResponse = Type.Object({ project: V3Project }, { additionalProperties: false })
export type V3ProjectResponse = Static<typeof V3ProjectResponse>

export const V3ProjectList = Type.Object({
  projects: Type.Array(V3Project),
  links: CollectionLinks,
}, { additionalProperties: false })
export type V3ProjectList = Static<typeof V3ProjectList>

export const ProjectParams = Type.Object({ projectId: Type.String({ maxLength: 64 }) }, { additionalProperties: false })
export const UserParams = Type.Object({ userId: Type.String({ maxLength: 64 }) }, { additionalProperties: false })
