/**
 * The one place this dialect turns failures into Neutron's error body,
 * `{"NeutronError": {"type", "message", "detail"}}`, with Neutron's status codes and exception names
 * (neutron_lib.exceptions and the webob HTTP errors the API layer raises), and keystonemiddleware's body
 * for 401.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { isDomainError, type DomainError, type ResourceType } from '../../core/shared/errors.ts'
import { AUTHENTICATION_REQUIRED } from '../../core/projects/auth-context.ts'
import { MalformedJsonError } from '../shared/listener.ts'

export const NeutronError = Type.Object({
  NeutronError: Type.Object({
    type: Type.String(),
    message: Type.String(),
    detail: Type.String(),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type NeutronError = Static<typeof NeutronError>

export const Unauthorized = Type.Object({
  error: Type.Object({ code: Type.Literal(401), title: Type.String(), message: Type.String() }, { additionalProperties: false }),
}, { additionalProperties: false })

/** An error the dialect itself raises (request shapes the core never sees). */
export class NeutronApiError extends Error {
  readonly status: number
  readonly type: string
  constructor(status: number, type: string, message: string) {
    super(message)
    this.name = 'NeutronApiError'
    this.status = status
    this.type = type
  }
}

/** webob's HTTPBadRequest: what Neutron's API layer raises for malformed or invalid attributes. */
export function httpBadRequest(message: string): NeutronApiError {
  return new NeutronApiError(400, 'HTTPBadRequest', message)
}

/** neutron_lib's BadRequest: `Bad <resource> request: <msg>.` */
export function badResourceRequest(resource: string, message: string): NeutronApiError {
  return new NeutronApiError(400, 'BadRequest', `Bad ${resource} request: ${message}.`)
}

export function neutronBody(type: string, message: string): NeutronError {
  return { NeutronError: { type, message, detail: '' } }
}

interface NeutronFailure {
  readonly status: number
  readonly type: string
  readonly message: string
}

/** Neutron's "<Resource>NotFound" exceptions and their messages. */
const notFoundNames: Partial<Record<ResourceType, { type: string; message: (id: string) => string }>> = {
  network: { type: 'NetworkNotFound', message: (id) => `Network ${id} could not be found.` },
  subnet: { type: 'SubnetNotFound', message: (id) => `Subnet ${id} could not be found.` },
  port: { type: 'PortNotFound', message: (id) => `Port ${id} could not be found.` },
  floating_ip: { type: 'FloatingIPNotFound', message: (id) => `Floating IP ${id} could not be found` },
  security_group: { type: 'SecurityGroupNotFound', message: (id) => `Security group ${id} does not exist` },
  security_group_rule: { type: 'SecurityGroupRuleNotFound', message: (id) => `Security group rule ${id} does not exist` },
  project: { type: 'NotFound', message: (id) => `Project ${id} could not be found.` },
}

/**
 * The core reports every networking conflict as kind `conflict`; Neutron names each situation. The
 * core's messages already follow Neutron's wording, so the situation is read from them (one table,
 * covered by the dialect's tests).
 */
const conflictNames: readonly { readonly pattern: RegExp; readonly status: number; readonly type: string }[] = [
  { pattern: /^Invalid input for operation: /, status: 400, type: 'InvalidInput' },
  { pattern: /There are one or more ports still in use on the network/, status: 409, type: 'NetworkInUse' },
  { pattern: /One or more ports have an IP allocation from this subnet/, status: 409, type: 'SubnetInUse' },
  { pattern: /^No more IP addresses available/, status: 409, type: 'IpAddressGenerationFailure' },
  { pattern: /already allocated in subnet/, status: 409, type: 'IpAddressAlreadyAllocated' },
  { pattern: /^Unable to generate unique mac/, status: 503, type: 'MacAddressGenerationFailure' },
  { pattern: /has no subnet to allocate from/, status: 409, type: 'IpAddressGenerationFailure' },
  { pattern: /as that fixed IP already has a floating IP/, status: 409, type: 'FloatingIPPortAlreadyAssociated' },
  { pattern: /^Security group rule already exists/, status: 409, type: 'SecurityGroupRuleExists' },
  { pattern: /^Removing the default security group/, status: 409, type: 'SecurityGroupCannotRemoveDefault' },
  { pattern: /^Updating default security group/, status: 409, type: 'SecurityGroupCannotUpdateDefault' },
  { pattern: /^Default security group already exists/, status: 409, type: 'SecurityGroupDefaultAlreadyExists' },
  { pattern: /^Security Group .* in use/, status: 409, type: 'SecurityGroupInUse' },
  { pattern: /is in use by server|is still in use/, status: 409, type: 'PortInUse' },
]

