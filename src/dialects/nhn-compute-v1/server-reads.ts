/**
 * Gathers what a v1.0 server detail shows from the core services: NICs with their floating IPs,
 * security group names and the attached (non-root) volumes come from one batched ServerService.describe
 * per list; flavor names are looked up once per request however many servers share them.
 */
import type { CoreServices } from '../shared/context.ts'
import type { Server } from '../../core/servers/server.ts'
import type { Owner } from '../../core/shared/owner.ts'
import { isDomainError } from '../../core/shared/errors.ts'
import type { ServerFacts } from './views/servers.ts'

/**
 * v1.0 lists have no paging (CATALOG §1.4): the whole list is read in pages of this size, and a detail
 * list describes each page as it comes (a fixed number of statements per page, bounded `in` lists).
 */
const READ_PAGE = 1000
type ReadServices = Pick<CoreServices, 'servers' | 'flavors'>

function orNullWhenMissing(error: unknown): null {
  if (isDomainError(error) && error.kind === 'not_found') return null
  throw error
}

class RequestCache {
  readonly flavorNames = new Map<string, Promise<string>>()
}

export class ServerReads {
  readonly #services: ReadServices

  constructor(services: ReadServices) {
    this.#services = services
  }

  /** Every live server of the project, newest first. */
  async all(owner: Owner): Promise<Server[]> {
    const servers: Server[] = []
    for await (const page of this.#pages(owner)) servers.push(...page)
    return servers
  }

  /** The facts of every live server of the project, newest first, described page by page. */
  async allFacts(owner: Owner): Promise<ServerFacts[]> {
    const cache = new RequestCache()
    const facts: ServerFacts[] = []
    for await (const page of this.#pages(owner)) facts.push(...await this.#facts(owner, page, cache))
    return facts
  }

  async *#pages(owner: Owner): AsyncGenerator<readonly Server[]> {
    let marker: string | null = null
    for (;;) {
      const page = await this.#services.servers.list(owner, { limit: READ_PAGE, marker })
      if (page.items.length > 0) yield page.items
      if (!page.hasMore || page.items.length === 0) return
      marker = page.items[page.items.length - 1].id
    }
  }

  async one(owner: Owner, id: string): Promise<ServerFacts> {
    const server = await this.#services.servers.get(owner, id)
    return (await this.many(owner, [server]))[0]
  }

  /** The facts of a whole list in a fixed number of core reads (ServerService.describe), not per server. */
  async many(owner: Owner, servers: readonly Server[]): Promise<ServerFacts[]> {
    return this.#facts(owner, servers, new RequestCache())
  }

  async #facts(owner: Owner, servers: readonly Server[], cache: RequestCache): Promise<ServerFacts[]> {
    const flavorIds = [...new Set(servers.map((server) => server.flavorId))]
    const [descriptions, flavorNames] = await Promise.all([
      this.#services.servers.describe(owner, servers),
      Promise.all(flavorIds.map((flavorId) => this.#flavorName(owner, flavorId, cache))),
    ])
    const flavorNameOf = new Map(flavorIds.map((flavorId, index) => [flavorId, flavorNames[index]]))
    return servers.map((server) => {
      const description = descriptions.get(server.id)
      return {
        server,
        flavorName: flavorNameOf.get(server.flavorId) ?? server.flavorId,
        nics: (description?.nics ?? []).map((nic) => ({
          macAddress: nic.macAddress, ipAddress: nic.ipAddress, floatingIpAddress: nic.floatingIps[0] ?? null,
        })),
        securityGroupNames: description?.securityGroupNames ?? [],
        volumes: (description?.volumes ?? []).filter((volume) => volume.bootIndex !== 0)
          .map((volume) => ({ id: volume.volumeId, name: volume.name, sizeGb: volume.sizeGb })),
      }
    })
  }

  /** A flavor the caller can no longer see (private, deleted) is named by its id. */
  #flavorName(owner: Owner, flavorId: string, cache: RequestCache): Promise<string> {
    let name = cache.flavorNames.get(flavorId)
    if (!name) {
      name = this.#services.flavors.get(owner, flavorId).then((flavor) => flavor.name, (error: unknown) => orNullWhenMissing(error) ?? flavorId)
      cache.flavorNames.set(flavorId, name)
    }
    return name
  }
}
