/** Pieces every Cinder route shares: the project path, links, page parameters, and the error responses. */
import type { FastifyReply } from 'fastify'
import { Type, type Static } from 'typebox'
import { KeystoneUnauthorized } from '../../shared/keystone-token.ts'
import { Fault } from '../errors.ts'

export const ProjectParams = Type.Object({ projectId: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false })
export type ProjectParams = Static<typeof ProjectParams>

export const Link = Type.Object({ href: Type.String(), rel: Type.String() }, { additionalProperties: false })
export type Link = Static<typeof Link>

export const Metadata = Type.Record(Type.String(), Type.String())

/** Cinder's list parameters: `sort=key[:dir]` or the older sort_key/sort_dir. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 0 })),
  marker: Type.Optional(Type.String({ minLength: 1 })),
  sort: Type.Optional(Type.String()),
  sort_key: Type.Optional(Type.String()),
  sort_dir: Type.Optional(Type.Enum(['asc', 'desc'])),
}

/** Every route may meet a bad token (401), a URL for another project (400) or a bad microversion (400/406). */
export function cinderErrors<const S extends readonly number[]>(...statuses: S) {
  const responses: Record<number, typeof Fault | typeof KeystoneUnauthorized> = { 401: KeystoneUnauthorized, 400: Fault, 406: Fault }
  for (const status of statuses) responses[status] = Fault
  return responses
}

export const NoContent = Type.Null()

/** Cinder answers many actions with a status and no body at all (not even `null`). */
export function sendEmpty<R>(reply: R, status: number): R {
  return (reply as unknown as FastifyReply).status(status).send() as R
}
