/**
 * Images as Glance v2 models them. Glance's base attributes are fields here; everything else a client
 * sets is a string property.
 */

export type ImageStatus =
  | 'queued' | 'saving' | 'uploading' | 'importing' | 'active' | 'deactivated' | 'killed' | 'deleted'
  | 'pending_delete'

export type ImageVisibility = 'public' | 'private' | 'shared' | 'community'
export const IMAGE_VISIBILITIES: readonly ImageVisibility[] = ['public', 'private', 'shared', 'community']

/** Glance's default `disk_formats` option. */
export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'] as const
export type DiskFormat = (typeof DISK_FORMATS)[number]

/** Glance's default `container_formats` option. */
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] as const
export type ContainerFormat = (typeof CONTAINER_FORMATS)[number]

export type OsType = 'linux' | 'windows'

export interface Image {
  readonly id: string
  /** Null for images the cloud itself provides (the seeded public images). */
  readonly ownerProjectId: string | null
  readonly name: string
  readonly status: ImageStatus
  readonly visibility: ImageVisibility
  readonly diskFormat: DiskFormat | null
  readonly containerFormat: ContainerFormat | null
  readonly minDiskGb: number
  readonly minRamMb: number
  readonly sizeBytes: number | null
  readonly virtualSizeBytes: number | null
  /** MD5 of the data, hex (Glance `checksum`). */
  readonly checksumMd5: string | null
  /** SHA-512 of the data, hex (Glance `os_hash_value` with `os_hash_algo` sha512). */
  readonly sha512: string | null
  readonly protected: boolean
  readonly osType: OsType
  readonly properties: Readonly<Record<string, string>>
  readonly tags: readonly string[]
  /**
   * Where the image's bytes are on this machine (in the image file store), for drivers that read the
   * file directly; null when the image has no data (queued, or a seeded image).
   */
  readonly filePath: string | null
  /** The server this image was taken from (a server snapshot), or null. */
  readonly sourceServerId: string | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type ImageMemberStatus = 'pending' | 'accepted' | 'rejected'
export const IMAGE_MEMBER_STATUSES: readonly ImageMemberStatus[] = ['pending', 'accepted', 'rejected']

export interface ImageMember {
  readonly imageId: string
  readonly memberProjectId: string
  readonly status: ImageMemberStatus
  readonly createdAt: Date
  readonly updatedAt: Date
}
