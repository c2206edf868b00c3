import type { Page } from '../shared/page.ts'
import type { NewTask, Task, TaskStatus } from './task.ts'

export interface TaskListFilter {
  readonly status?: TaskStatus
  readonly kind?: string
  readonly resourceId?: string
  readonly limit: number
  readonly marker: string | null
}

export interface TaskRepository {
  enqueue(task: NewTask): Promise<void>
  /**
   * Leases up to `limit` queued tasks that are due, oldest first, to `workerId` until `leaseUntil`, and
   * counts an attempt on each. On PostgreSQL concurrent claimers skip each other's rows (SKIP LOCKED), so
   * no task is handed to two workers.
   */
  claim(workerId: string, now: Date, leaseUntil: Date, limit: number): Promise<Task[]>
  /** Extends the lease of tasks this worker still holds; returns the ids it still holds. */
  heartbeat(workerId: string, taskIds: readonly string[], leaseUntil: Date, now: Date): Promise<string[]>
  /** Finishes a task this worker holds; false when the lease was lost (another worker took it over). */
  succeed(id: string, workerId: string, now: Date): Promise<boolean>
  fail(id: string, workerId: string, error: string, now: Date): Promise<boolean>
  /** Puts the task back in the queue to run again at `runAfter`. */
  retry(id: string, workerId: string, error: string, runAfter: Date, now: Date): Promise<boolean>
  /** Running tasks whose lease expired (their worker died): back to the queue. Returns how many. */
  requeueExpired(now: Date): Promise<number>
  get(id: string): Promise<Task | undefined>
  list(filter: TaskListFilter): Promise<Page<Task>>
  /** Number of tasks that are queued or running. */
  countUnfinished(): Promise<number>
  /** The earliest run_after among queued tasks, for a worker deciding how long to idle. */
  nextDueAt(): Promise<Date | null>
}
