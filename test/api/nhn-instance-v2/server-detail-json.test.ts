/**
 * A Nova detail list is written with JSON.stringify (serverDetailListJson), a show with the serializer
 * fast-json-stringify compiles from the schema. The texts must be the same: the views add a body's keys
 * in the order that serializer writes them (the schema's required properties, then its optional ones),
 * for every field a version or an admin adds, a fault, groups, volumes, NICs and no image.
 */
import build from 'fast-json-stringify'
import type { FastifyRequest } from 'fastify'
import { describe, expect, it } from 'vitest'
import type { ServerDescription } from '../../../src/core/servers/server-service.ts'
import type { Server } from '../../../src/core/servers/server.ts'
import { ServerDetailList } from '../../../src/dialects/nhn-instance-v2/schemas/servers.ts'
import { serverDetailList, serverDetailListJson, type ServerViewContext } from '../../../src/dialects/nhn-instance-v2/views/servers.ts'

const TENANT = '9f0c7a1e2b3c4d5e6f708192a3b4c5d6'
const at = new Date('2026-11-28T12:00:00.123Z')

function server(index: number, patch: Partial<Server> = {}): Server {
  return {
    id: `5f1c2b3a-0000-4000-8000-${String(index).padStart(12, '0')}`, projectId: TENANT, userId: 'u'.repeat(32),
    name: `server "${index}" 서버`, description: index % 2 === 0 ? null : 'a description', imageId: 'image-1', flavorId: 'flavor-1',
    vcpus: 1, ramMb: 1024, rootGb: 20, ephemeralGb: 0, keyName: null, vmState: 'active', taskState: null, powerState: 1,
    hostId: 'host-1', availabilityZone: null, locked: false, lockedReason: null, metadata: { role: 'web', '1': 'one' },
    userData: 'I2Nsb3VkLWNvbmZpZw==', configDrive: '', diskConfig: 'MANUAL', accessIpv4: '', accessIpv6: '',
    reservationId: 'r-0000abcd', launchIndex: index, bootVolumeId: null, osType: 'linux', progress: 100,
    previousFlavorId: null, previousHostId: null, previousVmState: null, attributes: {}, fault: null,
    launchedAt: at, terminatedAt: null, createdAt: at, updatedAt: at, deleted: false, deletedAt: null,
    ...patch,
  }
}

const servers: Server[] = [
  server(1),
  server(2, { imageId: null, bootVolumeId: 'volume-1', keyName: 'key', availabilityZone: 'kr-pub-a', hostId: null }),
  server(3, {
    vmState: 'error', taskState: null, progress: 0, locked: true, lockedReason: 'why',
    fault: { code: 500, message: 'No valid host', details: 'Traceback …', createdAt: at },
  }),
  server(4, { vmState: 'error', fault: { code: 400, message: 'bad', details: null, createdAt: at } }),
  server(5, { vmState: 'building', taskState: 'spawning', progress: 40, terminatedAt: at, launchedAt: null }),
]

const descriptions = new Map<string, ServerDescription>([
  [servers[0].id, {
    nics: [
      {
        portId: 'p1', networkId: 'n1', networkName: 'net', subnetId: 's1', cidr: '10.0.0.0/24', gatewayIp: null,
        macAddress: 'fa:16:3e:00:00:01', ipAddress: '10.0.0.5', floatingIps: ['203.0.113.7'],
      },
      {
        portId: 'p2', networkId: 'n2', networkName: 'v6', subnetId: 's2', cidr: 'fd00::/64', gatewayIp: null,
        macAddress: 'fa:16:3e:00:00:02', ipAddress: 'fd00::5', floatingIps: [],
      },
    ],
    securityGroupNames: ['default', 'web'],
    volumes: [{ volumeId: 'v1', name: 'data', sizeGb: 10, device: '/dev/vdb', bootIndex: null, deleteOnTermination: true }],
    host: { name: 'compute-1', up: true },
  }],
  [servers[2].id, { nics: [], securityGroupNames: [], volumes: [], host: { name: 'compute-2', up: false } }],
])

function context(minor: number, admin: boolean): ServerViewContext {
  const request = { url: `/v2/${TENANT}/servers/detail?limit=5`, headers: { host: 'nova.example:8774' } } as unknown as FastifyRequest
  return { request, tenantId: TENANT, version: { major: 2, minor }, admin }
}

describe('Nova detail list text', () => {
  const schemaSerializer = build(ServerDetailList as object)

  it.each([1, 3, 9, 16, 19, 26, 37].flatMap((minor) => [[minor, false], [minor, true]] as const))(
    'is what the schema serializer writes (2.%i, admin %s)', (minor, admin) => {
      for (const hasMore of [true, false]) {
        const list = serverDetailList(context(minor, admin), { items: servers, hasMore }, descriptions)
        const text = serverDetailListJson(list)
        expect(text).toBe(schemaSerializer(list))
        expect(JSON.parse(text)).toEqual(list)
      }
    })
})
