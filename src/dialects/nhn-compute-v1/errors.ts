/**
 * The one place this dialect turns failures into its envelope. Seed 000: every answer is HTTP 200 with
 * `{"header":{"isSuccessful","resultCode","resultMessage"}}`; the general codes are documented, the
 * per-API ranges only as ranges, so each range's base is the code (CATALOG §1.3, §6.1 A12), chosen by
 * the domain error's kind and resource. Messages read "<resultMessage>: <detail>", as the seed's table.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isDomainError, type DomainError, type ResourceType } from '../../core/shared/errors.ts'
import { MalformedJsonError } from '../shared/listener.ts'
import type { FailureBody } from './schemas/common.ts'

/** Seed 000's general result codes. */
export const ResultCode = {
  SUCCESS: 0,
  FAIL: -1,
  UNKNOWN_EXCEPTION: -2,
  PERMISSION_DENIED: -3,
  INVALID_PARAMETERS: -4,
  NONEXISTENT: -5,
  NOT_SUPPORTED: -7,
  JSON_PARSING_ERROR: -8,
} as const

/** Seed 000's per-API ranges; the base of each is the code this dialect answers with. */
export const ApiRange = {
  server: 10000,
  flavor: 11000,
  availabilityZone: 12000,
  keypair: 13000,
  network: 20000,
  subnet: 21000,
  floatingIp: 22000,
  securityGroup: 24000,
  image: 30000,
  volume: 40000,
  token: 50000,
} as const

const generalMessages: Readonly<Record<number, string>> = {
  [ResultCode.FAIL]: 'FAIL',
  [ResultCode.UNKNOWN_EXCEPTION]: 'UNKNOWN EXCEPTION',
  [ResultCode.PERMISSION_DENIED]: 'Permission denied',
  [ResultCode.INVALID_PARAMETERS]: 'Invalid parameters',
  [ResultCode.NONEXISTENT]: 'Nonexistent',
  [ResultCode.NOT_SUPPORTED]: 'Not supported',
  [ResultCode.JSON_PARSING_ERROR]: 'JSON parsing error',
}

/** Which API's range a resource's failures fall in; null: only the general codes apply. */
const rangeOfResource: Readonly<Record<ResourceType, number | null>> = {
  server: ApiRange.server, server_group: ApiRange.server, flavor: ApiRange.flavor,
  availability_zone: ApiRange.availabilityZone, keypair: ApiRange.keypair,
  network: ApiRange.network, port: ApiRange.network, subnet: ApiRange.subnet, floating_ip: ApiRange.floatingIp,
  security_group: ApiRange.securityGroup, security_group_rule: ApiRange.securityGroup,
  image: ApiRange.image, image_member: ApiRange.image,
  volume: ApiRange.volume, volume_type: ApiRange.volume, volume_attachment: ApiRange.volume, snapshot: ApiRange.volume,
  token: ApiRange.token,
  project: null, user: null, access_key: null, host: null, quota: null, task: null,
}

/**
 * Resources a v1.0 client names in the URL (or, for a volume, as the object of attach): when they do
 * not exist the answer is -5 Nonexistent. Any other missing resource was referenced by a request body
 * (a flavor, network, image … of a create or an action) and fails in its API's range.
 */
const addressedResources: ReadonlySet<ResourceType> = new Set<ResourceType>([
  'server', 'volume', 'volume_attachment', 'token', 'project', 'user', 'access_key', 'host', 'task', 'quota',
])

/** Which API's range a refused quota falls in. */
const rangeOfQuota: Readonly<Record<string, number>> = {
  instances: ApiRange.server, cores: ApiRange.server, ram: ApiRange.server, metadata_items: ApiRange.server,
  server_groups: ApiRange.server, server_group_members: ApiRange.server, key_pairs: ApiRange.keypair,
  networks: ApiRange.network, ports: ApiRange.network, subnets: ApiRange.subnet, floating_ips: ApiRange.floatingIp,
  security_groups: ApiRange.securityGroup, security_group_rules: ApiRange.securityGroup, images: ApiRange.image,
  volumes: ApiRange.volume, gigabytes: ApiRange.volume, snapshots: ApiRange.volume,
}

