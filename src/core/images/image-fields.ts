/** Input checks for images, with Glance v2's rules and default limits. */
import { DomainError, badRequest } from '../shared/errors.ts'
import {
  CONTAINER_FORMATS, DISK_FORMATS, IMAGE_VISIBILITIES,
  type ContainerFormat, type DiskFormat, type ImageVisibility, type OsType,
} from './image.ts'

/** Glance's image_property_quota, image_tag_quota and image_member_quota defaults. */
export const MAX_IMAGE_PROPERTIES = 128
export const MAX_IMAGE_TAGS = 128
export const MAX_IMAGE_MEMBERS = 128

const MAX_NAME = 255
const MAX_TAG = 255
const MAX_PROPERTY_KEY = 255
const MAX_PROPERTY_VALUE = 65_535
const MAX_INT32 = 2_147_483_647

/**
 * Glance's base attributes: they are fields, or read-only, so a client cannot set them as properties
 * (Glance answers 403). The `os_glance_` namespace is reserved for Glance itself.
 */
const RESERVED_ATTRIBUTES = new Set([
  'id', 'name', 'status', 'visibility', 'protected', 'min_disk', 'min_ram', 'disk_format', 'container_format',
  'tags', 'owner', 'size', 'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'created_at',
  'updated_at', 'file', 'schema', 'locations', 'direct_url', 'self', 'deleted', 'deleted_at', 'members',
])

export function isReservedAttribute(key: string): boolean {
  return RESERVED_ATTRIBUTES.has(key) || key.startsWith('os_glance_')
}

export function checkImageName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined
  if (typeof name !== 'string' || name.length > MAX_NAME) throw badRequest('name must be a string of at most 255 characters', 'name')
  return name
}

export function checkVisibility(visibility: string | undefined): ImageVisibility | undefined {
  if (visibility === undefined) return undefined
  if (!(IMAGE_VISIBILITIES as readonly string[]).includes(visibility)) {
    throw badRequest(`Invalid visibility value: ${visibility}`, 'visibility')
  }
  return visibility as ImageVisibility
}

export function checkDiskFormat(format: string | null | undefined): DiskFormat | null | undefined {
  if (format === undefined || format === null) return format
  if (!(DISK_FORMATS as readonly string[]).includes(format)) {
    throw badRequest(`Invalid disk format '${format}' for image; valid formats are ${DISK_FORMATS.join(', ')}`, 'disk_format')
  }
  return format as DiskFormat
}

export function checkContainerFormat(format: string | null | undefined): ContainerFormat | null | undefined {
  if (format === undefined || format === null) return format
  if (!(CONTAINER_FORMATS as readonly string[]).includes(format)) {
    throw badRequest(
      `Invalid container format '${format}' for image; valid formats are ${CONTAINER_FORMATS.join(', ')}`, 'container_format')
  }
  return format as ContainerFormat
}

/** Glance: an Amazon kernel, ramdisk or machine image has the same disk and container format. */
export function checkFormatPair(disk: DiskFormat | null, container: ContainerFormat | null): void {
  const amazon = ['aki', 'ari', 'ami']
  if (disk === null || container === null) return
  if ((amazon.includes(disk) || amazon.includes(container)) && disk !== container) {
    throw badRequest("Invalid mix of disk and container formats. When setting a disk or container format to one of "
      + "'aki', 'ari', or 'ami', the container and disk formats must match.", 'disk_format')
  }
}

export function checkMinimum(value: number | undefined, field: 'min_disk' | 'min_ram'): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || value < 0 || value > MAX_INT32) {
    throw badRequest(`${field} must be a non-negative integer`, field)
  }
  return value
}

export function checkTag(tag: string): string {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > MAX_TAG) {
    throw badRequest('A tag must be 1 to 255 characters', 'tags')
  }
  return tag
}

/** Distinct tags in their first order, within Glance's tag quota. */
export function checkTags(tags: readonly string[] | undefined): string[] | undefined {
  if (tags === undefined) return undefined
  if (!Array.isArray(tags)) throw badRequest('tags must be a list of strings', 'tags')
  const distinct = [...new Set(tags.map(checkTag))]
  checkTagCount(distinct.length)
  return distinct
}

export function checkTagCount(count: number): void {
  if (count > MAX_IMAGE_TAGS) throw overLimit('image_tags', MAX_IMAGE_TAGS)
}

export function checkPropertyName(key: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_PROPERTY_KEY) {
    throw badRequest('Property names must be 1 to 255 characters', 'properties')
  }
  if (isReservedAttribute(key)) {
    throw new DomainError('forbidden', `Attribute '${key}' is reserved.`, { resource: 'image', field: key })
  }
  return key
}

export function checkPropertyValue(key: string, value: string): string {
  if (typeof value !== 'string' || value.length > MAX_PROPERTY_VALUE) {
    throw badRequest(`Property ${key} must be a string of at most ${MAX_PROPERTY_VALUE} characters`, 'properties')
  }
  return value
}

export function checkProperties(
  properties: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  if (properties === undefined) return undefined
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    throw badRequest('properties must be an object of strings', 'properties')
  }
  const checked: Record<string, string> = {}
  for (const [key, value] of Object.entries(properties)) checked[checkPropertyName(key)] = checkPropertyValue(key, value)
  checkPropertyCount(Object.keys(checked).length)
  return checked
}

export function checkPropertyCount(count: number): void {
  if (count > MAX_IMAGE_PROPERTIES) throw overLimit('image_properties', MAX_IMAGE_PROPERTIES)
}

/** The common image property `os_type` (Glance's metadefs) decides how a server boots the image. */
export function osTypeOf(properties: Readonly<Record<string, string>>): OsType {
  return properties.os_type?.toLowerCase() === 'windows' ? 'windows' : 'linux'
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

export function checkImageId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined
  if (typeof id !== 'string' || !UUID.test(id)) throw badRequest(`id ${id} is not a valid UUID`, 'id')
  return id
}

/** Glance answers 413 when a per-image limit (tags, properties, members) would be passed. */
export function overLimit(quota: 'image_tags' | 'image_properties' | 'image_members', limit: number): DomainError {
  return new DomainError('quota_exceeded', `Maximum number of ${quota.replace('image_', '')} per image exceeded (${limit})`, {
    resource: 'image', quota,
  })
}
