import type { Page } from '../shared/page.ts'
import type { Server, ServerAction, TaskState, VmState } from './server.ts'

export interface ServerListFilter {
  readonly projectId: string
  /** Any of these vm_states. */
  readonly vmStates?: readonly VmState[]
  /** Any of these task_states (null = idle). */
  readonly taskStates?: readonly (TaskState | null)[]
  /** A regular expression matched against the name (Nova semantics: search, not full match). */
  readonly nameRegex?: string
  readonly imageId?: string
  readonly flavorId?: string
  readonly reservationId?: string
  readonly hostId?: string
  /** Servers changed at or after this time, deleted ones included (Nova changes-since). */
  readonly changesSince?: Date
  readonly includeDeleted?: boolean
  readonly limit: number
  readonly marker: string | null
}

/** Fields a state transition may write; `expected` states guard it (compare-and-set). */
export interface ServerStateUpdate {
  readonly vmState?: VmState
  readonly taskState?: TaskState | null
  readonly powerState?: number
  readonly hostId?: string | null
  readonly availabilityZone?: string | null
  readonly flavorId?: string
  readonly vcpus?: number
  readonly ramMb?: number
  readonly rootGb?: number
  readonly ephemeralGb?: number
  readonly imageId?: string | null
  readonly bootVolumeId?: string | null
  readonly previousFlavorId?: string | null
  readonly previousHostId?: string | null
  readonly previousVmState?: VmState | null
  readonly locked?: boolean
  readonly lockedReason?: string | null
  readonly progress?: number
  readonly fault?: { code: number; message: string; details: string | null; createdAt: Date } | null
  readonly launchedAt?: Date | null
  readonly terminatedAt?: Date | null
  readonly deleted?: boolean
  readonly deletedAt?: Date | null
  readonly updatedAt: Date
}

export interface ServerExpectation {
  readonly vmStates?: readonly VmState[]
  /** The task_states accepted; null inside means "idle". Omitted: any. */
  readonly taskStates?: readonly (TaskState | null)[]
  readonly deleted?: boolean
}

export interface ServerRepository {
  insert(servers: readonly Server[]): Promise<void>
  /** A live (not deleted) server of the project. */
  get(projectId: string, id: string): Promise<Server | undefined>
  /** Any server by id, deleted or not, whatever its project (workers). */
  getById(id: string): Promise<Server | undefined>
  getMany(ids: readonly string[]): Promise<Server[]>
  /** Newest first (created_at desc, id desc), after the marker. Unknown marker: null. */
  list(filter: ServerListFilter): Promise<Page<Server> | null>
  /** Compare-and-set; false when the server no longer matches `expected`. */
  transition(id: string, expected: ServerExpectation, update: ServerStateUpdate): Promise<boolean>
  updateDetails(id: string, fields: {
    name?: string; description?: string | null; metadata?: Record<string, string>; accessIpv4?: string
    accessIpv6?: string; keyName?: string | null; userData?: string | null; attributes?: Record<string, unknown>
  }, now: Date): Promise<void>
  /** Live servers on a host (for the startup reconciliation and host operations). */
  listOnHost(hostId: string): Promise<Server[]>
  /** Servers with a task_state set, any project (startup reaper). */
  listInTransition(limit: number): Promise<Server[]>
  countLive(projectId: string): Promise<number>
}

export interface ServerActionRepository {
  start(action: ServerAction): Promise<void>
  finish(id: string, result: 'success' | 'error', message: string | null, finishTime: Date): Promise<void>
  list(serverId: string): Promise<ServerAction[]>
  get(serverId: string, requestId: string): Promise<ServerAction | undefined>
}

export interface ServerRepositories {
  readonly servers: ServerRepository
  readonly serverActions: ServerActionRepository
}
