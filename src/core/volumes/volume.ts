/**
 * Block storage as Cinder models it: volumes of a volume type, attachments of a volume to servers, and
 * snapshots of a volume. Statuses use Cinder's vocabulary; in this version the work behind a status
 * change is bookkeeping only, so the transitional statuses last only as long as an attach or detach.
 */

/** Cinder's volume statuses (the subset this version can reach, plus the error_* family). */
export type VolumeStatus =
  | 'creating' | 'available' | 'reserved' | 'attaching' | 'detaching' | 'in-use' | 'deleting' | 'extending'
  | 'error' | 'error_deleting' | 'error_extending' | 'error_restoring' | 'error_managing'

export interface Volume {
  readonly id: string
  readonly projectId: string
  readonly userId: string | null
  readonly name: string
  readonly description: string
  readonly sizeGb: number
  readonly volumeTypeId: string
  /** The type's name at read time (the id when the type no longer exists). */
  readonly volumeTypeName: string
  readonly status: VolumeStatus
  readonly bootable: boolean
  readonly multiattach: boolean
  readonly imageId: string | null
  readonly snapshotId: string | null
  readonly sourceVolumeId: string | null
  readonly availabilityZone: string
  readonly metadata: Readonly<Record<string, string>>
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** A volume with the attachments that Cinder's volume view embeds. */
export interface VolumeDetail extends Volume {
  readonly attachments: readonly Attachment[]
}

export interface VolumeType {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly isDefault: boolean
  readonly isPublic: boolean
  readonly extraSpecs: Readonly<Record<string, string>>
  readonly createdAt: Date
}

/** Cinder's attachment statuses, as far as a reserve → attach → detach cycle goes. */
export type AttachmentStatus = 'attaching' | 'attached' | 'detaching'

export interface Attachment {
  readonly id: string
  readonly projectId: string
  readonly volumeId: string
  readonly serverId: string
  /** e.g. /dev/vdb; /dev/vda is the root disk. */
  readonly device: string
  /** 0 for the boot volume, a larger number for later boot order, null when not bootable. */
  readonly bootIndex: number | null
  readonly deleteOnTermination: boolean
  readonly status: AttachmentStatus
  readonly createdAt: Date
}

export type SnapshotStatus = 'creating' | 'available' | 'deleting' | 'error' | 'error_deleting'

export interface Snapshot {
  readonly id: string
  readonly projectId: string
  readonly volumeId: string
  readonly name: string
  readonly description: string
  readonly sizeGb: number
  readonly status: SnapshotStatus
  readonly metadata: Readonly<Record<string, string>>
  readonly createdAt: Date
  readonly updatedAt: Date
}
