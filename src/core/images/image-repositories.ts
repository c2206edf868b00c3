/** Ports for images and image members; changes that depend on the status are conditional. */
import type { DirectedKeysetRequest as KeysetRequest } from '../shared/keyset.ts'
import type { Image, ImageMember, ImageMemberStatus, ImageStatus, ImageVisibility } from './image.ts'

/**
 * Which images a project may list, as Glance decides it:
 * - `default`: public, the project's own (any visibility), and shared images where the project is a
 *   member whose status matches `memberStatus`;
 * - `all`: the same plus every community image;
 * - one visibility: images of that visibility the project can see (for `shared`: its own shared
 *   images and those it is a member of, with `memberStatus`).
 */
export type ImageScope = 'default' | 'all' | ImageVisibility

export interface ImageQuery {
  readonly projectId: string
  readonly scope: ImageScope
  /** Applies to shared images the project is a member of; `all` matches any status. */
  readonly memberStatus: ImageMemberStatus | 'all'
  readonly name?: string
  readonly status?: ImageStatus
  /** Every one of these tags must be on the image. */
  readonly tags?: readonly string[]
  readonly ownerProjectId?: string
  /** Each property must be present with exactly this value. */
  readonly properties?: Readonly<Record<string, string>>
}

export interface ImageChanges {
  readonly name?: string
  readonly status?: ImageStatus
  readonly visibility?: ImageVisibility
  readonly diskFormat?: Image['diskFormat']
  readonly containerFormat?: Image['containerFormat']
  readonly minDiskGb?: number
  readonly minRamMb?: number
  readonly sizeBytes?: number | null
  readonly virtualSizeBytes?: number | null
  readonly checksumMd5?: string | null
  readonly sha512?: string | null
  readonly protected?: boolean
  readonly osType?: Image['osType']
  readonly properties?: Readonly<Record<string, string>>
  readonly tags?: readonly string[]
  readonly filePath?: string | null
  readonly updatedAt: Date
}

export interface ImageRepository {
  /** Inserts unless the id is taken; false when it was. */
  insert(image: Image): Promise<boolean>
  /** Any image by id; visibility is the caller's decision. */
  get(id: string): Promise<Image | null>
  /** Holds the image against concurrent changes until the transaction ends; null when missing. */
  lockById(id: string): Promise<Image | null>
  /** A public image owned by nobody, by exact name (for idempotent seeding). */
  findPublicByName(name: string): Promise<Image | null>
  list(query: ImageQuery, page: KeysetRequest): Promise<Image[]>
  /** Applies `changes` only while the status is one of `expected` (any when omitted); null otherwise. */
  update(id: string, changes: ImageChanges, expected?: readonly ImageStatus[]): Promise<Image | null>
  delete(id: string): Promise<boolean>
}

export interface ImageMemberRepository {
  /** Inserts unless the project already is a member; false when it was. */
  insert(member: ImageMember): Promise<boolean>
  get(imageId: string, memberProjectId: string): Promise<ImageMember | null>
  list(imageId: string): Promise<ImageMember[]>
  count(imageId: string): Promise<number>
  setStatus(imageId: string, memberProjectId: string, status: ImageMemberStatus, updatedAt: Date): Promise<ImageMember | null>
  delete(imageId: string, memberProjectId: string): Promise<boolean>
}

export interface ImageRepositories {
  readonly images: ImageRepository
  readonly imageMembers: ImageMemberRepository
}
