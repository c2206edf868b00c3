/**
 * Ports for block storage. Methods that change a row are conditional (they name the statuses they
 * expect) so that a concurrent change loses cleanly with null/false instead of overwriting.
 */
import type { DirectedKeysetRequest as KeysetRequest } from '../shared/keyset.ts'
import type {
  Attachment, AttachmentStatus, Snapshot, SnapshotStatus, Volume, VolumeStatus, VolumeType,
} from './volume.ts'

export type NewVolume = Omit<Volume, 'volumeTypeName'>

export interface VolumeFilter {
  readonly name?: string
  readonly status?: VolumeStatus
  readonly bootable?: boolean
}

export interface VolumeChanges {
  readonly name?: string
  readonly description?: string
  readonly metadata?: Readonly<Record<string, string>>
  readonly bootable?: boolean
  readonly sizeGb?: number
  readonly status?: VolumeStatus
  readonly updatedAt: Date
}

export interface VolumeRepository {
  insert(volume: NewVolume): Promise<void>
  /** The project's volume, or null (another project's volume is null too). */
  get(projectId: string, id: string): Promise<Volume | null>
  /** Any project's volume: for bookkeeping reached through an attachment or a server. */
  getById(id: string): Promise<Volume | null>
  /** Any project's volumes with these ids (missing ones are left out). */
  getByIds(ids: readonly string[]): Promise<Volume[]>
  /**
   * Reads the volume and holds it against concurrent changes until the transaction ends (a row lock
   * on PostgreSQL; SQLite transactions are serialized already). Null when it does not exist.
   */
  lockById(id: string): Promise<Volume | null>
  list(projectId: string, filter: VolumeFilter, page: KeysetRequest): Promise<Volume[]>
  /**
   * Applies `changes` only while the volume's status is one of `expected` (any status when omitted);
   * returns the updated volume, or null when the volume is missing or in another status.
   */
  update(id: string, changes: VolumeChanges, expected?: readonly VolumeStatus[]): Promise<Volume | null>
  /** Deletes the volume only while its status is one of `expected`. */
  delete(id: string, expected: readonly VolumeStatus[]): Promise<boolean>
}

export interface NewVolumeType {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly isDefault: boolean
  readonly isPublic: boolean
  readonly extraSpecs: Readonly<Record<string, string>>
  readonly createdAt: Date
}

export interface VolumeTypeRepository {
  /** Inserts unless the name is taken; false when it was. */
  insert(type: NewVolumeType): Promise<boolean>
  get(id: string): Promise<VolumeType | null>
  getByName(name: string): Promise<VolumeType | null>
  getDefault(): Promise<VolumeType | null>
  /** Every type, by name; `publicOnly` hides the private ones. */
  list(publicOnly: boolean): Promise<VolumeType[]>
  /** Makes this type the only default. */
  setDefault(id: string): Promise<void>
}

export interface VolumeAttachmentRepository {
  /**
   * Inserts unless the volume is already on that server or the device is taken on that server;
   * false then (the caller finds out which).
   */
  insert(attachment: Attachment): Promise<boolean>
  get(id: string): Promise<Attachment | null>
  find(volumeId: string, serverId: string): Promise<Attachment | null>
  listByVolume(volumeId: string): Promise<Attachment[]>
  listByVolumes(volumeIds: readonly string[]): Promise<Attachment[]>
  /** All attachments of these servers, boot order first, then by device. */
  listByServers(serverIds: readonly string[]): Promise<Attachment[]>
  /** Changes the status only from `expected`; null when the attachment is missing or elsewhere. */
  setStatus(id: string, status: AttachmentStatus, expected: readonly AttachmentStatus[]): Promise<Attachment | null>
  setDeleteOnTermination(id: string, deleteOnTermination: boolean): Promise<Attachment | null>
  delete(id: string): Promise<boolean>
}

export interface SnapshotFilter {
  readonly name?: string
  readonly status?: SnapshotStatus
  readonly volumeId?: string
}

export interface SnapshotChanges {
  readonly name?: string
  readonly description?: string
  readonly metadata?: Readonly<Record<string, string>>
  readonly status?: SnapshotStatus
  readonly updatedAt: Date
}

export interface SnapshotRepository {
  insert(snapshot: Snapshot): Promise<void>
  get(projectId: string, id: string): Promise<Snapshot | null>
  list(projectId: string, filter: SnapshotFilter, page: KeysetRequest): Promise<Snapshot[]>
  listByVolume(volumeId: string): Promise<Snapshot[]>
  countByVolume(volumeId: string): Promise<number>
  update(id: string, changes: SnapshotChanges, expected?: readonly SnapshotStatus[]): Promise<Snapshot | null>
  delete(id: string, expected: readonly SnapshotStatus[]): Promise<boolean>
}

export interface StorageRepositories {
  readonly volumes: VolumeRepository
  readonly volumeTypes: VolumeTypeRepository
  readonly volumeAttachments: VolumeAttachmentRepository
  readonly snapshots: SnapshotRepository
}
