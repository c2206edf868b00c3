/**
 * Cinder microversions on /v3: `OpenStack-API-Version: volume 3.x` (or "latest"), absent = 3.0, echoed
 * on every answer. /v2 has no microversions and behaves as 3.0. The range served is recorded with its
 * reasons in docs/compat/openstack-block-storage.md.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'

export interface VolumeApiVersion {
  readonly major: number
  readonly minor: number
}

export const MIN_VERSION: VolumeApiVersion = { major: 3, minor: 0 }
export const MAX_VERSION: VolumeApiVersion = { major: 3, minor: 59 }

export const formatVersion = (version: VolumeApiVersion) => `${version.major}.${version.minor}`

export function atLeast(version: VolumeApiVersion, minor: number): boolean {
  return version.major > 3 || (version.major === 3 && version.minor >= minor)
}

declare module 'fastify' {
  interface FastifyRequest {
    volumeApiVersion: VolumeApiVersion
  }
}

export class VolumeVersionError extends Error {
  readonly statusCode: number
  constructor(statusCode: number, message: string) {
    super(message)
    this.statusCode = statusCode
  }
}

const compare = (a: VolumeApiVersion, b: VolumeApiVersion) => a.major - b.major || a.minor - b.minor

export function requestedVersion(header: string | string[] | undefined): VolumeApiVersion {
  let text: string | undefined
  for (const value of Array.isArray(header) ? header : header === undefined ? [] : [header]) {
    for (const part of value.split(',')) {
      const [service, version] = part.trim().split(/\s+/, 2)
      if (service?.toLowerCase() === 'volume') text = version
    }
  }
  if (text === undefined || text === '') return MIN_VERSION
  if (text.toLowerCase() === 'latest') return MAX_VERSION
  const match = /^(\d+)\.(\d+)$/.exec(text)
  if (!match) throw new VolumeVersionError(400, `API Version String ${text} is of invalid format. Must be of format MajorNum.MinorNum.`)
  const version = { major: Number(match[1]), minor: Number(match[2]) }
  if (compare(version, MIN_VERSION) < 0 || compare(version, MAX_VERSION) > 0) {
    throw new VolumeVersionError(406, `Version ${text} is not supported by the API. Minimum is ${formatVersion(MIN_VERSION)} and maximum is ${formatVersion(MAX_VERSION)}.`)
  }
  return version
}

export function echoVersion(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('OpenStack-API-Version', `volume ${formatVersion(request.volumeApiVersion)}`)
  reply.header('Vary', 'OpenStack-API-Version')
}
