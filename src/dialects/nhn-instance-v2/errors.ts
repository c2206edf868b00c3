/**
 * The one place this dialect turns failures into Nova fault bodies: `{"<faultName>": {"code", "message"}}`
 * with Nova's status codes (CATALOG §1.3), and keystonemiddleware's body for 401.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { isDomainError, type DomainError } from '../../core/shared/errors.ts'
import { MalformedJsonError } from '../shared/listener.ts'

export const FaultDetail = Type.Object({
  code: Type.Integer(),
  message: Type.String(),
}, { additionalProperties: false })

/** Every Nova fault name a route may answer with; each route declares the statuses it can return. */
export const Fault = Type.Object({
  badRequest: Type.Optional(FaultDetail),
  forbidden: Type.Optional(FaultDetail),
  itemNotFound: Type.Optional(FaultDetail),
  conflictingRequest: Type.Optional(FaultDetail),
  overLimit: Type.Optional(FaultDetail),
  computeFault: Type.Optional(FaultDetail),
  notImplemented: Type.Optional(FaultDetail),
  badMethod: Type.Optional(FaultDetail),
  notAcceptable: Type.Optional(FaultDetail),
  HTTPRequestEntityTooLarge: Type.Optional(FaultDetail),
}, { additionalProperties: false })

export const Unauthorized = Type.Object({
  error: Type.Object({ code: Type.Literal(401), title: Type.String(), message: Type.String() }, { additionalProperties: false }),
}, { additionalProperties: false })

const faultNames: Record<number, string> = {
  400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound', 405: 'badMethod', 406: 'notAcceptable', 409: 'conflictingRequest',
  413: 'HTTPRequestEntityTooLarge', 429: 'overLimit', 500: 'computeFault', 501: 'notImplemented',
}

export function fault(code: number, message: string): Record<string, { code: number; message: string }> {
  return { [faultNames[code] ?? 'computeFault']: { code, message } }
}

/** Nova's status for each domain error kind. Quota is 403 (Nova's "Quota exceeded" on create). */
export function statusOfDomainError(error: DomainError): number {
  switch (error.kind) {
    case 'not_found': return 404
    case 'bad_request': return 400
    case 'conflict': return 409
    case 'invalid_state': return 409
    case 'quota_exceeded': return 403
    case 'forbidden': return 403
    case 'unauthorized': return 401
    case 'not_supported': return 501
  }
}

export function sendUnauthorized(reply: FastifyReply, message = 'The request you have made requires authentication.') {
  return reply.status(401)
    .header('WWW-Authenticate', 'Keystone uri="/identity"')
    .send({ error: { code: 401, title: 'Unauthorized', message } })
}

export function novaErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (isDomainError(error)) {
    const status = statusOfDomainError(error)
    if (status === 401) return sendUnauthorized(reply, error.message)
    return reply.status(status).send(fault(status, error.message))
  }
  if (error instanceof MalformedJsonError) return reply.status(400).send(fault(400, error.message))
  const failure = error as FastifyError
  // A request that failed its schema; a response that failed its schema (tests) is our bug: a 500.
  if (failure.validation && failure.validationContext) {
    const first = failure.validation[0]
    const where = failure.validationContext ?? 'body'
    const path = first?.instancePath ? `${where}${first.instancePath.replace(/\//g, '.')}` : where
    return reply.status(400).send(fault(400, `Invalid input for field/attribute ${path}. Reason: ${first?.message ?? 'invalid'}`))
  }
  if (failure.statusCode === 413) return reply.status(413).send(fault(413, 'Request is too large.'))
  if (failure.statusCode === 415) return reply.status(400).send(fault(400, 'Unsupported Content-Type'))
  if (failure.statusCode && failure.statusCode >= 400 && failure.statusCode < 500) {
    return reply.status(failure.statusCode === 404 ? 404 : 400).send(fault(failure.statusCode === 404 ? 404 : 400, failure.message))
  }
  request.log.error({ err: error, requestId: request.id }, 'unexpected error in the compute API')
  return reply.status(500).send(fault(500, `Unexpected API Error. Please report this at the Gureum issue tracker and attach the request id ${request.id}.`))
}
