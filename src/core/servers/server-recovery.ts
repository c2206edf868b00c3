/**
 * What a worker does when it starts (Nova's _init_instance): tasks a dead process left running go back
 * to the queue, and servers left in a transition that no task will finish are settled — an interrupted
 * build goes to ERROR with a fault saying so, an interrupted delete is queued again, anything else has
 * its task_state cleared. Afterwards every server is either idle or has a task that will move it.
 */
import type { Clock } from '../ports/clock.ts'
import type { NicSpec, PowerState } from '../ports/hypervisor-driver.ts'
import type { Store } from '../ports/store.ts'
import type { TaskQueue } from '../tasks/task-queue.ts'
import type { Scheduler } from '../scheduler/scheduler.ts'
import type { Server } from './server.ts'
import { ServerTaskKind } from './server-task-kinds.ts'

export interface RecoveryOptions {
  /**
   * Only this process works on the database (SQLite): every task still marked running was left by a
   * previous run and can be requeued at once instead of after its lease expires.
   */
  readonly singleWorker: boolean
}

export interface RecoveryReport {
  readonly requeuedTasks: number
  readonly failedBuilds: number
  readonly requeuedDeletes: number
  readonly clearedTaskStates: number
}

export async function reconcileAfterRestart(store: Store, clock: Clock, queue: TaskQueue, scheduler: Pick<Scheduler, 'release'>,
  options: RecoveryOptions): Promise<RecoveryReport> {
  const now = clock.now()
  // With a single worker no lease can be live, so "expired before the far future" means every running task.
  const requeuedTasks = options.singleWorker
    ? await store.tasks.requeueExpired(new Date(now.getTime() + 100 * 365 * 86_400_000))
    : await store.tasks.requeueExpired(now)
  let failedBuilds = 0
  let requeuedDeletes = 0
  let clearedTaskStates = 0
  for (const server of await store.servers.listInTransition(10_000)) {
    if (await hasPendingTask(store, server.id)) continue
    await store.transaction(async (tx) => {
      const at = clock.now()
      if (server.vmState === 'building') {
        const failed = await tx.servers.transition(server.id, { vmStates: ['building'], taskStates: [server.taskState] }, {
          vmState: 'error', taskState: null, hostId: null,
          fault: { code: 500, message: 'The server build was interrupted by a restart of the control plane.', details: null, createdAt: at },
          updatedAt: at,
        })
        if (failed) {
          // As a failed build does (Nova): the server keeps its quota until deleted, not its host claim.
          await scheduler.release(tx, server.id)
          failedBuilds++
        }
      } else if (server.taskState === 'deleting') {
        await queue.enqueue(tx, { kind: ServerTaskKind.delete, resourceId: server.id, projectId: server.projectId })
        requeuedDeletes++
      } else {
        const cleared = await tx.servers.transition(server.id, { taskStates: [server.taskState] }, { taskState: null, updatedAt: at })
        if (cleared) clearedTaskStates++
      }
    })
  }
  return { requeuedTasks, failedBuilds, requeuedDeletes, clearedTaskStates }
}

async function hasPendingTask(store: Store, serverId: string): Promise<boolean> {
  for (const status of ['queued', 'running'] as const) {
    const page = await store.tasks.list({ resourceId: serverId, status, limit: 1, marker: null })
    if (page.items.length > 0) return true
  }
  return false
}

/**
 * A server that was live at the restart, as a driver that keeps no state of its own (the simulator) must
 * be told about it, with its NICs; undefined when it is unknown, deleted, created after `restartedAt`
 * (a process that makes a server builds it itself), or not placed on a host the driver has.
 */
export async function serverToAdopt(store: Store, serverId: string, restartedAt: Date,
  nicsOf: (serverId: string) => Promise<NicSpec[]>,
  hostName: (hostId: string) => string | undefined): Promise<{ server: Server; host: string; nics: NicSpec[]; powerState: PowerState } | undefined> {
  const server = await store.servers.getById(serverId)
  if (server === undefined || server.deleted || server.createdAt > restartedAt) return undefined
  const host = server.hostId ? hostName(server.hostId) : undefined
  if (host === undefined) return undefined
  return { server, host, nics: await nicsOf(server.id), powerState: server.powerState }
}
