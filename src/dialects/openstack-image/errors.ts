/**
 * The one place Glance v2 failures are written. Glance raises webob HTTP exceptions, whose body follows
 * the request's Accept header: `{"message", "code": "404 Not Found", "title"}` for JSON, an HTML page for
 * text/html (webob's choice when Accept is absent or `*\/*`), plain text otherwise. The message carries
 * webob's `<br /><br />` separator, as Glance's does. 401 is keystonemiddleware's JSON body.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { isDomainError, type DomainError } from '../../core/shared/errors.ts'
import { MalformedJsonError } from '../shared/listener.ts'
import { sendKeystoneUnauthorized } from '../shared/keystone-token.ts'

/** The JSON form of a Glance error; the HTML and plain forms are strings and are not validated. */
export const GlanceError = Type.Union([
  Type.Object({
    message: Type.String(),
    code: Type.String(),
    title: Type.String(),
  }, { additionalProperties: false }),
  Type.String(),
])
export type GlanceError = Static<typeof GlanceError>

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 410: 'Gone', 413: 'Request Entity Too Large', 415: 'Unsupported Media Type',
  500: 'Internal Server Error', 501: 'Not Implemented',
}

type Representation = 'text/html' | 'application/json' | 'text/plain'

/**
 * webob's negotiation between text/html and application/json: the offer with the highest quality
 * (given by the most specific matching range) wins, text/html on ties; neither acceptable → plain text.
 */
export function negotiateErrorType(accept: string | undefined): Representation {
  if (accept === undefined || accept.trim() === '') return 'text/html'
  const ranges = accept.split(',').map((part) => {
    const [range, ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
    const quality = q === undefined ? 1 : Number(q.slice(2))
    return { range: range.trim(), quality: Number.isFinite(quality) ? quality : 0 }
  })
  const qualityOf = (offer: string): number => {
    const [type] = offer.split('/')
    const exact = ranges.find((r) => r.range === offer)
    if (exact) return exact.quality
    const partial = ranges.find((r) => r.range === `${type}/*`)
    if (partial) return partial.quality
    return ranges.find((r) => r.range === '*/*')?.quality ?? 0
  }
  const html = qualityOf('text/html')
  const json = qualityOf('application/json')
  if (html <= 0 && json <= 0) return 'text/plain'
  return json > html ? 'application/json' : 'text/html'
}

export function glanceStatusLine(status: number): string {
  return `${status} ${TITLES[status] ?? 'Error'}`
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;')

/** The body Glance sends for an error with this explanation, in the representation the client accepts. */
export function glanceErrorBody(status: number, explanation: string, accept: string | undefined): { type: string; body: GlanceError } {
  const statusLine = glanceStatusLine(status)
  const representation = negotiateErrorType(accept)
  if (representation === 'application/json') {
    return { type: 'application/json', body: { message: `${explanation}<br /><br />\n\n`, code: statusLine, title: TITLES[status] ?? 'Error' } }
  }
  if (representation === 'text/html') {
    const html = `<html>\n <head>\n  <title>${statusLine}</title>\n </head>\n <body>\n  <h1>${statusLine}</h1>\n  ${escapeHtml(explanation)}<br /><br />\n\n\n </body>\n</html>`
    return { type: 'text/html; charset=UTF-8', body: html }
  }
  return { type: 'text/plain; charset=UTF-8', body: `${statusLine}\n\n${explanation}\n\n  ` }
}

export function sendGlanceError(request: FastifyRequest, reply: FastifyReply, status: number, explanation: string): FastifyReply {
  const { type, body } = glanceErrorBody(status, explanation, request.headers.accept)
  return reply.status(status).type(type).send(body)
}

/** Glance's status for each domain error kind: state conflicts are 409, per-image limits 413. */
export function glanceStatusOf(error: DomainError): number {
  switch (error.kind) {
    case 'not_found': return 404
    case 'bad_request': return 400
    case 'conflict': return 409
    case 'invalid_state': return 409
    case 'quota_exceeded': return 413
    case 'forbidden': return 403
    case 'unauthorized': return 401
    case 'not_supported': return 501
  }
}

/** Glance words a missing image without echoing the internal resource name. */
function glanceMessage(error: DomainError): string {
  if (error.kind === 'not_found' && error.resource === 'image' && error.id !== undefined) {
    return `No image found with ID ${error.id}`
  }
  return error.message
}

export function glanceErrorHandler(identityUrl: string) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (isDomainError(error)) {
      const status = glanceStatusOf(error)
      if (status === 401) return sendKeystoneUnauthorized(reply, identityUrl)
      return sendGlanceError(request, reply, status, glanceMessage(error))
    }
    if (error instanceof MalformedJsonError) {
      return sendGlanceError(request, reply, 400, 'Malformed JSON in request body.')
    }
    const failure = error as FastifyError
    if (failure.validation && failure.validationContext) {
      const first = failure.validation[0]
      const where = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : failure.validationContext ?? 'body'
      return sendGlanceError(request, reply, 400, `Provided object does not match schema: ${where} ${first?.message ?? 'is invalid'}`)
    }
    if (failure.statusCode === 413) return sendGlanceError(request, reply, 413, 'The request body is too large.')
    if (failure.statusCode === 415) {
      return sendGlanceError(request, reply, 415, `Content type ${request.headers['content-type'] ?? '(none)'} is not supported for this request.`)
    }
    if (failure.statusCode !== undefined && failure.statusCode >= 400 && failure.statusCode < 500) {
      return sendGlanceError(request, reply, 400, failure.message)
    }
    request.log.error({ err: error, requestId: request.id }, 'unexpected error in the image API')
    return sendGlanceError(request, reply, 500, `Unexpected error; request id ${request.id}.`)
  }
}
