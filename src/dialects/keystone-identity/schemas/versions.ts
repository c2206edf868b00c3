import { Type, type Static } from 'typebox'

export const VersionLink = Type.Object({
  rel: Type.String(),
  href: Type.String(),
  type: Type.Optional(Type.String()),
}, { additionalProperties: false })

export const MediaType = Type.Object({
  base: Type.String(),
  type: Type.String(),
}, { additionalProperties: false })

/** One identity API version, as Keystone describes it at `/`, `/v3` and `/v2.0`. */
export const IdentityVersion = Type.Object({
  id: Type.String(),
  status: Type.String(),
  updated: Type.String(),
  links: Type.Array(VersionLink),
  'media-types': Type.Array(MediaType),
}, { additionalProperties: false })
export type IdentityVersion = Static<typeof IdentityVersion>

/** `GET /`: 300 Multiple Choices with every version. */
export const VersionList = Type.Object({
  versions: Type.Object({ values: Type.Array(IdentityVersion) }, { additionalProperties: false }),
}, { additionalProperties: false })
export type VersionList = Static<typeof VersionList>

export const VersionDocument = Type.Object({ version: IdentityVersion }, { additionalProperties: false })
export type VersionDocument = Static<typeof VersionDocument>