/** Security group rule validation failures carry Neutron's own exception names. */
const badRequestNames: readonly { readonly pattern: RegExp; readonly type: string }[] = [
  { pattern: /^Security group rule protocol .* not supported/, type: 'SecurityGroupRuleInvalidProtocol' },
  { pattern: /^For TCP\/UDP protocols|^Invalid value for port|^Invalid protocol .* for port range/, type: 'SecurityGroupInvalidPortRange' },
  { pattern: /^Invalid value for ICMP/, type: 'SecurityGroupInvalidIcmpValue' },
  { pattern: /ICMP type \(port-range-min\) is missing/, type: 'SecurityGroupMissingIcmpType' },
  { pattern: /^Must also specify protocol if port range is given/, type: 'SecurityGroupProtocolRequiredWithPorts' },
  { pattern: /^Only remote_ip_prefix or remote_group_id may be provided/, type: 'SecurityGroupRemoteGroupAndRemoteIpPrefix' },
  { pattern: /^Conflicting value ethertype/, type: 'SecurityGroupRuleParameterConflict' },
  { pattern: /is not a valid IP for the specified|is outside the allocation pool/, type: 'InvalidIpForSubnet' },
  { pattern: /^Invalid input for /, type: 'HTTPBadRequest' },
]

/** Neutron's quota resource names, as OverQuota messages and the quota API spell them. */
export const neutronQuotaNames: Readonly<Record<string, string>> = {
  networks: 'network',
  subnets: 'subnet',
  ports: 'port',
  floating_ips: 'floatingip',
  security_groups: 'security_group',
  security_group_rules: 'security_group_rule',
}

export function failureOfDomainError(error: DomainError): NeutronFailure {
  switch (error.kind) {
    case 'not_found': {
      const known = error.resource ? notFoundNames[error.resource] : undefined
      if (known && error.id !== undefined) return { status: 404, type: known.type, message: known.message(error.id) }
      return { status: 404, type: 'NotFound', message: error.message }
    }
    case 'conflict': {
      const known = conflictNames.find((entry) => entry.pattern.test(error.message))
      return { status: known?.status ?? 409, type: known?.type ?? 'Conflict', message: error.message }
    }
    case 'invalid_state':
      return { status: 409, type: 'Conflict', message: error.message }
    case 'quota_exceeded': {
      const name = neutronQuotaNames[error.quota ?? ''] ?? error.quota ?? 'unknown'
      return { status: 409, type: 'OverQuota', message: `Quota exceeded for resources: ['${name}'].` }
    }
    case 'bad_request': {
      const known = badRequestNames.find((entry) => entry.pattern.test(error.message))
      return { status: 400, type: known?.type ?? 'BadRequest', message: error.message }
    }
    case 'forbidden':
      return { status: 403, type: 'PolicyNotAuthorized', message: error.message }
    case 'unauthorized':
      return { status: 401, type: 'Unauthorized', message: error.message }
    case 'not_supported':
      return { status: 501, type: 'HTTPNotImplemented', message: error.message }
  }
}

