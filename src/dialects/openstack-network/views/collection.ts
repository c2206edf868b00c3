/**
 * Neutron's list conventions over the core's keyset pages: filters on any attribute (repeats ORed,
 * different attributes ANDed, an empty value matching an empty attribute), `fields` selection,
 * `limit`/`marker` paging with a `next` link, and the sort parameters. Filters the core understands
 * are passed down; every filter is also checked on the wire view, so both agree by construction.
 */
import type { FastifyRequest } from 'fastify'
import type { Page, PageRequest } from '../../../core/shared/page.ts'
import { badResourceRequest, httpBadRequest } from '../errors.ts'
import { nextLink, type Link } from '../links.ts'
import type { ListQuery, QueryValue } from '../schemas/common.ts'

/** Neutron's pagination_max_limit here: NHN documents 1000 as the largest page. */
export const MAX_PAGE_SIZE = 1000

const COLLECTION_PARAMETERS = new Set(['fields', 'limit', 'marker', 'page_reverse', 'sort_key', 'sort_dir'])

export type WireObject = Readonly<Record<string, unknown>>

export interface ListRequest {
  readonly limit: number
  readonly marker: string | null
  readonly fields: readonly string[] | null
  /** Attribute → accepted values (ORed); attributes ANDed. */
  readonly filters: ReadonlyMap<string, readonly string[]>
}

export function valuesOf(value: QueryValue | undefined): string[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

/** `fields=a&fields=b`: the attributes to return, or null for all. */
export function fieldsOf(value: QueryValue | undefined): string[] | null {
  const fields = valuesOf(value).filter((field) => field !== '')
  return fields.length === 0 ? null : fields
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return MAX_PAGE_SIZE
  const limit = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(limit)) {
    throw badResourceRequest('limit', `Limit must be an integer 0 or greater and not '${text}'`)
  }
  return limit === 0 ? MAX_PAGE_SIZE : Math.min(limit, MAX_PAGE_SIZE)
}

/**
 * Sorting is accepted where it is the order lists already have (oldest first); any other order
 * would need a scan the keyset pages are there to avoid.
 */
function checkSort(query: ListQuery, attributes: ReadonlySet<string>): void {
  const keys = valuesOf(query.sort_key).filter((key) => key !== '')
  const dirs = valuesOf(query.sort_dir).filter((dir) => dir !== '')
  if (keys.length !== dirs.length) throw httpBadRequest('The number of sort_keys and sort_dirs must be same')
  const unknown = keys.filter((key) => !attributes.has(key))
  if (unknown.length > 0) throw httpBadRequest(`${pythonList(unknown)} is invalid attribute for sort_keys`)
  const badDirs = dirs.filter((dir) => dir !== 'asc' && dir !== 'desc')
  if (badDirs.length > 0) {
    throw httpBadRequest(`${pythonList(badDirs)} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`)
  }
  keys.forEach((key, index) => {
    if (key !== 'created_at' || dirs[index] !== 'asc') {
      throw httpBadRequest(`Sorting by ${key} ${dirs[index]} is not supported; lists are ordered by created_at asc`)
    }
  })
}

function pythonList(values: readonly string[]): string {
  return `[${values.map((value) => `'${value}'`).join(', ')}]`
}

export function parseListQuery(query: ListQuery, attributes: ReadonlySet<string>): ListRequest {
  if ((valuesOf(query.page_reverse).at(-1) ?? 'false').toLowerCase() === 'true') {
    throw httpBadRequest('page_reverse=True is not supported; follow the next links from the first page')
  }
  checkSort(query, attributes)
  const filters = new Map<string, string[]>()
  for (const [name, value] of Object.entries(query)) {
    if (COLLECTION_PARAMETERS.has(name) || value === undefined) continue
    filters.set(name, valuesOf(value))
  }
  const marker = valuesOf(query.marker).at(-1) || null
  return { limit: parseLimit(valuesOf(query.limit).at(-1)), marker, fields: fieldsOf(query.fields), filters }
}

/** The single value of a filter when exactly one non-empty value is given (what the core can take). */
export function singleFilter(filters: ReadonlyMap<string, readonly string[]>, name: string): string | undefined {
  const values = filters.get(name)
  return values && values.length === 1 && values[0] !== '' ? values[0] : undefined
}

