/** Server metadata items: the `meta` body → one key/value, checked against the URL as Nova does. */
import { badRequest, DomainError } from '../../../core/shared/errors.ts'
import type { ServerMetadataItem } from '../schemas/server-metadata.ts'

export function metadataItem(body: ServerMetadataItem, key: string): Record<string, string> {
  const entries = Object.entries(body.meta)
  if (entries.length !== 1) throw badRequest('Request body contains too many items', 'meta')
  if (entries[0][0] !== key) throw badRequest('Request body and URI mismatch', 'meta')
  return { [key]: entries[0][1] }
}

export function existingItem(metadata: Readonly<Record<string, string>>, key: string): ServerMetadataItem {
  if (!Object.hasOwn(metadata, key)) throw new DomainError('not_found', 'Metadata item was not found', { resource: 'server', id: key })
  return { meta: { [key]: metadata[key] } }
}
