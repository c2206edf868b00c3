import type { Host } from '../hosts/host.ts'

export type ServerGroupPolicy = 'affinity' | 'anti-affinity' | 'partition'

/** The server group a new server joins, with where its members already run. */
export interface PlacementGroup {
  readonly id: string
  readonly policy: ServerGroupPolicy
  /** host id → number of the group's servers on it (excluding the server being placed). */
  readonly memberHosts: ReadonlyMap<string, number>
  /** partition policy only: host id → the partition numbers of the members on it. */
  readonly memberPartitions: ReadonlyMap<string, ReadonlySet<number>>
  /** partition policy only: the partition the new server belongs to. */
  readonly partitionNumber: number | null
}

export interface PlacementRequest {
  readonly vcpus: number
  readonly ramMb: number
  readonly diskGb: number
  /** Null: any zone. */
  readonly availabilityZone: string | null
  readonly group: PlacementGroup | null
  /** Hosts not to use (the server's current host on a resize that must move, hosts that already failed). */
  readonly excludeHostIds: ReadonlySet<string>
}

/** A filter answers whether a host can take the request. Pure: no I/O, no clock. */
export type HostFilter = (host: Host, request: PlacementRequest) => boolean

/** A weigher gives a raw value for a host; the scheduler normalises values to 0..1 and multiplies. */
export interface HostWeigher {
  readonly name: string
  /** Positive: prefer hosts with a higher value; negative: prefer lower. */
  readonly multiplier: number
  value(host: Host, request: PlacementRequest): number
}