/** neutron_lib's convert_to_boolean. */
export function parseBoolean(text: string, name: string): boolean {
  const lowered = text.toLowerCase()
  if (lowered === 'true' || lowered === '1') return true
  if (lowered === 'false' || lowered === '0') return false
  throw httpBadRequest(`Invalid input for ${name}. Reason: '${text}' cannot be converted to boolean.`)
}

export function singleBooleanFilter(filters: ReadonlyMap<string, readonly string[]>, name: string): boolean | undefined {
  const value = singleFilter(filters, name)
  return value === undefined ? undefined : parseBoolean(value, name)
}

function valueMatches(actual: unknown, wanted: string, name: string): boolean {
  if (actual === null || actual === undefined) return wanted === ''
  if (typeof actual === 'boolean') return parseBoolean(wanted, name) === actual
  if (typeof actual === 'number') return Number(wanted) === actual
  if (typeof actual === 'string') return actual === wanted
  if (Array.isArray(actual)) return actual.some((item) => typeof item === 'string' && item === wanted)
  return false
}

/** A filter that does not compare one attribute with its value (fixed_ips, tags). */
export type SpecialFilter = (wire: WireObject, values: readonly string[]) => boolean

/** Tags are kept by no resource here: a tag filter matches nothing, an exclusion matches everything. */
export const tagFilters: Readonly<Record<string, SpecialFilter>> = {
  'tags': (_wire, values) => values.length === 0,
  'tags-any': (_wire, values) => values.length === 0,
  'not-tags': () => true,
  'not-tags-any': () => true,
}

export function matchesFilters(
  wire: WireObject, filters: ReadonlyMap<string, readonly string[]>, special: Readonly<Record<string, SpecialFilter>> = {},
): boolean {
  for (const [name, values] of filters) {
    const custom = special[name] ?? tagFilters[name]
    if (custom) {
      if (!custom(wire, values)) return false
      continue
    }
    if (!values.some((value) => valueMatches(wire[name], value, name))) return false
  }
  return true
}

/** Keeps only the requested attributes (all when `fields` is null). */
export function selectFields<W extends WireObject>(wire: W, fields: readonly string[] | null): Partial<W> {
  if (fields === null) return wire
  return Object.fromEntries(fields.filter((field) => field in wire).map((field) => [field, wire[field]])) as Partial<W>
}

export interface CollectionSource<T extends { readonly id: string }, W extends WireObject> {
  /** One core page (filters the core understands already applied). */
  page(request: PageRequest): Promise<Page<T>>
  /** Core items to wire views, in order (batched, so views needing lookups can share them). */
  toWire(items: readonly T[]): Promise<W[]>
  readonly special?: Readonly<Record<string, SpecialFilter>>
}

export interface Collection<W extends WireObject> {
  readonly items: Partial<W>[]
  readonly links: Link[]
}

/**
 * Walks core pages from the marker until `limit` matching items are found, then adds a `next` link if
 * more may follow. The marker is the id of an item the caller can see (the core checks it).
 */
export async function listCollection<T extends { readonly id: string }, W extends WireObject & { readonly id: string }>(
  httpRequest: FastifyRequest, list: ListRequest, source: CollectionSource<T, W>,
): Promise<Collection<W>> {
  const found: W[] = []
  let marker = list.marker
  let more = false
  for (;;) {
    const page = await source.page({ limit: list.limit, marker })
    const wires = await source.toWire(page.items)
    const matching = wires.filter((wire) => matchesFilters(wire, list.filters, source.special))
    const room = list.limit - found.length
    found.push(...matching.slice(0, room))
    if (matching.length > room || (found.length === list.limit && page.hasMore)) {
      more = true
      break
    }
    if (!page.hasMore || page.items.length === 0) break
    marker = page.items[page.items.length - 1].id
  }
  const last = found.at(-1)
  return {
    items: found.map((wire) => selectFields(wire, list.fields)),
    links: more && last ? [nextLink(httpRequest, last.id)] : [],
  }
}

/** `{"<collection>": [...], "<collection>_links": [...]}`, the links only when there is a next page. */
export function collectionBody<W extends WireObject, K extends string>(
  name: K, collection: Collection<W>,
): Record<K, Partial<W>[]> & Partial<Record<`${K}_links`, Link[]>> {
  const body: Record<string, unknown> = { [name]: collection.items }
  if (collection.links.length > 0) body[`${name}_links`] = collection.links
  return body as Record<K, Partial<W>[]> & Partial<Record<`${K}_links`, Link[]>>
}
