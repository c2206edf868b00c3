export type DriverErrorCode =
  | 'unknown_server'
  | 'unknown_host'
  | 'host_down'
  | 'injected_fault'
  | 'invalid_power_state'
  | 'conflict'
  | 'bad_request'

/**
 * A hypervisor-side failure. Task handlers turn it into a server fault; `code` lets them tell a lost
 * server from a transient one without parsing the message.
 */
export class DriverError extends Error {
  readonly code: DriverErrorCode

  constructor(code: DriverErrorCode, message: string) {
    super(message)
    this.name = 'DriverError'
    this.code = code
  }
}

export function unknownServerError(serverId: string): DriverError {
  return new DriverError('unknown_server', `server ${serverId} is unknown to the hypervisor`)
}
