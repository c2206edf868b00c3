import { Type, type Static } from 'typebox'
import { AppkeyParams, successBody } from './common.ts'

export const TokenIssueBody = Type.Object({
  auth: Type.Object({
    username: Type.String({ minLength: 1, maxLength: 255 }),
    password: Type.String({ minLength: 1, maxLength: 4096 }),
  }, { additionalProperties: true }),
}, { additionalProperties: true })
export type TokenIssueBody = Static<typeof TokenIssueBody>

export const TokenParams = Type.Object({
  appkey: AppkeyParams.properties.appkey,
  tokenId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type TokenParams = Static<typeof TokenParams>

export const Access = Type.Object({
  token: Type.Object({
    expires: Type.String(),
    id: Type.String(),
    issued_at: Type.String(),
  }, { additionalProperties: false }),
  user: Type.Object({
    id: Type.String(),
    roles: Type.Array(Type.Object({ name: Type.String() }, { additionalProperties: false })),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type Access = Static<typeof Access>

export const AccessBody = successBody({ access: Access })
