import { randomUUID } from 'node:crypto'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import { badRequest, conflict, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import type { Page, PageRequest } from '../shared/page.ts'
import { markerNotFound, requireAdmin, requireValidLimit } from './catalog-guards.ts'
import type { TransactionalRepositories } from './compute-catalog-repositories.ts'
import type { Flavor, FlavorCatalog } from './flavor.ts'
import type { FlavorRepository } from './flavor-repository.ts'

export interface FlavorRepositories {
  readonly flavors: FlavorRepository
}

export interface FlavorListFilter {
  /** Nova minDisk (GB): keep flavors whose root disk is at least this. */
  readonly minDiskGb?: number
  /** Nova minRam (MB): keep flavors with at least this much RAM. */
  readonly minRamMb?: number
  /**
   * Admins only (others always see public flavors): true or absent = public only, as Nova defaults;
   * false = private only; null = all. See parseIsPublicFilter for the query string forms.
   */
  readonly isPublic?: boolean | null
  /** Only one vendor's catalog; absent = every flavor. */
  readonly catalog?: FlavorCatalog
}

export interface FlavorCreateInput {
  /** Absent or `auto`: a new UUID, as Nova's `id: auto`. */
  readonly id?: string
  readonly name: string
  readonly description?: string | null
  readonly vcpus: number
  readonly ramMb: number
  readonly diskGb: number
  readonly ephemeralGb?: number
  readonly swapMb?: number
  readonly rxtxFactor?: number
  readonly isPublic?: boolean
  readonly disabled?: boolean
  readonly extraSpecs?: Readonly<Record<string, string>>
}

/** A flavor the bootstrap installs: fixed id, so that every start and every node agrees on it. */
export type FlavorSeed = FlavorCreateInput & { readonly id: string }

export interface FlavorServiceDependencies {
  readonly store: TransactionalRepositories<FlavorRepositories>
  readonly clock: Clock
  readonly ids?: IdGenerator
}

export class FlavorService {
  readonly #store: TransactionalRepositories<FlavorRepositories>
  readonly #clock: Clock
  readonly #newId: () => string

  constructor(deps: FlavorServiceDependencies) {
    this.#store = deps.store
    this.#clock = deps.clock
    const ids = deps.ids
    this.#newId = ids ? () => ids.uuid() : randomUUID
  }

  /**
   * Nova semantics: flavors sorted by id; non-admins see public, enabled flavors only; an unknown
   * marker is a bad request.
   */
  async list(owner: Owner, filter: FlavorListFilter, page: PageRequest): Promise<Page<Flavor>> {
    requireValidLimit(page)
    const minDiskGb = optionalNonNegative(filter.minDiskGb, 'minDisk')
    const minRamMb = optionalNonNegative(filter.minRamMb, 'minRam')
    if (page.marker !== null && (await this.#store.flavors.get(page.marker)) === null) {
      throw markerNotFound(page.marker)
    }
    const admin = isAdmin(owner)
    return this.#store.flavors.list({
      isPublic: admin ? (filter.isPublic === undefined ? true : filter.isPublic) : true,
      // Nova hides disabled flavors from everyone but admins, who must see what servers still use.
      includeDisabled: admin,
      minDiskGb,
      minRamMb,
      catalog: filter.catalog ?? null,
      afterId: page.marker,
      limit: page.limit,
    })
  }

  /** A disabled flavor is still shown: existing servers refer to it. */
  async get(owner: Owner, id: string): Promise<Flavor> {
    const flavor = await this.#store.flavors.get(id)
    if (flavor === null || !visibleTo(owner, flavor)) throw notFound('flavor', id)
    return flavor
  }

  /**
   * openstackclient and the SDK resolve `--flavor NAME` by trying it as an id first, then as a name;
   * doing both here spares them the list call that would follow.
   */
  async findByIdOrName(owner: Owner, idOrName: string): Promise<Flavor> {
    const flavor = (await this.#store.flavors.get(idOrName)) ?? (await this.#store.flavors.getByName(idOrName))
    if (flavor === null || !visibleTo(owner, flavor)) throw notFound('flavor', idOrName)
    return flavor
  }

  async create(owner: Owner, input: FlavorCreateInput): Promise<Flavor> {
    requireAdmin(owner)
    const id = input.id === undefined || input.id === 'auto' ? this.#newId() : input.id
    const flavor = validatedFlavor({ ...input, id }, this.#clock.now())
    return this.#store.transaction(async (tx) => {
      if (await tx.flavors.insert(flavor)) return flavor
      if ((await tx.flavors.get(flavor.id)) !== null) {
        throw conflict('flavor', `Flavor with ID ${flavor.id} already exists.`, flavor.id)
      }
      throw conflict('flavor', `Flavor with name ${flavor.name} already exists.`, flavor.id)
    })
  }

  /** Servers keep their flavor's sizes (copied onto the server), so deleting a used flavor is allowed. */
  async delete(owner: Owner, id: string): Promise<void> {
    requireAdmin(owner)
    await this.#store.transaction(async (tx) => {
      if (!(await tx.flavors.delete(id))) throw notFound('flavor', id)
    })
  }
}

