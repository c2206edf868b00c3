import { Type, type Static } from 'typebox'
import { Link, PageQuery, TenantParams } from './common.ts'

export const FlavorParams = Type.Object({
  ...TenantParams.properties,
  flavorId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type FlavorParams = Static<typeof FlavorParams>

export const ExtraSpecParams = Type.Object({
  ...FlavorParams.properties,
  key: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type ExtraSpecParams = Static<typeof ExtraSpecParams>

/**
 * Seeds 001–003 document minDisk, minRam, limit and marker; `is_public` is Nova's (admins only). Other
 * query parameters are ignored, as Nova does before 2.75 (e.g. sort_key: flavors are always sorted by id).
 */
export const FlavorListQuery = Type.Object({
  minDisk: Type.Optional(Type.Integer({ minimum: 0 })),
  minRam: Type.Optional(Type.Integer({ minimum: 0 })),
  is_public: Type.Optional(Type.String()),
  ...PageQuery,
}, { additionalProperties: true })
export type FlavorListQuery = Static<typeof FlavorListQuery>

export const FlavorSummary = Type.Object({
  id: Type.String(),
  links: Type.Array(Link),
  name: Type.String(),
}, { additionalProperties: false })
export type FlavorSummary = Static<typeof FlavorSummary>

/** CATALOG §2.2 FlavorDetail; `extra_specs` as NHN shows it at every version (Nova only from 2.61). */
export const FlavorDetail = Type.Object({
  id: Type.String(),
  name: Type.String(),
  links: Type.Array(Link),
  ram: Type.Integer(),
  'OS-FLV-DISABLED:disabled': Type.Boolean(),
  vcpus: Type.Integer(),
  extra_specs: Type.Record(Type.String(), Type.String()),
  /** MB; Nova's legacy empty string when there is none (seed example `""`). */
  swap: Type.Union([Type.Literal(''), Type.Integer()]),
  'os-flavor-access:is_public': Type.Boolean(),
  rxtx_factor: Type.Number(),
  'OS-FLV-EXT-DATA:ephemeral': Type.Integer(),
  disk: Type.Integer(),
}, { additionalProperties: false })
export type FlavorDetail = Static<typeof FlavorDetail>

export const FlavorList = Type.Object({
  flavors: Type.Array(FlavorSummary),
  flavors_links: Type.Optional(Type.Array(Link)),
}, { additionalProperties: false })
export type FlavorList = Static<typeof FlavorList>

export const FlavorDetailList = Type.Object({
  flavors: Type.Array(FlavorDetail),
  flavors_links: Type.Optional(Type.Array(Link)),
}, { additionalProperties: false })
export type FlavorDetailList = Static<typeof FlavorDetailList>

export const FlavorShow = Type.Object({ flavor: FlavorDetail }, { additionalProperties: false })
export type FlavorShow = Static<typeof FlavorShow>

export const ExtraSpecs = Type.Object({
  extra_specs: Type.Record(Type.String(), Type.String()),
}, { additionalProperties: false })
export type ExtraSpecs = Static<typeof ExtraSpecs>

/** `GET …/os-extra_specs/{key}` answers `{"<key>": "<value>"}`. */
export const ExtraSpec = Type.Record(Type.String(), Type.String())
export type ExtraSpec = Static<typeof ExtraSpec>

/** Nova's flavor create (admins): sizes are integers (numeric strings are converted), as its schema allows. */
export const FlavorCreateBody = Type.Object({
  flavor: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 255 }),
    id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()])),
    ram: Type.Integer({ minimum: 1 }),
    vcpus: Type.Integer({ minimum: 1 }),
    disk: Type.Integer({ minimum: 0 }),
    'OS-FLV-EXT-DATA:ephemeral': Type.Optional(Type.Integer({ minimum: 0 })),
    swap: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('')])),
    rxtx_factor: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    'os-flavor-access:is_public': Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type FlavorCreateBody = Static<typeof FlavorCreateBody>
