import { DriverError } from './driver-error.ts'

/** Every driver entry point a fault can target. */
export type FaultableOperation =
  | 'spawn' | 'destroy' | 'powerOn' | 'powerOff' | 'reboot'
  | 'pause' | 'unpause' | 'suspend' | 'resume' | 'resize' | 'rebuild' | 'snapshot'
  | 'attachVolume' | 'detachVolume' | 'attachInterface' | 'detachInterface'
  | 'consoleLog' | 'metrics'

export const FAULTABLE_OPERATIONS: readonly FaultableOperation[] = [
  'spawn', 'destroy', 'powerOn', 'powerOff', 'reboot',
  'pause', 'unpause', 'suspend', 'resume', 'resize', 'rebuild', 'snapshot',
  'attachVolume', 'detachVolume', 'attachInterface', 'detachInterface',
  'consoleLog', 'metrics',
]

export interface FaultRequest {
  readonly operation: FaultableOperation
  /** Only operations on servers of this host (for spawn and resize: the target host). */
  readonly host?: string
  /** Only operations on this server. */
  readonly serverId?: string
  /** How many matching operations fail before the fault is used up. */
  readonly count: number
  readonly message?: string
}

export interface InjectedFault {
  readonly id: number
  readonly operation: FaultableOperation
  readonly host: string | null
  readonly serverId: string | null
  readonly remaining: number
  readonly message: string
}

interface FaultRule {
  readonly id: number
  readonly operation: FaultableOperation
  readonly host: string | null
  readonly serverId: string | null
  remaining: number
  readonly message: string
}

/** The simulator's failure plan: counted one-shot faults plus hosts marked down. */
export class FaultInjector {
  #nextId = 1
  readonly #rules: FaultRule[] = []
  readonly #downHosts = new Set<string>()

  inject(request: FaultRequest): InjectedFault {
    if (!FAULTABLE_OPERATIONS.includes(request.operation)) {
      throw new DriverError('bad_request', `cannot inject a fault into unknown operation ${String(request.operation)}`)
    }
    if (!Number.isInteger(request.count) || request.count < 1) {
      throw new DriverError('bad_request', `fault count must be a positive integer, got ${request.count}`)
    }
    const rule: FaultRule = {
      id: this.#nextId++,
      operation: request.operation,
      host: request.host ?? null,
      serverId: request.serverId ?? null,
      remaining: request.count,
      message: request.message
        ?? `injected fault: ${request.operation} failed${request.host === undefined ? '' : ` on host ${request.host}`}`,
    }
    this.#rules.push(rule)
    return snapshot(rule)
  }

  /**
   * Consumes one count of the oldest fault matching this operation and returns it, or undefined when
   * none matches. The caller decides when to throw it.
   */
  take(operation: FaultableOperation, host: string, serverId: string): InjectedFault | undefined {
    const index = this.#rules.findIndex((rule) =>
      rule.operation === operation
      && (rule.host === null || rule.host === host)
      && (rule.serverId === null || rule.serverId === serverId))
    if (index < 0) return undefined
    const rule = this.#rules[index]
    rule.remaining -= 1
    if (rule.remaining === 0) this.#rules.splice(index, 1)
    return snapshot(rule)
  }

  list(): InjectedFault[] {
    return this.#rules.map(snapshot)
  }

  setHostDown(host: string, down: boolean): void {
    if (down) this.#downHosts.add(host)
    else this.#downHosts.delete(host)
  }

  isHostDown(host: string): boolean {
    return this.#downHosts.has(host)
  }

  downHosts(): string[] {
    return [...this.#downHosts].sort()
  }

  /** Drops every injected fault and brings every host back up. */
  clear(): void {
    this.#rules.length = 0
    this.#downHosts.clear()
  }
}

export function hostDownError(host: string): DriverError {
  return new DriverError('host_down', `host ${host} is down`)
}

export function injectedFaultError(fault: InjectedFault): DriverError {
  return new DriverError('injected_fault', fault.message)
}

function snapshot(rule: FaultRule): InjectedFault {
  return {
    id: rule.id,
    operation: rule.operation,
    host: rule.host,
    serverId: rule.serverId,
    remaining: rule.remaining,
    message: rule.message,
  }
}
