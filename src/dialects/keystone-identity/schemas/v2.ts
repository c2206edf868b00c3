/**
 * Keystone v2.0 (what NHN Cloud documents for its Instance API): `POST /v2.0/tokens`, token validation
 * and `GET /v2.0/tenants`. Request objects accept unknown members, as Keystone does; sizes follow
 * Keystone's limits (ids and tenant names 64, user names 255, passwords 4096).
 */
import { Type, type Static } from 'typebox'
import { V2CatalogEntry } from './catalog.ts'

export const V2AuthRequest = Type.Object({
  auth: Type.Object({
    tenantId: Type.Optional(Type.String({ maxLength: 64 })),
    tenantName: Type.Optional(Type.String({ maxLength: 64 })),
    passwordCredentials: Type.Optional(Type.Object({
      username: Type.Optional(Type.String({ maxLength: 255 })),
      userId: Type.Optional(Type.String({ maxLength: 64 })),
      password: Type.Optional(Type.String({ maxLength: 4096 })),
    }, { additionalProperties: true })),
    token: Type.Optional(Type.Object({
      id: Type.String({ maxLength: 255 }),
    }, { additionalProperties: true })),
  }, { additionalProperties: true }),
}, { additionalProperties: true })
export type V2AuthRequest = Static<typeof V2AuthRequest>

export const V2Tenant = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
}, { additionalProperties: false })
export type V2Tenant = Static<typeof V2Tenant>

export const V2Access = Type.Object({
  access: Type.Object({
    token: Type.Object({
      id: Type.String(),
      /** `2026-11-28T12:00:00Z` */
      expires: Type.String(),
      /** `2026-11-28T00:00:00.000000` (microseconds, no zone: Keystone's v2.0 form) */
      issued_at: Type.String(),
      audit_ids: Type.Array(Type.String()),
      tenant: V2Tenant,
    }, { additionalProperties: false }),
    serviceCatalog: Type.Array(V2CatalogEntry),
    user: Type.Object({
      id: Type.String(),
      name: Type.String(),
      username: Type.String(),
      roles: Type.Array(Type.Object({ name: Type.String() }, { additionalProperties: false })),
      roles_links: Type.Array(Type.Unknown()),
    }, { additionalProperties: false }),
    metadata: Type.Object({
      is_admin: Type.Integer(),
      roles: Type.Array(Type.String()),
    }, { additionalProperties: false }),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type V2Access = Static<typeof V2Access>

export const V2TokenParams = Type.Object({
  tokenId: Type.String({ maxLength: 255 }),
}, { additionalProperties: false })

export const V2TokenQuery = Type.Object({
  /** Keystone's check that the token is scoped to this tenant (401 otherwise). */
  belongsTo: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: true })

export const V2TenantsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 0 })),
  marker: Type.Optional(Type.String()),
}, { additionalProperties: true })

export const V2TenantList = Type.Object({
  tenants: Type.Array(V2Tenant),
  tenants_links: Type.Array(Type.Unknown()),
}, { additionalProperties: false })
export type V2TenantList = Static<typeof V2TenantList>
