import type { Host, HostState } from './host.ts'

export interface HostRegistration {
  readonly id: string
  readonly name: string
  readonly availabilityZone: string
  readonly driver: string
  readonly vcpus: number
  readonly ramMb: number
  readonly diskGb: number
  readonly cpuAllocationRatio: number
  readonly ramAllocationRatio: number
  readonly diskAllocationRatio: number
}

export interface Resources {
  readonly vcpus: number
  readonly ramMb: number
  readonly diskGb: number
}

export interface HostAllocation extends Resources {
  readonly id: string
  /** The server (or migration) holding the capacity. */
  readonly consumerId: string
  readonly hostId: string
  readonly createdAt: Date
}

export interface HostRepository {
  /** Registers a host or updates its capacity, keeping what is allocated on it. */
  register(host: HostRegistration, now: Date): Promise<Host>
  list(): Promise<Host[]>
  get(id: string): Promise<Host | undefined>
  /** The hosts of these ids that exist, in no particular order. */
  getMany(ids: readonly string[]): Promise<Host[]>
  getByName(name: string): Promise<Host | undefined>
  setState(id: string, state: HostState, now: Date): Promise<void>
  setEnabled(id: string, enabled: boolean, now: Date): Promise<void>
  /**
   * Adds the resources to the host's usage only if they fit its capacity × allocation ratios and the host
   * is up and enabled; returns false otherwise. Atomic: concurrent claims can never overcommit.
   */
  claim(hostId: string, resources: Resources, now: Date): Promise<boolean>
  /** Returns resources to the host (usage never below zero). */
  unclaim(hostId: string, resources: Resources, now: Date): Promise<void>
  addAllocation(allocation: HostAllocation): Promise<void>
  allocationsOf(consumerId: string): Promise<HostAllocation[]>
  removeAllocation(id: string): Promise<void>
  /** Hands every allocation of one consumer to another (a confirmed resize keeps the new claim). */
  reassignAllocations(fromConsumerId: string, toConsumerId: string): Promise<void>
}
