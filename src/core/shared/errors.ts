/**
 * The only error the core throws. Each dialect maps `kind` to its own envelope and status code in one
 * place (its errors.ts), so the core never knows a wire format.
 */
export type DomainErrorKind =
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'quota_exceeded'
  | 'bad_request'
  | 'forbidden'
  | 'unauthorized'
  | 'not_supported'

export type ResourceType =
  | 'project' | 'user' | 'token' | 'access_key' | 'availability_zone' | 'host'
  | 'flavor' | 'image' | 'image_member' | 'keypair'
  | 'network' | 'subnet' | 'port' | 'floating_ip' | 'security_group' | 'security_group_rule'
  | 'volume' | 'volume_type' | 'volume_attachment' | 'snapshot'
  | 'server_group' | 'server' | 'quota' | 'task'

export interface DomainErrorOptions {
  readonly resource?: ResourceType
  readonly id?: string
  /** For invalid_state: the state that blocked the action, and the action. */
  readonly state?: string
  readonly action?: string
  /** For quota_exceeded: which quota. */
  readonly quota?: string
  /** Machine-readable hint of which input field was wrong (bad_request). */
  readonly field?: string
}

export class DomainError extends Error {
  readonly kind: DomainErrorKind
  readonly resource?: ResourceType
  readonly id?: string
  readonly state?: string
  readonly action?: string
  readonly quota?: string
  readonly field?: string

  constructor(kind: DomainErrorKind, message: string, options: DomainErrorOptions = {}) {
    super(message)
    this.name = 'DomainError'
    this.kind = kind
    this.resource = options.resource
    this.id = options.id
    this.state = options.state
    this.action = options.action
    this.quota = options.quota
    this.field = options.field
  }
}

export const notFound = (resource: ResourceType, id: string, what: string = resource.replace(/_/g, ' ')) =>
  new DomainError('not_found', `${capitalize(what)} ${id} could not be found.`, { resource, id })

export const badRequest = (message: string, field?: string) => new DomainError('bad_request', message, { field })

export const conflict = (resource: ResourceType, message: string, id?: string) =>
  new DomainError('conflict', message, { resource, id })

export const invalidState = (resource: ResourceType, id: string, action: string, state: string) =>
  new DomainError('invalid_state', `Cannot '${action}' ${resource.replace(/_/g, ' ')} ${id} while it is in ${state}`, {
    resource, id, action, state,
  })

export const quotaExceeded = (quota: string, requested: number, used: number, limit: number) =>
  new DomainError('quota_exceeded',
    `Quota exceeded for ${quota}: Requested ${requested}, but already used ${used} of ${limit} ${quota}`, { quota })

export const notSupported = (message: string) => new DomainError('not_supported', message)

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
