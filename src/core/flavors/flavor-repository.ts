import type { Page } from '../shared/page.ts'
import type { Flavor, FlavorCatalog } from './flavor.ts'

export interface FlavorListQuery {
  /** true: public only; false: private only; null: both. */
  readonly isPublic: boolean | null
  readonly includeDisabled: boolean
  /** Nova's minDisk / minRam: keep flavors with at least this much. */
  readonly minDiskGb: number | null
  readonly minRamMb: number | null
  readonly catalog: FlavorCatalog | null
  /** Keyset: continue after this flavor id (ids ascending, Nova's default sort). */
  readonly afterId: string | null
  readonly limit: number
}

export interface FlavorRepository {
  get(id: string): Promise<Flavor | null>
  getByName(name: string): Promise<Flavor | null>
  list(query: FlavorListQuery): Promise<Page<Flavor>>
  /** False when a flavor with this id or name already exists (nothing is written then). */
  insert(flavor: Flavor): Promise<boolean>
  delete(id: string): Promise<boolean>
}
