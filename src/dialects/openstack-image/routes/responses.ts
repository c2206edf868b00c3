/** Error responses a Glance route declares: Glance's error body per status, and keystonemiddleware's 401. */
import { GlanceError } from '../errors.ts'
import { KeystoneUnauthorized } from '../../shared/keystone-token.ts'

export function glanceErrors<const S extends readonly number[]>(...statuses: S) {
  const responses: Record<number, typeof GlanceError | typeof KeystoneUnauthorized> = { 401: KeystoneUnauthorized }
  for (const status of statuses) responses[status] = GlanceError
  return responses
}
