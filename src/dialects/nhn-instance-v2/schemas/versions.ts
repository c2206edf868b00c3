import { Type, type Static } from 'typebox'

export const VersionLink = Type.Object({
  href: Type.String(),
  rel: Type.String(),
  type: Type.Optional(Type.String()),
}, { additionalProperties: false })

const versionFields = {
  id: Type.String(),
  status: Type.String(),
  /** The highest microversion ("" for v2.0, which has none). */
  version: Type.String(),
  min_version: Type.String(),
  updated: Type.String(),
  links: Type.Array(VersionLink),
}

/** One entry of `GET /` (seed 003 N-0): Nova lists only the self link there. */
export const VersionSummary = Type.Object(versionFields, { additionalProperties: false })
export type VersionSummary = Static<typeof VersionSummary>

export const VersionList = Type.Object({ versions: Type.Array(VersionSummary) }, { additionalProperties: false })
export type VersionList = Static<typeof VersionList>

export const MediaType = Type.Object({ base: Type.String(), type: Type.String() }, { additionalProperties: false })

export const VersionDocument = Type.Object({
  version: Type.Object({ ...versionFields, 'media-types': Type.Array(MediaType) }, { additionalProperties: false }),
}, { additionalProperties: false })
export type VersionDocument = Static<typeof VersionDocument>
