import { Type, type Static } from 'typebox'
import { CollectionLinks } from './common.ts'

/** Keystone v2.0 `serviceCatalog` entry: one endpoint per region with its three URLs. */
export const V2Endpoint = Type.Object({
  id: Type.String(),
  region: Type.String(),
  publicURL: Type.String(),
  internalURL: Type.String(),
  adminURL: Type.String(),
}, { additionalProperties: false })

export const V2CatalogEntry = Type.Object({
  type: Type.String(),
  name: Type.String(),
  endpoints: Type.Array(V2Endpoint),
  endpoints_links: Type.Array(Type.Unknown()),
}, { additionalProperties: false })
export type V2CatalogEntry = Static<typeof V2CatalogEntry>

/** Keystone v3 `catalog` entry: one endpoint per interface. */
export const V3Endpoint = Type.Object({
  id: Type.String(),
  interface: Type.String(),
  region: Type.String(),
  region_id: Type.String(),
  url: Type.String(),
}, { additionalProperties: false })

export const V3CatalogEntry = Type.Object({
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
  endpoints: Type.Array(V3Endpoint),
}, { additionalProperties: false })
export type V3CatalogEntry = Static<typeof V3CatalogEntry>

/** `GET /v3/auth/catalog`. */
export const V3CatalogResponse = Type.Object({
  catalog: Type.Array(V3CatalogEntry),
  links: CollectionLinks,
}, { additionalProperties: false })
export type V3CatalogResponse = Static<typeof V3CatalogResponse>
