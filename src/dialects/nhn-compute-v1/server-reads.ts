/**
 * Gathers what a v1.0 server detail shows from the core services: NICs with their floating IPs,
 * security group names, the attached (non-root) volumes and the flavor's name. Flavors and security
 * groups are looked up once per request however many servers share them.
 */
import type { CoreServices } from '../shared/context.ts'
import type { Server } from '../../core/servers/server.ts'
import type { Owner } from '../../core/shared/owner.ts'
import { isDomainError } from '../../core/shared/errors.ts'
import type { ServerFacts } from './views/servers.ts'

/** v1.0 lists have no paging (CATALOG §1.4): the whole list is read in pages of this size. */
const READ_PAGE = 100
/** More NICs than any server has; one page of a server's ports. */
const MAX_NICS = 100

type ReadServices = Pick<CoreServices, 'servers' | 'networks' | 'volumes' | 'flavors'>

function orNullWhenMissing(error: unknown): null {
  if (isDomainError(error) && error.kind === 'not_found') return null
  throw error
}

class RequestCache {
  readonly flavorNames = new Map<string, Promise<string>>()
  readonly groupNames = new Map<string, Promise<string | null>>()
}

export class ServerReads {
  readonly #services: ReadServices

  constructor(services: ReadServices) {
    this.#services = services
  }

  /** Every live server of the project, newest first. */
  async all(owner: Owner): Promise<Server[]> {
    const servers: Server[] = []
    let marker: string | null = null
    for (;;) {
      const page = await this.#services.servers.list(owner, { limit: READ_PAGE, marker })
      servers.push(...page.items)
      if (!page.hasMore || page.items.length === 0) return servers
      marker = page.items[page.items.length - 1].id
    }
  }

  async one(owner: Owner, id: string): Promise<ServerFacts> {
    const server = await this.#services.servers.get(owner, id)
    return this.#facts(owner, server, new RequestCache())
  }

  async many(owner: Owner, servers: readonly Server[]): Promise<ServerFacts[]> {
    const cache = new RequestCache()
    return Promise.all(servers.map((server) => this.#facts(owner, server, cache)))
  }

  async #facts(owner: Owner, server: Server, cache: RequestCache): Promise<ServerFacts> {
    const { networks, volumes, servers } = this.#services
    const ports = (await networks.listPorts(owner, { deviceId: server.id }, { limit: MAX_NICS, marker: null })).items
    const nics = await Promise.all(ports.map(async (port) => {
      const floating = await networks.listFloatingIps(owner, { portId: port.id }, { limit: 1, marker: null })
      return { macAddress: port.macAddress, ipAddress: port.ipAddress, floatingIpAddress: floating.items[0]?.address ?? null }
    }))
    const groupIds = [...new Set(ports.flatMap((port) => port.securityGroupIds))]
    const groupNames = (await Promise.all(groupIds.map((id) => this.#groupName(owner, id, cache))))
      .filter((name): name is string => name !== null)
    // A server deleted while the list is read shows no volumes rather than failing the whole list.
    const attachments = (await servers.volumeAttachments(owner, server.id).catch(orNullWhenMissing)) ?? []
    const attached = await Promise.all(attachments.filter((attachment) => attachment.bootIndex !== 0)
      .map((attachment) => volumes.get(owner, attachment.volumeId).catch(orNullWhenMissing)))
    return {
      server,
      flavorName: await this.#flavorName(owner, server.flavorId, cache),
      nics,
      securityGroupNames: [...new Set(groupNames)],
      volumes: attached.filter((volume) => volume !== null).map((volume) => ({ id: volume.id, name: volume.name, sizeGb: volume.sizeGb })),
    }
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

  #groupName(owner: Owner, groupId: string, cache: RequestCache): Promise<string | null> {
    let name = cache.groupNames.get(groupId)
    if (!name) {
      name = this.#services.networks.getSecurityGroup(owner, groupId).then((group) => group.name, orNullWhenMissing)
      cache.groupNames.set(groupId, name)
    }
    return name
  }
}
