/** Volume snapshots (Cinder semantics): taken and deleted within the call, as volumes are records. */
import type { Clock } from '../ports/clock.ts'
import type { Repositories, Store } from '../ports/store.ts'
import { consumeQuotas, releaseQuotas } from '../quotas/quotas.ts'
import { invalidState, notFound } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import type { Page, PageRequest } from '../shared/page.ts'
import { directedKeysetRequest, toPage, type SortDirection } from '../shared/keyset.ts'
import type { SnapshotFilter } from './storage-repositories.ts'
import { checkMetadata, checkText } from './volume-fields.ts'
import type { Snapshot, SnapshotStatus } from './volume.ts'

const DELETABLE_SNAPSHOT_STATUSES: readonly SnapshotStatus[] = ['available', 'error']

export interface SnapshotCreateInput {
  readonly volumeId: string
  readonly name?: string
  readonly description?: string
  readonly metadata?: Readonly<Record<string, string>>
  /** Required to snapshot an in-use volume, as in Cinder. */
  readonly force?: boolean
}

export interface SnapshotUpdate {
  readonly name?: string
  readonly description?: string
  /** Replaces all metadata. */
  readonly metadata?: Readonly<Record<string, string>>
}

export interface SnapshotListQuery extends PageRequest, SnapshotFilter {
  readonly direction?: SortDirection
}

export interface SnapshotServiceDeps {
  readonly store: Store
  readonly clock: Clock
}

export class SnapshotService {
  readonly #store: Store
  readonly #clock: Clock

  constructor(deps: SnapshotServiceDeps) {
    this.#store = deps.store
    this.#clock = deps.clock
  }

  /** Snapshots a volume of the owner's project, consuming snapshots and gigabytes quota. */
  async create(owner: Owner, input: SnapshotCreateInput): Promise<Snapshot> {
    const name = checkText(input.name, 'name') ?? ''
    const description = checkText(input.description, 'description') ?? ''
    const metadata = checkMetadata(input.metadata) ?? {}
    return this.#store.transaction(async (tx) => {
      // The lock keeps a concurrent delete of the volume from leaving this snapshot orphaned.
      const volume = await tx.volumes.lockById(input.volumeId)
      if (!volume || volume.projectId !== owner.projectId) throw notFound('volume', input.volumeId)
      const allowed = volume.status === 'available' || (volume.status === 'in-use' && input.force === true)
      if (!allowed) throw invalidState('volume', volume.id, 'snapshot', volume.status)
      await consumeQuotas(tx.quotas, owner.projectId, { snapshots: 1, gigabytes: volume.sizeGb })
      const now = this.#clock.now()
      const snapshot: Snapshot = {
        id: crypto.randomUUID(),
        projectId: owner.projectId,
        volumeId: volume.id,
        name,
        description,
        sizeGb: volume.sizeGb,
        status: 'available',
        metadata,
        createdAt: now,
        updatedAt: now,
      }
      await tx.snapshots.insert(snapshot)
      return snapshot
    })
  }

  async get(owner: Owner, snapshotId: string): Promise<Snapshot> {
    const snapshot = await this.#store.snapshots.get(owner.projectId, snapshotId)
    if (!snapshot) throw notFound('snapshot', snapshotId)
    return snapshot
  }

  async list(owner: Owner, query: SnapshotListQuery): Promise<Page<Snapshot>> {
    const keyset = await directedKeysetRequest(query, query.direction ?? 'desc', (id) => this.#store.snapshots.get(owner.projectId, id))
    const filter: SnapshotFilter = { name: query.name, status: query.status, volumeId: query.volumeId }
    return toPage(await this.#store.snapshots.list(owner.projectId, filter, keyset), query.limit)
  }

  async update(owner: Owner, snapshotId: string, update: SnapshotUpdate): Promise<Snapshot> {
    const changes = {
      name: checkText(update.name, 'name'),
      description: checkText(update.description, 'description'),
      metadata: checkMetadata(update.metadata),
    }
    return this.#store.transaction(async (tx) => {
      await this.#owned(tx, owner, snapshotId)
      const updated = await tx.snapshots.update(snapshotId, { ...changes, updatedAt: this.#clock.now() })
      if (!updated) throw notFound('snapshot', snapshotId)
      return updated
    })
  }

  async delete(owner: Owner, snapshotId: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const snapshot = await this.#owned(tx, owner, snapshotId)
      const gigabytes = await deleteSnapshots(tx, [snapshot])
      await releaseQuotas(tx.quotas, snapshot.projectId, { snapshots: 1, gigabytes })
    })
  }

  async #owned(tx: Repositories, owner: Owner, snapshotId: string): Promise<Snapshot> {
    const snapshot = await tx.snapshots.get(owner.projectId, snapshotId)
    if (!snapshot) throw notFound('snapshot', snapshotId)
    return snapshot
  }
}

/**
 * Deletes snapshots, each only in a deletable status (available, error); returns their gigabytes so
 * the caller can release quota once for everything it deletes.
 */
export async function deleteSnapshots(tx: Repositories, snapshots: readonly Snapshot[]): Promise<number> {
  let gigabytes = 0
  for (const snapshot of snapshots) {
    if (!(await tx.snapshots.delete(snapshot.id, DELETABLE_SNAPSHOT_STATUSES))) {
      throw invalidState('snapshot', snapshot.id, 'delete', snapshot.status)
    }
    gigabytes += snapshot.sizeGb
  }
  return gigabytes
}
