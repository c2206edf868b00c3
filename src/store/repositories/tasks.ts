import { sql, type Selectable } from 'kysely'
import type { Page } from '../../core/shared/page.ts'
import type { NewTask, Task, TaskStatus } from '../../core/tasks/task.ts'
import type { TaskListFilter, TaskRepository } from '../../core/tasks/task-repository.ts'
import type { Engine } from '../database.ts'
import type { TasksTable } from '../schema.ts'
import type { Executor } from '../store.ts'
import { prepare } from '../prepared.ts'
import { preparedInsert } from '../prepared-writes.ts'

function toTask(row: Selectable<TasksTable>): Task {
  return {
    id: row.id,
    kind: row.kind,
    resourceId: row.resource_id,
    projectId: row.project_id,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    status: row.status as TaskStatus,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAfter: new Date(row.run_after),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at === null ? null : new Date(row.lease_expires_at),
    deadlineAt: new Date(row.deadline_at),
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  }
}

const insertTask = preparedInsert('tasks', [
  'id', 'kind', 'resource_id', 'project_id', 'payload', 'status', 'attempts', 'max_attempts', 'run_after', 'deadline_at',
  'created_at', 'updated_at',
])

const finishTask = prepare<{ id: string; workerId: string; status: string; error: string | null; now: number }, never>((db, param) =>
  db.updateTable('tasks')
    .set({
      status: param('status'), last_error: param('error'), lease_owner: null, lease_expires_at: null,
      finished_at: param('now'), updated_at: param('now'),
    })
    .where('id', '=', param('id'))
    .where('status', '=', 'running')
    .where('lease_owner', '=', param('workerId')))

export class KyselyTaskRepository implements TaskRepository {
  readonly #db: Executor
  readonly #engine: Engine
  constructor(db: Executor, engine: Engine) {
    this.#db = db
    this.#engine = engine
  }

  async enqueue(task: NewTask): Promise<void> {
    await insertTask.run(this.#db, {
      id: task.id,
      kind: task.kind,
      resource_id: task.resourceId,
      project_id: task.projectId,
      payload: JSON.stringify(task.payload),
      status: 'queued',
      attempts: 0,
      max_attempts: task.maxAttempts,
      run_after: task.runAfter.getTime(),
      deadline_at: task.deadlineAt.getTime(),
      created_at: task.createdAt.getTime(),
      updated_at: task.createdAt.getTime(),
    })
  }

  async claim(workerId: string, now: Date, leaseUntil: Date, limit: number): Promise<Task[]> {
    // Tasks of one resource run one at a time and in order: a task is due only when no other task of its
    // resource is running and none was queued before it (a delete waits for the build it interrupts).
    let due = this.#db.selectFrom('tasks as t').select('t.id')
      .where('t.status', '=', 'queued')
      .where('t.run_after', '<=', now.getTime())
      .where((eb) => eb.or([
        eb('t.resource_id', 'is', null),
        eb.not(eb.exists(eb.selectFrom('tasks as other').select('other.id')
          .whereRef('other.resource_id', '=', 't.resource_id')
          .whereRef('other.id', '!=', 't.id')
          .where((inner) => inner.or([
            inner('other.status', '=', 'running'),
            inner.and([
              inner('other.status', '=', 'queued'),
              inner(inner.refTuple('other.created_at', 'other.id'), '<', inner.refTuple('t.created_at', 't.id')),
            ]),
          ])))),
      ]))
      .orderBy('t.run_after').orderBy('t.created_at').orderBy('t.id')
      .limit(limit)
    // SQLite has a single writer per database, so the UPDATE below is already exclusive there.
    if (this.#engine === 'postgres') due = due.forUpdate('t').skipLocked()
    const rows = await this.#db.updateTable('tasks')
      .set({
        status: 'running',
        lease_owner: workerId,
        lease_expires_at: leaseUntil.getTime(),
        attempts: sql`attempts + 1`,
        updated_at: now.getTime(),
      })
      .where('id', 'in', due)
      .where('status', '=', 'queued')
      .returningAll()
      .execute()
    return rows.map(toTask).sort((a, b) => a.runAfter.getTime() - b.runAfter.getTime()
      || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
  }

  async heartbeat(workerId: string, taskIds: readonly string[], leaseUntil: Date, now: Date): Promise<string[]> {
    if (taskIds.length === 0) return []
    const rows = await this.#db.updateTable('tasks')
      .set({ lease_expires_at: leaseUntil.getTime(), updated_at: now.getTime() })
      .where('id', 'in', taskIds as string[])
      .where('status', '=', 'running')
      .where('lease_owner', '=', workerId)
      .returning('id')
      .execute()
    return rows.map((row) => row.id)
  }

  async succeed(id: string, workerId: string, now: Date): Promise<boolean> {
    return this.#finish(id, workerId, 'succeeded', null, now)
  }

  async fail(id: string, workerId: string, error: string, now: Date): Promise<boolean> {
    return this.#finish(id, workerId, 'failed', error, now)
  }

  async #finish(id: string, workerId: string, status: TaskStatus, error: string | null, now: Date): Promise<boolean> {
    return (await finishTask.run(this.#db, { id, workerId, status, error, now: now.getTime() })) === 1
  }

  async retry(id: string, workerId: string, error: string, runAfter: Date, now: Date): Promise<boolean> {
    const result = await this.#db.updateTable('tasks')
      .set({
        status: 'queued',
        last_error: error,
        lease_owner: null,
        lease_expires_at: null,
        run_after: runAfter.getTime(),
        updated_at: now.getTime(),
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', workerId)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async requeueExpired(now: Date): Promise<number> {
    const result = await this.#db.updateTable('tasks')
      .set({
        status: 'queued',
        lease_owner: null,
        lease_expires_at: null,
        last_error: 'lease expired: the worker stopped before finishing',
        updated_at: now.getTime(),
      })
      .where('status', '=', 'running')
      .where('lease_expires_at', '<', now.getTime())
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  async get(id: string): Promise<Task | undefined> {
    const row = await this.#db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toTask(row)
  }

  async list(filter: TaskListFilter): Promise<Page<Task>> {
    let query = this.#db.selectFrom('tasks').selectAll()
    if (filter.status) query = query.where('status', '=', filter.status)
    if (filter.kind) query = query.where('kind', '=', filter.kind)
    if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId)
    if (filter.marker) {
      const marker = await this.#db.selectFrom('tasks').select(['created_at', 'id'])
        .where('id', '=', filter.marker).executeTakeFirst()
      if (marker) {
        query = query.where((eb) =>
          eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(marker.created_at, marker.id)))
      }
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute()
    return { items: rows.slice(0, filter.limit).map(toTask), hasMore: rows.length > filter.limit }
  }

  async countUnfinished(): Promise<number> {
    const row = await this.#db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['queued', 'running']).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async nextDueAt(): Promise<Date | null> {
    const row = await this.#db.selectFrom('tasks').select((eb) => eb.fn.min('run_after').as('due'))
      .where('status', '=', 'queued').executeTakeFirst()
    return row?.due === null || row?.due === undefined ? null : new Date(Number(row.due))
  }
}
