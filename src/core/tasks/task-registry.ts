import type { Repositories } from '../ports/store.ts'
import type { Task } from './task.ts'

export interface TaskContext {
  readonly task: Task
  /** Aborted when the task's deadline passes or the worker shuts down. */
  readonly signal: AbortSignal
  /**
   * Marks the task succeeded inside the handler's final transaction, so that its result and the end of
   * the task commit together (or neither does) and the runner does not finish it separately. Call it
   * only in the last transaction of a run that succeeds. False when this worker no longer holds the task.
   */
  complete(tx: Repositories): Promise<boolean>
}

export interface TaskHandler {
  /** Does the work. Must be idempotent: after a crash the same task runs again from the start. */
  run(context: TaskContext): Promise<void>
  /**
   * Runs once when the task has finally failed (attempts used up, deadline passed, or a permanent error):
   * leaves its resource in a clean, explained state (e.g. a server in ERROR with a fault).
   */
  onFailure?(task: Task, reason: string): Promise<void>
}

/** An error not worth retrying (the request can never succeed as it stands). */
export class PermanentTaskError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PermanentTaskError'
  }
}

/** Explicit registration of every task kind: no handler found by naming convention. */
export class TaskRegistry {
  readonly #handlers = new Map<string, TaskHandler>()

  register(kind: string, handler: TaskHandler): void {
    if (this.#handlers.has(kind)) throw new Error(`task kind ${kind} is registered twice`)
    this.#handlers.set(kind, handler)
  }

  get(kind: string): TaskHandler | undefined {
    return this.#handlers.get(kind)
  }

  kinds(): string[] {
    return [...this.#handlers.keys()].sort()
  }
}
