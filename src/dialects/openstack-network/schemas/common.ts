import { Type, type Static, type TSchema } from 'typebox'
import { NeutronError, Unauthorized } from '../errors.ts'

export const Link = Type.Object({
  href: Type.String(),
  rel: Type.String(),
}, { additionalProperties: false })
export type Link = Static<typeof Link>

export const Links = Type.Array(Link)

export const IdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type IdParams = Static<typeof IdParams>

/** A query value as Neutron reads it: given once or repeated (repeats are ORed). */
export const QueryValue = Type.Union([Type.String(), Type.Array(Type.String())])
export type QueryValue = Static<typeof QueryValue>

/** Paging, sorting and column selection, shared by every list (Neutron's API guide). */
const collectionParameters = {
  fields: Type.Optional(QueryValue),
  limit: Type.Optional(Type.String()),
  marker: Type.Optional(Type.String()),
  page_reverse: Type.Optional(Type.String()),
  sort_key: Type.Optional(QueryValue),
  sort_dir: Type.Optional(QueryValue),
}

/**
 * A list's query: the paging parameters plus one filter per attribute of the resource. Any other
 * parameter is refused, as Neutron does with its filter-validation extension.
 */
export function listQuery(filterNames: readonly string[]) {
  const filters = Object.fromEntries(filterNames.map((name) => [name, Type.Optional(QueryValue)]))
  return Type.Object({ ...collectionParameters, ...filters }, { additionalProperties: false })
}

export type ListQuery = Readonly<Record<string, QueryValue | undefined>>

export const ShowQuery = Type.Object({
  fields: Type.Optional(QueryValue),
}, { additionalProperties: false })
export type ShowQuery = Static<typeof ShowQuery>

type ErrorStatus = 400 | 403 | 404 | 409 | 413 | 501 | 503

/** The error statuses a route can answer, each with its body (401 always: every route needs a token). */
export function errorResponses(...statuses: ErrorStatus[]): Record<number, TSchema> {
  return Object.fromEntries<TSchema>([[401, Unauthorized], ...statuses.map((status) => [status, NeutronError] as const)])
}

/** Neutron writes `YYYY-MM-DDThh:mm:ssZ`. */
export const Timestamp = Type.String()

export const Tags = Type.Array(Type.String())

/**
 * A value or null. Null comes first: the listener's Ajv coerces types, and tried first a string
 * branch would turn null into "".
 */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([Type.Null(), schema])
}

export const NullableString = Nullable(Type.String())
