import { Type, type Static } from 'typebox'

export const Link = Type.Object({
  href: Type.String(),
  rel: Type.String(),
}, { additionalProperties: false })
export type Link = Static<typeof Link>

export const TenantParams = Type.Object({
  tenantId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type TenantParams = Static<typeof TenantParams>

/** Nova's `limit`/`marker` query parameters; limit capped at 1000 (NHN's maximum), default 100 applied by routes. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 0 })),
  marker: Type.Optional(Type.String({ minLength: 1 })),
}

/** NHN documents the default and the maximum page size for lists (100 and 1000). */
export const DEFAULT_PAGE_SIZE = 100
export const MAX_PAGE_SIZE = 1000

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE
  return Math.min(limit, MAX_PAGE_SIZE)
}
