/**
 * The one place Cinder failures are written: `{"<faultName>": {"code", "message"}}` with Cinder's fault
 * names, and keystonemiddleware's body for 401. Cinder answers 400 (InvalidVolume, InvalidSnapshot) for
 * an action in the wrong state or a delete that dependents block, and 413 overLimit with Retry-After for
 * quota (VolumeLimitExceeded, VolumeSizeExceedsAvailableQuota).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { isDomainError, type DomainError } from '../../core/shared/errors.ts'
import { MalformedJsonError } from '../shared/listener.ts'
import { sendKeystoneUnauthorized } from '../shared/keystone-token.ts'

export const FaultDetail = Type.Object({ code: Type.Integer(), message: Type.String() }, { additionalProperties: false })

export const Fault = Type.Object({
  badRequest: Type.Optional(FaultDetail),
  forbidden: Type.Optional(FaultDetail),
  itemNotFound: Type.Optional(FaultDetail),
  badMethod: Type.Optional(FaultDetail),
  conflictingRequest: Type.Optional(FaultDetail),
  overLimit: Type.Optional(FaultDetail),
  badMediaType: Type.Optional(FaultDetail),
  notImplemented: Type.Optional(FaultDetail),
  computeFault: Type.Optional(FaultDetail),
}, { additionalProperties: false, minProperties: 1, maxProperties: 1 })

const FAULT_NAMES: Readonly<Record<number, string>> = {
  400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound', 405: 'badMethod', 409: 'conflictingRequest',
  413: 'overLimit', 415: 'badMediaType', 429: 'overLimit', 501: 'notImplemented',
}

/** Cinder's Fault names every other status (500, 406) computeFault. */
export function fault(code: number, message: string): Record<string, { code: number; message: string }> {
  return { [FAULT_NAMES[code] ?? 'computeFault']: { code, message } }
}

export function cinderStatusOf(error: DomainError): number {
  switch (error.kind) {
    case 'not_found': return 404
    case 'bad_request': return 400
    case 'conflict': return 400
    case 'invalid_state': return 400
    case 'quota_exceeded': return 413
    case 'forbidden': return 403
    case 'unauthorized': return 401
    case 'not_supported': return 501
  }
}

export function sendFault(reply: FastifyReply, status: number, message: string): FastifyReply {
  if (status === 413) reply.header('Retry-After', '0')
  return reply.status(status).type('application/json').send(fault(status, message))
}

export function cinderErrorHandler(identityUrl: string) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (isDomainError(error)) {
      const status = cinderStatusOf(error)
      if (status === 401) return sendKeystoneUnauthorized(reply, identityUrl)
      return sendFault(reply, status, error.message)
    }
    if (error instanceof MalformedJsonError) return sendFault(reply, 400, 'Malformed request body')
    const failure = error as FastifyError
    if (failure.validation && failure.validationContext) {
      const first = failure.validation[0]
      const path = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : failure.validationContext ?? 'body'
      return sendFault(reply, 400, `Invalid input for field/attribute ${path}. Reason: ${first?.message ?? 'invalid'}.`)
    }
    if (failure.statusCode === 413) return sendFault(reply, 413, 'Request is too large.')
    if (failure.statusCode === 415) return sendFault(reply, 415, 'Unsupported Content-Type')
    if (failure.statusCode !== undefined && failure.statusCode >= 400 && failure.statusCode < 500) {
      return sendFault(reply, 400, failure.message)
    }
    request.log.error({ err: error, requestId: request.id }, 'unexpected error in the block storage API')
    return sendFault(reply, 500, `The server has either erred or is incapable of performing the requested operation. (request id ${request.id})`)
  }
}