/**
 * For server create and resize, inside their transaction: the flavor the request names, which must be
 * visible to the caller and enabled. Nova answers 400 (not 404) for both, since the flavor is an input.
 */
export async function requireUsableFlavor(repos: FlavorRepositories, owner: Owner, id: string): Promise<Flavor> {
  const flavor = await repos.flavors.get(id)
  if (flavor === null || !visibleTo(owner, flavor)) throw badRequest(`Flavor ${id} could not be found.`, 'flavorRef')
  if (flavor.disabled) throw badRequest(`Flavor ${id} is disabled.`, 'flavorRef')
  return flavor
}

/**
 * Installs the flavors that are missing, leaving existing ones (same id or name) untouched, so that
 * bootstrapping twice, or on two nodes at once, is harmless. Returns how many were created.
 */
export async function ensureFlavors(repos: FlavorRepositories, seeds: readonly FlavorSeed[], now: Date): Promise<number> {
  let created = 0
  for (const seed of seeds) {
    if (await repos.flavors.insert(validatedFlavor(seed, now))) created++
  }
  return created
}

/**
 * Nova's `is_public` query parameter: absent → public only; `none` (any case) → all; otherwise a
 * strict boolean string, anything else a bad request.
 */
export function parseIsPublicFilter(value: string | undefined): boolean | null {
  if (value === undefined) return true
  const text = value.trim().toLowerCase()
  if (text === 'none') return null
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(text)) return true
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(text)) return false
  throw badRequest(`Invalid is_public filter [${value}]`, 'is_public')
}

function visibleTo(owner: Owner, flavor: Flavor): boolean {
  return flavor.isPublic || isAdmin(owner)
}

// Nova's flavor create schema: ids may hold letters, digits, '.', ' ', '_', '-' without edge spaces.
const FLAVOR_ID_PATTERN = /^(?! )[A-Za-z0-9. _-]+(?<! )$/
const EXTRA_SPEC_KEY_PATTERN = /^[A-Za-z0-9_:. -]+$/
const MAX_INT32 = 2 ** 31 - 1

function validatedFlavor(input: FlavorCreateInput & { readonly id: string }, now: Date): Flavor {
  if (input.id.length > 255 || !FLAVOR_ID_PATTERN.test(input.id)) {
    throw badRequest(`Invalid flavor id '${input.id}': 1-255 letters, digits, '.', '_', '-' or inner spaces`, 'id')
  }
  if (typeof input.name !== 'string' || input.name.length < 1 || input.name.length > 255
    || input.name.trim() !== input.name || /\p{Cc}/u.test(input.name)) {
    throw badRequest('Flavor name must be 1-255 printable characters without leading or trailing spaces', 'name')
  }
  const description = input.description ?? null
  if (description !== null && description.length > 65535) {
    throw badRequest('Flavor description must be at most 65535 characters', 'description')
  }
  const rxtxFactor = input.rxtxFactor ?? 1
  if (!Number.isFinite(rxtxFactor) || rxtxFactor <= 0) throw badRequest('rxtx_factor must be a positive number', 'rxtx_factor')
  const extraSpecs = input.extraSpecs ?? {}
  for (const [key, value] of Object.entries(extraSpecs)) {
    if (key.length > 255 || !EXTRA_SPEC_KEY_PATTERN.test(key)) throw badRequest(`Invalid extra spec key '${key}'`, 'extra_specs')
    if (typeof value !== 'string' || value.length > 255) {
      throw badRequest(`Extra spec '${key}' must be a string of at most 255 characters`, 'extra_specs')
    }
  }
  return {
    id: input.id,
    name: input.name,
    description,
    vcpus: boundedInteger(input.vcpus, 1, 'vcpus'),
    ramMb: boundedInteger(input.ramMb, 1, 'ram'),
    diskGb: boundedInteger(input.diskGb, 0, 'disk'),
    ephemeralGb: boundedInteger(input.ephemeralGb ?? 0, 0, 'OS-FLV-EXT-DATA:ephemeral'),
    swapMb: boundedInteger(input.swapMb ?? 0, 0, 'swap'),
    rxtxFactor,
    isPublic: input.isPublic ?? true,
    disabled: input.disabled ?? false,
    extraSpecs: { ...extraSpecs },
    createdAt: now,
  }
}

function boundedInteger(value: number, min: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < min || value > MAX_INT32) {
    throw badRequest(`${field} must be an integer between ${min} and ${MAX_INT32}`, field)
  }
  return value
}

function optionalNonNegative(value: number | undefined, field: string): number | null {
  if (value === undefined) return null
  if (!Number.isSafeInteger(value) || value < 0) throw badRequest(`Invalid ${field} filter [${value}]`, field)
  return value
}
