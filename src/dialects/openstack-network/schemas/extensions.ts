import { Type, type Static } from 'typebox'

export const Extension = Type.Object({
  name: Type.String(),
  alias: Type.String(),
  description: Type.String(),
  updated: Type.String(),
  links: Type.Array(Type.Object({}, { additionalProperties: true })),
}, { additionalProperties: false })
export type Extension = Static<typeof Extension>

export const ExtensionResponse = Type.Object({ extension: Extension }, { additionalProperties: false })
export const ExtensionListResponse = Type.Object({ extensions: Type.Array(Extension) }, { additionalProperties: false })

export const AliasParams = Type.Object({ alias: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false })
export type AliasParams = Static<typeof AliasParams>
