import { requireAdmin } from '../flavors/catalog-guards.ts'
import type { TransactionalRepositories } from '../flavors/compute-catalog-repositories.ts'
import { badRequest, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import type { AvailabilityZone, AvailabilityZoneInfo } from './availability-zone.ts'
import type { AvailabilityZoneRepository } from './availability-zone-repository.ts'

export interface AvailabilityZoneRepositories {
  readonly availabilityZones: AvailabilityZoneRepository
}

export class AvailabilityZoneService {
  readonly #store: TransactionalRepositories<AvailabilityZoneRepositories>

  constructor(deps: { readonly store: TransactionalRepositories<AvailabilityZoneRepositories> }) {
    this.#store = deps.store
  }

  /** Every zone with its state; the host names only for admins (Nova's os-availability-zone/detail). */
  async list(owner: Owner): Promise<AvailabilityZoneInfo[]> {
    const zones = await this.#store.availabilityZones.list()
    if (!isAdmin(owner)) return zones.map((zone) => ({ ...zone, hostNames: null }))
    const hosts = await this.#store.availabilityZones.hostNamesByZone()
    return zones.map((zone) => ({ ...zone, hostNames: hosts.get(zone.name) ?? [] }))
  }

  /** Zones are region-wide, not tenant resources: any caller may look one up. */
  async get(name: string): Promise<AvailabilityZone> {
    const zone = await this.#store.availabilityZones.get(name)
    if (zone === null) throw notFound('availability_zone', name)
    return zone
  }

  async setAvailable(owner: Owner, name: string, available: boolean): Promise<AvailabilityZone> {
    requireAdmin(owner)
    return this.#store.transaction(async (tx) => {
      if (!(await tx.availabilityZones.setAvailable(name, available))) throw notFound('availability_zone', name)
      const zone = await tx.availabilityZones.get(name)
      if (zone === null) throw notFound('availability_zone', name)
      return zone
    })
  }
}

/** Bootstrap and host registration: creates the zones that do not exist yet. */
export async function ensureZones(repos: AvailabilityZoneRepositories, names: readonly string[], now: Date): Promise<void> {
  for (const name of names) validateZoneName(name)
  await repos.availabilityZones.ensure([...new Set(names)], now)
}

/**
 * For creates that name a zone (servers, volumes), inside their transaction. An unknown or unavailable
 * zone is an invalid input, so a bad request (Nova: "The requested availability zone is not available").
 */
export async function requireAvailableZone(repos: AvailabilityZoneRepositories, name: string): Promise<AvailabilityZone> {
  const zone = await repos.availabilityZones.get(name)
  if (zone === null || !zone.available) {
    throw badRequest(`The requested availability zone ${name} is not available`, 'availability_zone')
  }
  return zone
}

function validateZoneName(name: string): void {
  if (typeof name !== 'string' || name.length < 1 || name.length > 255 || name.trim() !== name) {
    throw badRequest(`Invalid availability zone name '${String(name)}'`, 'availability_zone')
  }
}
