/** A durable unit of asynchronous work, written in the same transaction as the state change it serves. */
export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed'

export interface Task {
  readonly id: string
  readonly kind: string
  readonly resourceId: string | null
  readonly projectId: string | null
  readonly payload: Readonly<Record<string, unknown>>
  readonly status: TaskStatus
  readonly attempts: number
  readonly maxAttempts: number
  readonly runAfter: Date
  readonly leaseOwner: string | null
  readonly leaseExpiresAt: Date | null
  readonly deadlineAt: Date
  readonly lastError: string | null
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly finishedAt: Date | null
}

export interface NewTask {
  readonly id: string
  readonly kind: string
  readonly resourceId: string | null
  readonly projectId: string | null
  readonly payload: Readonly<Record<string, unknown>>
  readonly maxAttempts: number
  readonly runAfter: Date
  readonly deadlineAt: Date
  readonly createdAt: Date
}
