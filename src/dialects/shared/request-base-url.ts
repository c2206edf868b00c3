/**
 * The scheme://host a client used to reach a listener, for links in version documents: built from the
 * request (Host, X-Forwarded-Proto) so that discovery keeps working behind any address or proxy, as
 * Keystone and Nova do when no public endpoint is configured.
 */
import type { FastifyRequest } from 'fastify'

export function requestBaseUrl(request: FastifyRequest): string {
  const forwardedProto = request.headers['x-forwarded-proto']
  const protocol = typeof forwardedProto === 'string' && forwardedProto !== '' ? forwardedProto.split(',')[0].trim() : 'http'
  const host = request.headers.host ?? 'localhost'
  return `${protocol}://${host}`
}
