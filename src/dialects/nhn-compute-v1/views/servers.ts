/** Core servers → v1.0 bodies, and v1.0 create requests → the core's create command. */
import type { Server } from '../../../core/servers/server.ts'
import type { CreateServersCommand } from '../../../core/servers/server-commands.ts'
import { badRequest } from '../../../core/shared/errors.ts'
import type { ServerBrief, ServerCreateRequest, ServerDetail } from '../schemas/servers.ts'
import { v1Status } from '../status.ts'
import { secondsUtc, secondsUtcOrNull } from './times.ts'

/** What a v1.0 server detail shows beyond the server row, gathered by server-reads.ts. */
export interface ServerFacts {
  readonly server: Server
  readonly flavorName: string
  readonly nics: readonly { readonly macAddress: string; readonly ipAddress: string; readonly floatingIpAddress: string | null }[]
  readonly securityGroupNames: readonly string[]
  /** Attached volumes other than the root disk. */
  readonly volumes: readonly { readonly id: string; readonly name: string; readonly sizeGb: number }[]
}

/** Seed 000: a Windows server name is at most 12 characters (15 on the v2 API: CATALOG §6 A9, X1). */
export const MAX_WINDOWS_NAME = 12

export function briefView(server: Server): ServerBrief {
  return { id: server.id, name: server.name, status: v1Status(server) }
}

export function detailView({ server, flavorName, nics, securityGroupNames, volumes }: ServerFacts): ServerDetail {
  return {
    addresses: nics.map((nic) => ({
      macAddress: nic.macAddress,
      ipAddress: nic.ipAddress,
      version: 4 as const,
      ...(nic.floatingIpAddress === null ? {} : { floatingIpAddress: nic.floatingIpAddress }),
    })),
    availabilityZone: server.availabilityZone ?? '',
    flavor: { id: server.flavorId, name: flavorName, cpu: server.vcpus, ram: server.ramMb },
    status: v1Status(server),
    id: server.id,
    name: server.name,
    image: server.imageId,
    metadata: { ...server.metadata },
    keyName: server.keyName,
    volumes: {
      root: { size: server.rootGb },
      attachments: volumes.map((volume) => ({ id: volume.id, name: volume.name, size: volume.sizeGb })),
    },
    securityGroups: securityGroupNames.map((name) => ({ name })),
    launchedAt: secondsUtcOrNull(server.launchedAt),
    createdAt: secondsUtc(server.createdAt),
    updatedAt: secondsUtc(server.updatedAt),
  }
}

/**
 * The v1.0 create maps onto the core's: `volumes[0].size` is a root volume made from the image and
 * deleted with the server; `count` is both the minimum and the maximum. Without `volumes` the flavor's
 * local disk is the root (U2 flavors); NHN's strict rules, when the project has them, refuse that for
 * the others, as they refuse a create without networks or a key.
 */
export function createCommand(request: ServerCreateRequest, strictNhn: boolean): CreateServersCommand {
  const count = Number(request.count ?? 1)
  const size = request.volumes?.[0]?.size
  const rootGb = size === undefined ? undefined : Number(size)
  return {
    name: request.name,
    imageId: request.image,
    flavorId: request.flavor,
    networks: request.networks ? request.networks.map((network) => ({ networkId: network.id })) : strictNhn ? [] : 'auto',
    keyName: request.keyName ?? null,
    securityGroups: (request.securityGroups ?? []).map((group) => group.name),
    userData: null,
    metadata: request.metadata ?? {},
    availabilityZone: request.availabilityZone ?? null,
    minCount: count,
    maxCount: count,
    blockDevices: rootGb === undefined ? [] : [{
      sourceType: 'image', sourceId: request.image, destinationType: 'volume', sizeGb: rootGb, volumeType: null,
      deleteOnTermination: true, bootIndex: 0, deviceName: 'vda',
    }],
    serverGroupId: null,
    strictNhn,
  }
}

/** The v1.0 name rule that depends on the image's OS; the core checks the rest. */
export function checkWindowsName(name: string, osType: 'linux' | 'windows'): void {
  if (osType === 'windows' && name.length > MAX_WINDOWS_NAME) {
    throw badRequest(`A Windows server name must be at most ${MAX_WINDOWS_NAME} characters.`, 'name')
  }
}
