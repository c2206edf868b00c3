import type { Store } from '../ports/store.ts'
import { badRequest, DomainError, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import type { QuotaResource, QuotaUsage } from './quota-repository.ts'
import { defaultQuotaLimits } from './quotas.ts'

export const QUOTA_RESOURCES = Object.keys(defaultQuotaLimits) as QuotaResource[]

/** Reading quotas and usage (every dialect's limits/quota-sets views) and changing limits (admins). */
export class QuotaService {
  readonly #store: Store
  constructor(store: Store) {
    this.#store = store
  }

  async usage(owner: Owner, projectId: string = owner.projectId): Promise<QuotaUsage[]> {
    if (projectId !== owner.projectId) {
      if (!isAdmin(owner)) throw new DomainError('forbidden', 'Only an administrator can read another project\'s quotas.')
      await this.#requireProject(projectId)
    }
    return this.#store.quotas.list(projectId)
  }

  async setLimits(owner: Owner, projectId: string, limits: Partial<Record<string, number>>): Promise<QuotaUsage[]> {
    if (!isAdmin(owner)) throw new DomainError('forbidden', 'Only an administrator can change quotas.')
    await this.#requireProject(projectId)
    await this.#store.transaction(async (tx) => {
      for (const [resource, limit] of Object.entries(limits)) {
        if (!QUOTA_RESOURCES.includes(resource as QuotaResource)) throw badRequest(`Unknown quota resource ${resource}`, resource)
        if (limit === undefined || !Number.isInteger(limit) || limit < -1) {
          throw badRequest(`Quota limit for ${resource} must be an integer of -1 (unlimited) or more.`, resource)
        }
        await tx.quotas.setLimit(projectId, resource as QuotaResource, limit)
      }
    })
    return this.#store.quotas.list(projectId)
  }

  /** An unknown project has no quota rows: reading would show none, and writing would break its foreign key. */
  async #requireProject(projectId: string): Promise<void> {
    if ((await this.#store.projects.findById(projectId)) === null) throw notFound('project', projectId)
  }
}