/** keystonemiddleware's answer: the body, and where to get a token. */
export function sendUnauthorized(reply: FastifyReply, identityUrl: string, message = AUTHENTICATION_REQUIRED) {
  return reply.status(401)
    .header('WWW-Authenticate', `Keystone uri="${identityUrl}"`)
    .send({ error: { code: 401, title: 'Unauthorized', message } })
}

interface AjvError {
  readonly keyword: string
  readonly instancePath: string
  readonly message?: string
  readonly params: Record<string, unknown>
}

/** The attribute an Ajv error is about: the last named segment of its path, or the missing property. */
function attributeOf(error: AjvError): string {
  const segments = error.instancePath.split('/').filter((segment) => segment !== '' && !/^\d+$/.test(segment))
  return segments.at(-1) ?? ''
}

/** Neutron's wording for a request that fails its body or query schema. */
function validationMessage(error: AjvError, context: string, body: unknown): string {
  const depth = error.instancePath.split('/').filter((segment) => segment !== '').length
  if (context === 'body') {
    const empty = body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)
    if (depth === 0 && empty) return 'Resource body required'
    if (error.keyword === 'type' && depth === 0) return 'Body contains invalid data'
    if (error.keyword === 'required' && depth === 0) {
      const resource = String(error.params.missingProperty)
      if (body !== null && typeof body === 'object' && `${resource}s` in body) return 'Bulk operation not supported'
      return `Unable to find '${resource}' in request body`
    }
    if (error.keyword === 'type' && depth === 1) return `Object '${attributeOf(error)}' contains invalid data`
    if (error.keyword === 'required' && depth === 1) {
      return `Failed to parse request. Required attribute '${String(error.params.missingProperty)}' not specified`
    }
    if (error.keyword === 'additionalProperties' && depth === 1) {
      return `Unrecognized attribute(s) '${String(error.params.additionalProperty)}'`
    }
  }
  if (context === 'querystring' && error.keyword === 'additionalProperties') {
    return `['${String(error.params.additionalProperty)}'] is invalid attribute for filtering`
  }
  const attribute = attributeOf(error) || String(error.params.additionalProperty ?? error.params.missingProperty ?? context)
  return `Invalid input for ${attribute}. Reason: ${error.message ?? 'invalid value'}.`
}

export function neutronErrorHandler(identityUrl: string) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => handleError(error, request, reply, identityUrl)
}

function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply, identityUrl: string) {
  if (error instanceof NeutronApiError) return reply.status(error.status).send(neutronBody(error.type, error.message))
  if (isDomainError(error)) {
    const failure = failureOfDomainError(error)
    if (failure.status === 401) return sendUnauthorized(reply, identityUrl, failure.message)
    return reply.status(failure.status).send(neutronBody(failure.type, failure.message))
  }
  if (error instanceof MalformedJsonError) {
    return reply.status(400).send(neutronBody('MalformedRequestBody', `${error.message}.`))
  }
  const failure = error as FastifyError
  if (failure.validation && failure.validationContext) {
    const first = failure.validation[0] as AjvError | undefined
    const message = first ? validationMessage(first, failure.validationContext ?? 'body', request.body) : 'Invalid request'
    return reply.status(400).send(neutronBody('HTTPBadRequest', message))
  }
  if (failure.statusCode === 413) {
    return reply.status(413).send(neutronBody('HTTPRequestEntityTooLarge', 'Request is too large.'))
  }
  if (failure.statusCode === 415) return reply.status(400).send(neutronBody('HTTPBadRequest', 'Unsupported Content-Type'))
  if (failure.statusCode && failure.statusCode >= 400 && failure.statusCode < 500) {
    return reply.status(400).send(neutronBody('HTTPBadRequest', failure.message))
  }
  request.log.error({ err: error, requestId: request.id }, 'unexpected error in the network API')
  return reply.status(500).send(neutronBody('HTTPInternalServerError',
    `Request Failed: internal server error while processing your request (request id ${request.id}).`))
}
