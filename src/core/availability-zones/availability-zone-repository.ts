import type { AvailabilityZone } from './availability-zone.ts'

export interface AvailabilityZoneRepository {
  /** All zones by name; a region has a handful, so the list is not paginated (nor is Nova's). */
  list(): Promise<AvailabilityZone[]>
  get(name: string): Promise<AvailabilityZone | null>
  /** Creates the zones that are missing (available); existing ones are left as they are. */
  ensure(names: readonly string[], now: Date): Promise<void>
  /** False when there is no such zone. */
  setAvailable(name: string, available: boolean): Promise<boolean>
  /** Host names per zone name, each list sorted; zones without hosts are absent. */
  hostNamesByZone(): Promise<Map<string, string[]>>
}
