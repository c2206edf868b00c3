/** Flavors: core Flavor → Nova flavor bodies, and the list query / create body → core inputs. */
import type { FastifyRequest } from 'fastify'
import type { Flavor } from '../../../core/flavors/flavor.ts'
import { parseIsPublicFilter, type FlavorCreateInput, type FlavorListFilter } from '../../../core/flavors/flavor-service.ts'
import { DomainError } from '../../../core/shared/errors.ts'
import type { Page, PageRequest } from '../../../core/shared/page.ts'
import { nextPageLinks, resourceLinks } from '../links.ts'
import { pageSize } from '../schemas/common.ts'
import type {
  FlavorCreateBody, FlavorDetail, FlavorDetailList, FlavorList, FlavorListQuery, FlavorSummary,
} from '../schemas/flavors.ts'

const COLLECTION = 'flavors'

export function flavorSummary(request: FastifyRequest, tenantId: string, flavor: Flavor): FlavorSummary {
  return { id: flavor.id, links: resourceLinks(request, tenantId, COLLECTION, flavor.id), name: flavor.name }
}

export function flavorDetail(request: FastifyRequest, tenantId: string, flavor: Flavor): FlavorDetail {
  return {
    id: flavor.id,
    name: flavor.name,
    links: resourceLinks(request, tenantId, COLLECTION, flavor.id),
    ram: flavor.ramMb,
    'OS-FLV-DISABLED:disabled': flavor.disabled,
    vcpus: flavor.vcpus,
    extra_specs: { ...flavor.extraSpecs },
    swap: flavor.swapMb === 0 ? '' : flavor.swapMb,
    'os-flavor-access:is_public': flavor.isPublic,
    rxtx_factor: flavor.rxtxFactor,
    'OS-FLV-EXT-DATA:ephemeral': flavor.ephemeralGb,
    disk: flavor.diskGb,
  }
}

function pageLinks(request: FastifyRequest, tenantId: string, collection: string, page: Page<Flavor>) {
  const last = page.items[page.items.length - 1]
  return page.hasMore && last ? { flavors_links: nextPageLinks(request, tenantId, collection, last.id) } : {}
}

export function flavorList(request: FastifyRequest, tenantId: string, page: Page<Flavor>): FlavorList {
  return {
    flavors: page.items.map((flavor) => flavorSummary(request, tenantId, flavor)),
    ...pageLinks(request, tenantId, COLLECTION, page),
  }
}

export function flavorDetailList(request: FastifyRequest, tenantId: string, page: Page<Flavor>): FlavorDetailList {
  return {
    flavors: page.items.map((flavor) => flavorDetail(request, tenantId, flavor)),
    ...pageLinks(request, tenantId, `${COLLECTION}/detail`, page),
  }
}

/** This dialect lists NHN's instance types only; SCP server types stay reachable by id (a server's flavor link). */
export function flavorListInput(query: FlavorListQuery): { filter: FlavorListFilter; page: PageRequest } {
  return {
    filter: {
      minDiskGb: query.minDisk,
      minRamMb: query.minRam,
      isPublic: parseIsPublicFilter(query.is_public),
      catalog: 'nhn',
    },
    page: { limit: pageSize(query.limit), marker: query.marker ?? null },
  }
}

export function flavorCreateInput(body: FlavorCreateBody): FlavorCreateInput {
  const flavor = body.flavor
  return {
    id: flavor.id ?? undefined,
    name: flavor.name,
    ramMb: flavor.ram,
    vcpus: flavor.vcpus,
    diskGb: flavor.disk,
    ephemeralGb: flavor['OS-FLV-EXT-DATA:ephemeral'],
    swapMb: flavor.swap === '' ? 0 : flavor.swap,
    rxtxFactor: flavor.rxtx_factor,
    isPublic: flavor['os-flavor-access:is_public'],
  }
}

/** `GET …/os-extra_specs/{key}`: `{"<key>": "<value>"}`, or Nova's 404 when the flavor has no such spec. */
export function extraSpecView(flavor: Flavor, key: string): Record<string, string> {
  const value = flavor.extraSpecs[key]
  if (value === undefined) {
    throw new DomainError('not_found', `Flavor ${flavor.id} has no extra specs with key ${key}.`, { resource: 'flavor', id: flavor.id })
  }
  return { [key]: value }
}
