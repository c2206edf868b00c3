/**
 * Images between the core and Glance v2: the image document (base attributes plus every additional
 * property flattened to the top level), list pages with Glance's `first`/`next` links, and the create
 * body and JSON-patch document turned into core inputs with Glance's refusals.
 */
import { DomainError, badRequest } from '../../../core/shared/errors.ts'
import type { Page } from '../../../core/shared/page.ts'
import type { Image, ImageVisibility } from '../../../core/images/image.ts'
import type { ImageCreateInput, ImageListQuery as CoreListQuery, ImagePropertyChange, ImageUpdate } from '../../../core/images/image-service.ts'
import type { ImageScope } from '../../../core/images/image-repositories.ts'
import type { ImageCreateBody, ImageList, ImageListQuery, ImagePatchBody, ImageView } from '../schemas/images.ts'

/** Glance's `limit_param_default` and `api_limit_max`. */
export const DEFAULT_PAGE_SIZE = 25
export const MAX_PAGE_SIZE = 1000

/** Attributes Glance computes itself: setting them is a 403 "is read-only". */
const READ_ONLY = new Set([
  'id', 'status', 'size', 'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'created_at', 'updated_at',
  'self', 'file', 'schema', 'direct_url', 'owner',
])

/** Parameters the list understands itself; every other one filters on an additional property. */
const LIST_PARAMETERS = new Set(['limit', 'marker', 'name', 'status', 'visibility', 'member_status', 'owner', 'tag', 'sort_key', 'sort_dir', 'sort'])

/** Glance filters the core has no index for: refused rather than silently matching nothing. */
const UNSUPPORTED_FILTERS = new Set([
  'size_min', 'size_max', 'created_at', 'updated_at', 'protected', 'os_hidden', 'id', 'checksum', 'container_format',
  'disk_format', 'os_hash_value',
])

/** Glance's `YYYY-MM-DDThh:mm:ssZ`. */
export function glanceTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}

export function imageView(image: Image): ImageView {
  return {
    ...image.properties,
    id: image.id,
    name: image.name === '' ? null : image.name,
    status: image.status,
    visibility: image.visibility,
    protected: image.protected,
    os_hidden: false,
    tags: [...image.tags],
    container_format: image.containerFormat,
    disk_format: image.diskFormat,
    min_disk: image.minDiskGb,
    min_ram: image.minRamMb,
    size: image.sizeBytes,
    virtual_size: image.virtualSizeBytes,
    checksum: image.checksumMd5,
    os_hash_algo: image.sha512 === null ? null : 'sha512',
    os_hash_value: image.sha512,
    owner: image.ownerProjectId,
    created_at: glanceTime(image.createdAt),
    updated_at: glanceTime(image.updatedAt),
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  }
}

/** `rawQuery` is the request's query string as sent, so that `first` and `next` keep the caller's filters. */
export function imageListView(page: Page<Image>, rawQuery: string, pageSize: number): ImageList {
  const params = new URLSearchParams(rawQuery)
  params.delete('marker')
  const first = params.size === 0 ? '/v2/images' : `/v2/images?${params.toString()}`
  const body: ImageList = { images: page.items.map(imageView), first, schema: '/v2/schemas/images' }
  const last = page.items.at(-1)
  if (page.hasMore && last) {
    params.set('limit', String(pageSize))
    params.set('marker', last.id)
    body.next = `/v2/images?${params.toString()}`
  }
  return body
}

