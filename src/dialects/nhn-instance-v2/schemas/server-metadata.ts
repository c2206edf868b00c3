/** Server metadata (Nova's metadata API; the seeds show metadata only inside server bodies). */
import { Type, type Static } from 'typebox'
import { ServerParams } from './servers.ts'

export const MetadataItemParams = Type.Object({
  ...ServerParams.properties,
  key: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type MetadataItemParams = Static<typeof MetadataItemParams>

const Values = Type.Record(Type.String(), Type.String({ maxLength: 255 }))

export const ServerMetadata = Type.Object({ metadata: Values }, { additionalProperties: false })
export type ServerMetadata = Static<typeof ServerMetadata>

/** One item: exactly one key, which must be the URL's (checked by the view). */
export const ServerMetadataItem = Type.Object({
  meta: Type.Record(Type.String(), Type.String({ maxLength: 255 }), { minProperties: 1, maxProperties: 1 }),
}, { additionalProperties: false })
export type ServerMetadataItem = Static<typeof ServerMetadataItem>
