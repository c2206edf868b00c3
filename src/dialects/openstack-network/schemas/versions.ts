import { Type } from 'typebox'
import { Link } from './common.ts'

export const VersionList = Type.Object({
  versions: Type.Array(Type.Object({
    status: Type.String(),
    id: Type.String(),
    links: Type.Array(Link),
  }, { additionalProperties: false })),
}, { additionalProperties: false })

export const ResourceList = Type.Object({
  resources: Type.Array(Type.Object({
    links: Type.Array(Link),
    name: Type.String(),
    collection: Type.String(),
  }, { additionalProperties: false })),
}, { additionalProperties: false })