/** A request for a URL (or a method on it) that this dialect does not serve. */
export class RouteNotFoundError extends Error {
  constructor(method: string, url: string) {
    super(`no API at ${method} ${url.split('?')[0]}`)
    this.name = 'RouteNotFoundError'
  }
}

export interface V1Result {
  readonly resultCode: number
  readonly resultMessage: string
  /** Unexpected: the handler logs it with the request id. */
  readonly unexpected: boolean
}

function result(resultCode: number, detail: string, unexpected = false): V1Result {
  const label = generalMessages[resultCode] ?? 'FAIL'
  return { resultCode, resultMessage: detail === '' ? label : `${label}: ${detail}`, unexpected }
}

function rangeOr(resource: ResourceType | undefined, fallback: number): number {
  return (resource === undefined ? null : rangeOfResource[resource]) ?? fallback
}

function resultOfDomainError(error: DomainError): V1Result {
  switch (error.kind) {
    case 'unauthorized':
      // Only the token issue marks its refusal with the token resource (CATALOG §1.2: 50000 range).
      return result(error.resource === 'token' ? ApiRange.token : ResultCode.PERMISSION_DENIED, error.message)
    case 'forbidden':
      return result(rangeOr(error.resource, ResultCode.PERMISSION_DENIED), error.message)
    case 'not_found':
      return result(error.resource === undefined || addressedResources.has(error.resource)
        ? ResultCode.NONEXISTENT : rangeOr(error.resource, ResultCode.NONEXISTENT), error.message)
    case 'bad_request':
      return result(rangeOr(error.resource, ResultCode.INVALID_PARAMETERS), error.message)
    case 'conflict':
    case 'invalid_state':
      return result(rangeOr(error.resource, ResultCode.FAIL), error.message)
    case 'quota_exceeded':
      return result((error.quota === undefined ? undefined : rangeOfQuota[error.quota]) ?? ResultCode.FAIL, error.message)
    case 'not_supported':
      return result(ResultCode.NOT_SUPPORTED, error.message)
  }
}

/** Every failure, whatever raised it, as its v1.0 result code and message. */
export function resultOf(error: unknown, requestId: string): V1Result {
  if (isDomainError(error)) return resultOfDomainError(error)
  if (error instanceof MalformedJsonError) return result(ResultCode.JSON_PARSING_ERROR, error.message)
  if (error instanceof RouteNotFoundError) return result(ResultCode.NONEXISTENT, error.message)
  const failure = error as Partial<FastifyError> | null
  if (failure?.validation && failure.validationContext) return result(ResultCode.INVALID_PARAMETERS, failure.message ?? 'the request does not match the API')
  if (failure?.statusCode === 413) return result(ResultCode.INVALID_PARAMETERS, 'the request body is too large')
  if (failure?.statusCode === 415) {
    return result(ResultCode.INVALID_PARAMETERS, 'the request body must be JSON (Content-Type: application/json)')
  }
  // Fastify's own 4xx refusals (bad Content-Length, an empty JSON body …) are the client's.
  if (typeof failure?.statusCode === 'number' && failure.statusCode >= 400 && failure.statusCode < 500) {
    return result(ResultCode.INVALID_PARAMETERS, failure.message ?? '')
  }
  return result(ResultCode.UNKNOWN_EXCEPTION, `request id ${requestId}`, true)
}

export function failureBody({ resultCode, resultMessage }: V1Result): FailureBody {
  return { header: { isSuccessful: false, resultCode, resultMessage } }
}

/** The dialect's error and not-found handler: HTTP 200 and the envelope, whatever went wrong. */
export function v1ErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const outcome = resultOf(error, request.id)
  if (outcome.unexpected) request.log.error({ err: error, requestId: request.id }, 'unexpected error in the NHN v1.0 API')
  return reply.status(200).send(failureBody(outcome))
}

export function v1NotFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return v1ErrorHandler(new RouteNotFoundError(request.method, request.url), request, reply)
}
