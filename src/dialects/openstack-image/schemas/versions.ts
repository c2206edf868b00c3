/** Glance's version document. */
import { Type } from 'typebox'

export const VersionList = Type.Object({
  versions: Type.Array(Type.Object({
    id: Type.String(),
    status: Type.Union([Type.Literal('CURRENT'), Type.Literal('SUPPORTED')]),
    links: Type.Array(Type.Object({ rel: Type.Literal('self'), href: Type.String() }, { additionalProperties: false })),
  }, { additionalProperties: false })),
}, { additionalProperties: false })
