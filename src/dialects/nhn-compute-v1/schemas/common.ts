/**
 * What every v1.0 body shares: the `header` envelope (seed 000 "Response Body"), always HTTP 200, and
 * the path parameters. A route's one declared status, 200, is the union of its success body and the
 * failure envelope, since failures are answered with 200 too.
 */
import { Type, type Static, type TObject, type TProperties } from 'typebox'

export const SuccessHeader = Type.Object({
  isSuccessful: Type.Literal(true),
  resultCode: Type.Literal(0),
  resultMessage: Type.Literal('SUCCESS'),
}, { additionalProperties: false })

export const FailureHeader = Type.Object({
  isSuccessful: Type.Literal(false),
  resultCode: Type.Integer(),
  resultMessage: Type.String(),
}, { additionalProperties: false })

/** On failure the body carries only the header (CATALOG §1.3). */
export const FailureBody = Type.Object({ header: FailureHeader }, { additionalProperties: false })
export type FailureBody = Static<typeof FailureBody>

export const HeaderOnly = Type.Object({ header: SuccessHeader }, { additionalProperties: false })

/** The success body `{header, ...payload}`. */
export function successBody<P extends TProperties>(payload: P): TObject<P & { header: typeof SuccessHeader }> {
  return Type.Object({ header: SuccessHeader, ...payload }, { additionalProperties: false })
}

/**
 * The `response` entry of every v1.0 route: 200 for its success bodies and the failure envelope alike.
 * List a route's success bodies most specific first: a serializer picks the first branch that fits,
 * and a validator that strips unknown properties would make a header-only branch fit any body.
 */
export function v1Responses(...successes: readonly TObject[]) {
  return { 200: Type.Union([...successes, FailureBody]) }
}

export const AppkeyParams = Type.Object({
  appkey: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })

export const ServerParams = Type.Object({
  appkey: Type.String({ minLength: 1, maxLength: 255 }),
  serverId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type ServerParams = Static<typeof ServerParams>

/** The X-Auth-Token header every call but token issue and token info carries. */
export const AuthHeaders = Type.Object({
  'x-auth-token': Type.Optional(Type.String()),
}, { additionalProperties: true })

export const TAGS = {
  tokens: 'Token API',
  servers: 'Server API',
  actions: 'Server Action API',
} as const
