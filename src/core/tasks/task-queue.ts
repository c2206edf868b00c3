import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Repositories } from '../ports/store.ts'

export interface TaskRequest {
  readonly kind: string
  readonly resourceId: string | null
  readonly projectId: string | null
  readonly payload?: Readonly<Record<string, unknown>>
  /** How long the task may take, retries included, before it fails for good. */
  readonly deadlineSeconds?: number
  readonly maxAttempts?: number
  /** Delay before the task becomes due. */
  readonly delaySeconds?: number
}

/**
 * Writes tasks inside the caller's transaction, so that a state change and the work it promises commit
 * together or not at all; `wake` then nudges the local workers after the commit.
 */
export class TaskQueue {
  readonly #clock: Clock
  readonly #ids: IdGenerator
  readonly #listeners = new Set<() => void>()
  readonly defaultDeadlineSeconds: number

  constructor(clock: Clock, ids: IdGenerator, options: { defaultDeadlineSeconds?: number } = {}) {
    this.#clock = clock
    this.#ids = ids
    this.defaultDeadlineSeconds = options.defaultDeadlineSeconds ?? 600
  }

  async enqueue(tx: Repositories, request: TaskRequest): Promise<string> {
    const now = this.#clock.nowMs()
    const runAfter = now + (request.delaySeconds ?? 0) * 1000
    const id = this.#ids.uuid()
    await tx.tasks.enqueue({
      id,
      kind: request.kind,
      resourceId: request.resourceId,
      projectId: request.projectId,
      payload: request.payload ?? {},
      maxAttempts: request.maxAttempts ?? 3,
      runAfter: new Date(runAfter),
      deadlineAt: new Date(runAfter + (request.deadlineSeconds ?? this.defaultDeadlineSeconds) * 1000),
      createdAt: new Date(now),
    })
    return id
  }

  /** Tells local workers that new tasks were committed. */
  wake(): void {
    for (const listener of this.#listeners) listener()
  }

  onWake(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
