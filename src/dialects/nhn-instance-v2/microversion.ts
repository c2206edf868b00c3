/**
 * Nova microversions: clients ask with `OpenStack-API-Version: compute 2.x` or
 * `X-OpenStack-Nova-API-Version: 2.x` ("latest" = the maximum); the answer echoes the version used.
 * Behaviour that depends on the version is decided in views and input converters from req.microversion.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'

export interface Microversion {
  readonly major: number
  readonly minor: number
}

/** The range served; recorded with its reasons in docs/compat/nhn-instance-v2.md. */
export const MIN_MICROVERSION: Microversion = { major: 2, minor: 1 }
export const MAX_MICROVERSION: Microversion = { major: 2, minor: 37 }

export const formatMicroversion = (version: Microversion) => `${version.major}.${version.minor}`

export function atLeast(version: Microversion, minor: number): boolean {
  return version.major > 2 || (version.major === 2 && version.minor >= minor)
}

declare module 'fastify' {
  interface FastifyRequest {
    microversion: Microversion
  }
}

export class MicroversionError extends Error {
  readonly statusCode: number
  constructor(statusCode: number, message: string) {
    super(message)
    this.statusCode = statusCode
  }
}

function compare(a: Microversion, b: Microversion): number {
  return a.major - b.major || a.minor - b.minor
}

/** Reads the requested version; no header means the minimum (Nova's rule). */
export function requestedMicroversion(headers: FastifyRequest['headers']): Microversion {
  const modern = headers['openstack-api-version']
  let text: string | undefined
  if (typeof modern === 'string') {
    for (const part of modern.split(',')) {
      const [service, version] = part.trim().split(/\s+/, 2)
      if (service?.toLowerCase() === 'compute') text = version
    }
  }
  const legacy = headers['x-openstack-nova-api-version']
  if (text === undefined && typeof legacy === 'string') text = legacy.trim()
  if (text === undefined || text === '') return MIN_MICROVERSION
  if (text.toLowerCase() === 'latest') return MAX_MICROVERSION
  const match = /^(\d+)\.(\d+)$/.exec(text)
  if (!match) throw new MicroversionError(400, `Invalid API version request string: ${text}`)
  const version = { major: Number(match[1]), minor: Number(match[2]) }
  if (compare(version, MIN_MICROVERSION) < 0 || compare(version, MAX_MICROVERSION) > 0) {
    throw new MicroversionError(406, `Version ${text} is not supported by the API. Minimum is ${formatMicroversion(MIN_MICROVERSION)} and maximum is ${formatMicroversion(MAX_MICROVERSION)}.`)
  }
  return version
}

export function echoMicroversion(request: FastifyRequest, reply: FastifyReply): void {
  const version = formatMicroversion(request.microversion)
  reply.header('OpenStack-API-Version', `compute ${version}`)
  reply.header('X-OpenStack-Nova-API-Version', version)
  reply.header('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version')
}