export function pageSizeOf(limit: number | undefined): number {
  return Math.min(limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
}

export function listInput(query: ImageListQuery): CoreListQuery {
  const properties: Record<string, string> = {}
  for (const [key, value] of Object.entries(query)) {
    if (LIST_PARAMETERS.has(key)) continue
    if (UNSUPPORTED_FILTERS.has(key)) throw badRequest(`Filtering images by ${key} is not supported by this cloud.`, key)
    if (typeof value !== 'string') throw badRequest(`Filter ${key} must be given once.`, key)
    properties[key] = value
  }
  return {
    limit: pageSizeOf(query.limit),
    marker: query.marker ?? null,
    visibility: query.visibility as ImageScope | undefined,
    memberStatus: query.member_status as CoreListQuery['memberStatus'],
    name: query.name,
    status: query.status,
    tags: query.tag,
    ownerProjectId: query.owner,
    properties: Object.keys(properties).length > 0 ? properties : undefined,
    direction: sortDirection(query),
  }
}

/**
 * Images are kept in (created_at, id) order only, so `created_at` is the one sort key served (either
 * direction); Glance's other keys are refused with 400 rather than answered in the wrong order.
 */
function sortDirection(query: ImageListQuery): 'asc' | 'desc' {
  if (query.sort !== undefined) {
    if (query.sort_key !== undefined || query.sort_dir !== undefined) {
      throw badRequest('The sort param cannot be used with the sort_key or sort_dir params.', 'sort')
    }
    const keys = query.sort.split(',').map((part) => part.trim()).filter((part) => part !== '')
    if (keys.length === 0) return 'desc'
    const [key, dir = 'asc'] = keys[0].split(':')
    checkSortKey(key)
    if (keys.length > 1) checkSortKey(keys[1].split(':')[0], true)
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid sort direction: ${dir}`, 'sort')
    return dir
  }
  checkSortKey(query.sort_key ?? 'created_at')
  return query.sort_dir ?? 'desc'
}

function checkSortKey(key: string, tieBreak = false): void {
  if (key === 'created_at' || (tieBreak && key === 'id')) return
  throw badRequest(`Sorting images by ${key} is not supported by this cloud; use created_at.`, 'sort_key')
}

function readOnly(attribute: string): DomainError {
  return new DomainError('forbidden', `Attribute '${attribute}' is read-only.`, { resource: 'image', field: attribute })
}

function checkHidden(value: unknown): void {
  if (value === true) throw badRequest('Hidden images (os_hidden) are not supported by this cloud.', 'os_hidden')
  if (value !== false) throw badRequest('os_hidden must be a boolean', 'os_hidden')
}

export function createInput(body: ImageCreateBody, projectId: string): ImageCreateInput {
  const {
    id, name, visibility, protected: isProtected, os_hidden: hidden, container_format: containerFormat,
    disk_format: diskFormat, min_disk: minDisk, min_ram: minRam, tags, owner, ...rest
  } = body
  if (hidden !== undefined) checkHidden(hidden)
  if (owner !== undefined && owner !== null && owner !== projectId) {
    throw new DomainError('forbidden', 'You are not permitted to create images owned by another project.', { resource: 'image' })
  }
  const properties: Record<string, string> = {}
  for (const [key, value] of Object.entries(rest)) {
    if (READ_ONLY.has(key)) throw readOnly(key)
    if (typeof value !== 'string') throw badRequest(`Provided object does not match schema 'image': ${key} is not of type 'string'`, key)
    properties[key] = value
  }
  return {
    id,
    name: name ?? undefined,
    visibility,
    protected: isProtected,
    containerFormat,
    diskFormat,
    minDiskGb: minDisk,
    minRamMb: minRam,
    tags,
    properties,
  }
}

/** RFC 6901 pointer segments: `~1` is `/`, `~0` is `~`. */
function pointer(path: string): string[] {
  return path.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function expectString(value: unknown, attribute: string, nullable = false): string | null {
  if (typeof value === 'string') return value
  if (nullable && value === null) return null
  throw badRequest(`Invalid value for ${attribute}: ${JSON.stringify(value) ?? 'missing'} is not of type 'string'`, attribute)
}

function expectCount(value: unknown, attribute: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value
  throw badRequest(`Invalid value for ${attribute}: ${JSON.stringify(value) ?? 'missing'} must be a non-negative integer`, attribute)
}

type MutableUpdate = { -readonly [K in keyof ImageUpdate]: ImageUpdate[K] }

/** Glance v2.1 JSON-patch semantics: add and replace both set a value; remove works on additional properties only. */
export function patchInput(patch: ImagePatchBody): ImageUpdate {
  const update: MutableUpdate = {}
  const properties: ImagePropertyChange[] = []
  for (const change of patch) {
    const segments = pointer(change.path)
    const attribute = segments[0]
    if (segments.length !== 1 || attribute === '') {
      if (attribute === 'locations') {
        throw new DomainError('forbidden', "It's not allowed to update locations if locations are invisible.", { resource: 'image' })
      }
      throw badRequest(`Invalid JSON pointer for this resource: '${change.path}'`, 'path')
    }
    if (change.op !== 'remove' && !('value' in change)) throw badRequest(`Unable to find 'value' in JSON Schema change`, 'value')
    if (READ_ONLY.has(attribute)) throw readOnly(attribute)
    if (attribute === 'locations') {
      throw new DomainError('forbidden', "It's not allowed to update locations if locations are invisible.", { resource: 'image' })
    }
    const value = change.value
    const base = BASE_SETTERS[attribute]
    if (base) {
      if (change.op === 'remove') {
        throw new DomainError('forbidden', `Property ${attribute} may not be removed.`, { resource: 'image', field: attribute })
      }
      base(update, value)
      continue
    }
    if (change.op === 'remove') properties.push({ op: 'remove', name: attribute })
    else properties.push({ op: change.op, name: attribute, value: expectString(value, attribute) as string })
  }
  if (properties.length > 0) update.properties = properties
  return update
}

const VISIBILITIES: readonly string[] = ['public', 'private', 'shared', 'community']

const BASE_SETTERS: Readonly<Record<string, (update: MutableUpdate, value: unknown) => void>> = {
  name: (update, value) => { update.name = expectString(value, 'name', true) ?? '' },
  visibility: (update, value) => {
    const visibility = expectString(value, 'visibility')
    if (!VISIBILITIES.includes(visibility as string)) throw badRequest(`Invalid visibility value: ${visibility}`, 'visibility')
    update.visibility = visibility as ImageVisibility
  },
  protected: (update, value) => {
    if (typeof value !== 'boolean') throw badRequest(`Invalid value for protected: ${JSON.stringify(value)} is not of type 'boolean'`, 'protected')
    update.protected = value
  },
  os_hidden: (_update, value) => checkHidden(value),
  min_disk: (update, value) => { update.minDiskGb = expectCount(value, 'min_disk') },
  min_ram: (update, value) => { update.minRamMb = expectCount(value, 'min_ram') },
  disk_format: (update, value) => { update.diskFormat = expectString(value, 'disk_format', true) },
  container_format: (update, value) => { update.containerFormat = expectString(value, 'container_format', true) },
  tags: (update, value) => {
    if (!Array.isArray(value) || value.some((tag) => typeof tag !== 'string')) {
      throw badRequest("Invalid value for tags: must be a list of strings", 'tags')
    }
    update.tags = value as string[]
  },
}
