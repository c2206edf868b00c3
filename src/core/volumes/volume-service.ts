/**
 * The volume API (Cinder semantics). Volumes are records in this version, so every operation finishes
 * within the call and leaves the volume in a settled status.
 */
import { requireAvailableZone } from '../availability-zones/availability-zone-service.ts'
import type { Clock } from '../ports/clock.ts'
import type { Repositories, Store } from '../ports/store.ts'
import { consumeQuotas, releaseQuotas } from '../quotas/quotas.ts'
import { DomainError, badRequest, conflict, invalidState, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import type { Page, PageRequest } from '../shared/page.ts'
import { directedKeysetRequest, toPage, type SortDirection } from '../shared/keyset.ts'
import { deleteSnapshots } from './snapshot-service.ts'
import type { VolumeFilter } from './storage-repositories.ts'
import { createVolumeRecord, type VolumeCreateInput } from './volume-creation.ts'
import { checkMetadata, checkSizeGb, checkText } from './volume-fields.ts'
import { findVolumeType } from './volume-types.ts'
import type { Volume, VolumeDetail, VolumeStatus, VolumeType } from './volume.ts'

export type { VolumeCreateInput } from './volume-creation.ts'

/** Cinder deletes a volume only in these statuses (and with no attachment). */
export const DELETABLE_VOLUME_STATUSES: readonly VolumeStatus[] = [
  'available', 'error', 'error_deleting', 'error_extending', 'error_restoring', 'error_managing',
]

/** Cinder extends available volumes, and in-use ones since microversion 3.42. */
const EXTENDABLE_VOLUME_STATUSES: readonly VolumeStatus[] = ['available', 'in-use']

export interface VolumeListQuery extends PageRequest, VolumeFilter {
  /** Newest first by default, as Cinder lists. */
  readonly direction?: SortDirection
}

export interface VolumeUpdate {
  readonly name?: string
  readonly description?: string
  /** Replaces all metadata. */
  readonly metadata?: Readonly<Record<string, string>>
}

export interface VolumeTypeCreateInput {
  readonly name: string
  readonly description?: string
  readonly isPublic?: boolean
  readonly extraSpecs?: Readonly<Record<string, string>>
}

export interface VolumeServiceDeps {
  readonly store: Store
  readonly clock: Clock
  readonly options: { readonly defaultAvailabilityZone: string }
}

export class VolumeService {
  readonly #store: Store
  readonly #clock: Clock
  readonly #defaultAvailabilityZone: string

  constructor(deps: VolumeServiceDeps) {
    this.#store = deps.store
    this.#clock = deps.clock
    this.#defaultAvailabilityZone = deps.options.defaultAvailabilityZone
  }

  async create(owner: Owner, input: VolumeCreateInput): Promise<VolumeDetail> {
    const volume = await this.#store.transaction(async (tx) => {
      // A zone the caller names must exist and be available, as for servers. Boot volumes take their
      // server's zone, which its create checked, so this is the volume API's own check.
      if (input.availabilityZone !== undefined) await requireAvailableZone(tx, input.availabilityZone)
      return createVolumeRecord(tx, owner, input, this.#defaultAvailabilityZone, this.#clock.now())
    })
    return { ...volume, attachments: [] }
  }

  async get(owner: Owner, volumeId: string): Promise<VolumeDetail> {
    const volume = await this.#store.volumes.get(owner.projectId, volumeId)
    if (!volume) throw notFound('volume', volumeId)
    return { ...volume, attachments: await this.#store.volumeAttachments.listByVolume(volume.id) }
  }

  async list(owner: Owner, query: VolumeListQuery): Promise<Page<VolumeDetail>> {
    const keyset = await directedKeysetRequest(query, query.direction ?? 'desc', (id) => this.#store.volumes.get(owner.projectId, id))
    const filter: VolumeFilter = { name: query.name, status: query.status, bootable: query.bootable }
    const page = toPage(await this.#store.volumes.list(owner.projectId, filter, keyset), query.limit)
    return { items: await this.#withAttachments(this.#store, page.items), hasMore: page.hasMore }
  }

  async update(owner: Owner, volumeId: string, update: VolumeUpdate): Promise<VolumeDetail> {
    const changes = {
      name: checkText(update.name, 'name'),
      description: checkText(update.description, 'description'),
      metadata: checkMetadata(update.metadata),
    }
    return this.#change(owner, volumeId, (tx) => tx.volumes.update(volumeId, { ...changes, updatedAt: this.#clock.now() }))
  }

  /** Cinder's metadata calls: merge into or replace the volume's metadata. */
  async setMetadata(
    owner: Owner, volumeId: string, metadata: Readonly<Record<string, string>>, mode: 'merge' | 'replace',
  ): Promise<VolumeDetail> {
    const given = checkMetadata(metadata) ?? {}
    return this.#change(owner, volumeId, async (tx, volume) => {
      const merged = mode === 'merge' ? { ...volume.metadata, ...given } : given
      return tx.volumes.update(volumeId, { metadata: merged, updatedAt: this.#clock.now() })
    })
  }

  async deleteMetadataItem(owner: Owner, volumeId: string, key: string): Promise<VolumeDetail> {
    return this.#change(owner, volumeId, async (tx, volume) => {
      if (!(key in volume.metadata)) {
        throw new DomainError('not_found', `Volume ${volumeId} has no metadata with key ${key}.`, { resource: 'volume', id: volumeId })
      }
      const { [key]: _removed, ...rest } = volume.metadata
      return tx.volumes.update(volumeId, { metadata: rest, updatedAt: this.#clock.now() })
    })
  }

  async setBootable(owner: Owner, volumeId: string, bootable: boolean): Promise<VolumeDetail> {
    if (typeof bootable !== 'boolean') throw badRequest('bootable must be a boolean', 'bootable')
    return this.#change(owner, volumeId, (tx) => tx.volumes.update(volumeId, { bootable, updatedAt: this.#clock.now() }))
  }

  /** Grows the volume to `newSizeGb`, consuming the extra gigabytes of quota. */
  async extend(owner: Owner, volumeId: string, newSizeGb: number): Promise<VolumeDetail> {
    checkSizeGb(newSizeGb, 'new_size')
    return this.#change(owner, volumeId, async (tx, volume) => {
      if (!EXTENDABLE_VOLUME_STATUSES.includes(volume.status)) throw invalidState('volume', volumeId, 'extend', volume.status)
      if (newSizeGb <= volume.sizeGb) {
        throw badRequest(`New size for extend must be greater than current size. (current: ${volume.sizeGb}, extended: ${newSizeGb}).`, 'new_size')
      }
      await consumeQuotas(tx.quotas, volume.projectId, { gigabytes: newSizeGb - volume.sizeGb })
      return tx.volumes.update(volumeId, { sizeGb: newSizeGb, updatedAt: this.#clock.now() }, EXTENDABLE_VOLUME_STATUSES)
    })
  }

  /**
   * Deletes an available (or failed) volume that no server uses. Its snapshots block the delete unless
   * `cascade`, which deletes them too. Quota comes back for everything deleted.
   */
  async delete(owner: Owner, volumeId: string, options: { readonly cascade?: boolean } = {}): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const volume = await this.#lockOwned(tx, owner, volumeId)
      if (!DELETABLE_VOLUME_STATUSES.includes(volume.status)) throw invalidState('volume', volumeId, 'delete', volume.status)
      if ((await tx.volumeAttachments.listByVolume(volumeId)).length > 0) {
        throw conflict('volume', `Volume ${volumeId} is attached to a server`, volumeId)
      }
      const snapshots = await tx.snapshots.listByVolume(volumeId)
      if (snapshots.length > 0 && !options.cascade) {
        throw conflict('volume', `Volume ${volumeId} still has ${snapshots.length} dependent snapshots`, volumeId)
      }
      const snapshotGb = await deleteSnapshots(tx, snapshots)
      if (!(await tx.volumes.delete(volumeId, DELETABLE_VOLUME_STATUSES))) throw notFound('volume', volumeId)
      await releaseQuotas(tx.quotas, volume.projectId, {
        volumes: 1, snapshots: snapshots.length, gigabytes: volume.sizeGb + snapshotGb,
      })
    })
  }

  /** Public types for everyone; admins also see private ones. */
  listTypes(owner: Owner): Promise<VolumeType[]> {
    return this.#store.volumeTypes.list(!isAdmin(owner))
  }

  getType(owner: Owner, idOrName: string): Promise<VolumeType> {
    return findVolumeType(this.#store, owner, idOrName)
  }

  async defaultType(): Promise<VolumeType> {
    const type = await this.#store.volumeTypes.getDefault()
    if (!type) throw notFound('volume_type', 'default')
    return type
  }

  async createType(owner: Owner, input: VolumeTypeCreateInput): Promise<VolumeType> {
    if (!isAdmin(owner)) {
      throw new DomainError('forbidden', 'Only an administrator may create volume types', { resource: 'volume_type', action: 'create' })
    }
    const name = checkText(input.name, 'name')?.trim()
    if (!name) throw badRequest('Volume type name can not be empty', 'name')
    const extraSpecs = checkMetadata(input.extraSpecs) ?? {}
    return this.#store.transaction(async (tx) => {
      const id = crypto.randomUUID()
      const inserted = await tx.volumeTypes.insert({
        id, name, description: checkText(input.description, 'description') ?? '', isDefault: false,
        isPublic: input.isPublic ?? true, extraSpecs, createdAt: this.#clock.now(),
      })
      if (!inserted) throw conflict('volume_type', `Volume Type ${name} already exists.`)
      const type = await tx.volumeTypes.get(id)
      if (!type) throw notFound('volume_type', id)
      return type
    })
  }

  /** Runs `apply` on the locked, owned volume and returns the result with its attachments. */
  async #change(
    owner: Owner,
    volumeId: string,
    apply: (tx: Repositories, volume: Volume) => Promise<Volume | null>,
  ): Promise<VolumeDetail> {
    return this.#store.transaction(async (tx) => {
      const volume = await this.#lockOwned(tx, owner, volumeId)
      const changed = await apply(tx, volume)
      if (!changed) throw notFound('volume', volumeId)
      return { ...changed, attachments: await tx.volumeAttachments.listByVolume(volumeId) }
    })
  }

  async #lockOwned(tx: Repositories, owner: Owner, volumeId: string): Promise<Volume> {
    const volume = await tx.volumes.lockById(volumeId)
    if (!volume || volume.projectId !== owner.projectId) throw notFound('volume', volumeId)
    return volume
  }

  async #withAttachments(repos: Repositories, volumes: readonly Volume[]): Promise<VolumeDetail[]> {
    const attachments = await repos.volumeAttachments.listByVolumes(volumes.map((volume) => volume.id))
    return volumes.map((volume) => ({
      ...volume, attachments: attachments.filter((attachment) => attachment.volumeId === volume.id),
    }))
  }
}
