/**
 * The error statuses a route declares next to its success. Every tenant route can answer 400 (URL tenant
 * not the token's, malformed version header), 401 (token), 406 (version out of range) and 500; routes add
 * what their own inputs and resources can cause.
 */
import { Type } from 'typebox'
import { Fault, Unauthorized } from '../errors.ts'

type FaultStatus = 403 | 404 | 409 | 413

interface TenantFaults {
  400: typeof Fault
  401: typeof Unauthorized
  406: typeof Fault
  500: typeof Fault
}

export function faultResponses<S extends FaultStatus>(...extra: S[]): TenantFaults & Record<S, typeof Fault> {
  const responses: Record<number, typeof Fault | typeof Unauthorized> = { 400: Fault, 401: Unauthorized, 406: Fault, 500: Fault }
  for (const status of extra) responses[status] = Fault
  return responses as unknown as TenantFaults & Record<S, typeof Fault>
}

/** The version documents need no token, so they cannot answer 401. */
export const publicFaultResponses = { 400: Fault, 406: Fault, 500: Fault }

/** An answer without a body (Nova's 202/204 on delete); `reply.status(…).send(undefined)` sends nothing. */
export const NoBody = Type.Unsafe<undefined>({ type: 'null', description: 'No body' })
