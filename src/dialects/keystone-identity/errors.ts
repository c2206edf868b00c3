/**
 * The one place this dialect turns failures into Keystone's error body,
 * `{"error": {"code": <status>, "title": <reason phrase>, "message": …}}`, with Keystone's messages:
 * every credential failure is the same 401, whichever part was wrong.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DomainError, isDomainError } from '../../core/shared/errors.ts'
import { MalformedJsonError } from '../shared/listener.ts'
import { requestBaseUrl } from '../shared/request-base-url.ts'
import type { KeystoneError } from './schemas/common.ts'

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Request Entity Too Large', 500: 'Internal Server Error', 501: 'Not Implemented',
}

// Keystone's ValidationError wording, which clients and their users grep logs for.
const CLIENT_IN_ERROR = 'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.'

export function keystoneError(code: number, message: string): KeystoneError {
  return { error: { code, title: TITLES[code] ?? 'Error', message } }
}

/** Keystone's 400 for a missing part of a request ("Expecting to find X in Y. …"). */
export function expectingToFind(attribute: string, target: string): DomainError {
  return new DomainError('bad_request', `Expecting to find ${attribute} in ${target}. ${CLIENT_IN_ERROR}`, { field: attribute })
}

/** Keystone's 401 for an auth method or scope it will not issue tokens for (not a credential failure). */
export function unsupportedAuthMethod(): DomainError {
  return new DomainError('unauthorized', 'Attempted to authenticate with an unsupported method.')
}

/** A subject token (X-Subject-Token, or the v2.0 path's token) that is not a live token. */
export function tokenNotFound(): DomainError {
  return new DomainError('not_found', 'Failed to validate token', { resource: 'token' })
}

/** Keystone's policy refusal: the caller is authenticated but may not do this. */
export function notAuthorizedFor(action: string): DomainError {
  return new DomainError('forbidden', `You are not authorized to perform the requested action: ${action}.`)
}

export function statusOfDomainError(error: DomainError): number {
  switch (error.kind) {
    case 'bad_request': return 400
    case 'unauthorized': return 401
    case 'forbidden': return 403
    case 'quota_exceeded': return 403
    case 'not_found': return 404
    case 'conflict': return 409
    case 'invalid_state': return 409
    case 'not_supported': return 501
  }
}

function sendError(request: FastifyRequest, reply: FastifyReply, code: number, message: string) {
  // Keystone names itself in every 401 so that a client knows where to authenticate.
  if (code === 401) reply.header('WWW-Authenticate', `Keystone uri="${requestBaseUrl(request)}"`)
  return reply.status(code).send(keystoneError(code, message))
}

/** `auth/identity/methods` from `/auth/identity/methods`, as Keystone names fields. */
function fieldPath(instancePath: string | undefined): string {
  return (instancePath ?? '').replace(/^\//, '')
}

function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0]
  if (!first) return CLIENT_IN_ERROR
  const field = fieldPath(first.instancePath)
  const required = (first.params as { requiredProperties?: unknown }).requiredProperties
  const detail = Array.isArray(required) && required.length > 0
    ? `'${String(required[0])}' is a required property`
    : first.message ?? 'is invalid'
  return field === '' ? `Invalid input for ${error.validationContext}: ${detail}` : `Invalid input for field '${field}': ${detail}`
}

export function keystoneErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (isDomainError(error)) {
    return sendError(request, reply, statusOfDomainError(error), error.message)
  }
  if (error instanceof MalformedJsonError) {
    return sendError(request, reply, 400, `Expecting to find valid JSON in request body. ${CLIENT_IN_ERROR}`)
  }
  const failure = error as FastifyError
  // Request validation names its part; a response failing its schema (tests) is the server's fault.
  if (failure.validation && failure.validationContext) return sendError(request, reply, 400, validationMessage(failure))
  if (failure.statusCode === 413) return sendError(request, reply, 413, 'Request is too large.')
  if (failure.statusCode === 415) {
    return sendError(request, reply, 400, `Expecting to find application/json in Content-Type header. ${CLIENT_IN_ERROR}`)
  }
  if (failure.statusCode !== undefined && failure.statusCode >= 400 && failure.statusCode < 500) {
    return sendError(request, reply, failure.statusCode === 404 ? 404 : 400, failure.message)
  }
  request.log.error({ err: error, requestId: request.id }, 'unexpected error in the identity API')
  return sendError(request, reply, 500, 'An unexpected error prevented the server from fulfilling your request.')
}
