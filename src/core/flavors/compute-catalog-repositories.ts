/**
 * The compute catalog's share of the store port: flavors, availability zones, keypairs and server
 * groups. src/store/repositories/compute-catalog.ts implements it.
 */
import type { FlavorRepository } from './flavor-repository.ts'
import type { AvailabilityZoneRepository } from '../availability-zones/availability-zone-repository.ts'
import type { KeypairRepository } from '../keypairs/keypair-repository.ts'
import type { ServerGroupRepository } from '../server-groups/server-group-repository.ts'

export interface ComputeCatalogRepositories {
  readonly flavors: FlavorRepository
  readonly availabilityZones: AvailabilityZoneRepository
  readonly keypairs: KeypairRepository
  readonly serverGroups: ServerGroupRepository
}

/**
 * The part of the Store a catalog service needs: the repositories `R` it reads, and a transaction
 * that hands the same repositories to `work`. The real Store satisfies it for any `R` it contains,
 * so each service names only the repositories it uses.
 */
export type TransactionalRepositories<R> = R & {
  transaction<T>(work: (tx: R) => Promise<T>): Promise<T>
}
