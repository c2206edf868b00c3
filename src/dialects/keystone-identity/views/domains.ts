import { DEFAULT_DOMAIN_ID } from '../../../core/projects/project.ts'
import type { DomainRef } from '../schemas/common.ts'

/** Keystone's name of its default domain; Gureum has that one domain only. */
export const DEFAULT_DOMAIN_NAME = 'Default'

export function domainRef(domainId: string): DomainRef {
  return { id: domainId, name: domainId === DEFAULT_DOMAIN_ID ? DEFAULT_DOMAIN_NAME : domainId }
}
