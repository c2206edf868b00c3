/**
 * Servers: core Server (+ its description: NICs, groups, volumes, host) → Nova server bodies, and the
 * create/update/list requests → core commands. Version-dependent fields are decided here from the
 * request's microversion, never in handlers.
 */
import { createHash } from 'node:crypto'
import { isIP } from 'node:net'
import type { FastifyRequest } from 'fastify'
import type { BlockDeviceRequest, CreateServersCommand, CreatedServers, NetworkChoice, UpdateServerCommand } from '../../../core/servers/server-commands.ts'
import type { ServerDescription, ServerListQuery as CoreListQuery } from '../../../core/servers/server-service.ts'
import type { Server } from '../../../core/servers/server.ts'
import type { Page } from '../../../core/shared/page.ts'
import { badRequest, DomainError, isDomainError } from '../../../core/shared/errors.ts'
import { isAdmin } from '../../../core/shared/owner.ts'
import { baseUrl, nextPageLinks, resourceLinks, versionSegment } from '../links.ts'
import { atLeast, type Microversion } from '../microversion.ts'
import { pageSize } from '../schemas/common.ts'
import type {
  BlockDeviceMapping, Flag, IpAddresses, NetworkRequest, ServerAddress, ServerCreateBody, ServerCreated, ServerDetail,
  ServerDetailList, ServerList, ServerListQuery, ServerSummary, ServerUpdateBody,
} from '../schemas/servers.ts'
import { novaStatus, statusSelection } from '../status.ts'
import { microsecondTime, secondTime } from './time.ts'

const COLLECTION = 'servers'

/** What every server view needs from the request: where links point, the version and who asks. */
export interface ServerViewContext {
  readonly request: FastifyRequest
  readonly tenantId: string
  readonly version: Microversion
  readonly admin: boolean
}

export function serverViewContext(request: FastifyRequest, tenantId: string): ServerViewContext {
  return { request, tenantId, version: request.microversion, admin: request.auth ? isAdmin(request.auth.owner) : false }
}

// ---- core → wire ---------------------------------------------------------------------------------

/** Nova's hostId: an opaque per-project hash of the host name, "" before the server has a host. */
export function hostIdHash(projectId: string, hostName: string | null): string {
  return hostName ? createHash('sha224').update(projectId + hostName).digest('hex') : ''
}

/** hostIdHash through a memo a list page shares: its ~1,000 servers run on far fewer hosts. */
function memoizedHostId(memo: Map<string, string> | undefined, projectId: string, hostName: string | null): string {
  if (!memo || !hostName) return hostIdHash(projectId, hostName)
  const key = `${projectId}\n${hostName}`
  let hash = memo.get(key)
  if (hash === undefined) memo.set(key, hash = hostIdHash(projectId, hostName))
  return hash
}

const PROGRESS_STATUSES = new Set(['BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING'])

/** `addresses`: NICs keyed by network name, each fixed address followed by its floating ones (same MAC). */
export function serverAddresses(description: ServerDescription | undefined): Record<string, ServerAddress[]> {
  const addresses: Record<string, ServerAddress[]> = {}
  for (const nic of description?.nics ?? []) {
    const list = addresses[nic.networkName] ?? (addresses[nic.networkName] = [])
    list.push(address(nic.ipAddress, 'fixed', nic.macAddress))
    for (const floating of nic.floatingIps) list.push(address(floating, 'floating', nic.macAddress))
  }
  return addresses
}

function address(addr: string, type: 'fixed' | 'floating', mac: string): ServerAddress {
  return { version: isIP(addr) === 6 ? 6 : 4, addr, 'OS-EXT-IPS:type': type, 'OS-EXT-IPS-MAC:mac_addr': mac }
}

/** Nova's instance hostname: the display name made DNS-safe. */
function hostname(name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9-.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 63)
  return safe === '' ? 'server' : safe
}

/**
 * What the views of one list page share: host hashes (its ~1,000 servers run on far fewer hosts) and
 * the links' common prefixes, taken from the request once.
 */
interface PageViews {
  readonly hostIds: Map<string, string>
  /** `<base>/<tenant>/`, for bookmark links. */
  readonly bookmarkPrefix: string
  /** `<base>/<version>/<tenant>/`, for self links. */
  readonly selfPrefix: string
}

function pageViews(ctx: ServerViewContext): PageViews {
  const base = baseUrl(ctx.request)
  return { hostIds: new Map(), bookmarkPrefix: `${base}/${ctx.tenantId}/`, selfPrefix: `${base}/${versionSegment(ctx.request)}/${ctx.tenantId}/` }
}

/**
 * A server's Nova body. Its keys are added in the order in which the schema's serializer (a show)
 * writes them: the ServerDetail schema's required properties in its order, then its optional ones in
 * its order. A detail list is written by JSON.stringify (see serverDetailListJson), which keeps the
 * object's order; both must give the same text.
 */
export function serverDetail(ctx: ServerViewContext, server: Server, description: ServerDescription | undefined,
  page: PageViews = pageViews(ctx)): ServerDetail {
  const { version, admin } = ctx
  const { bookmarkPrefix, selfPrefix } = page
  const status = novaStatus(server)
  const host = description?.host ?? null
  const groups = description?.securityGroupNames ?? []
  const detail: ServerDetail = {
    id: server.id,
    name: server.name,
    status,
    tenant_id: server.projectId,
    user_id: server.userId,
    metadata: { ...server.metadata },
    hostId: memoizedHostId(page.hostIds, server.projectId, host?.name ?? null),
    image: server.imageId ? { id: server.imageId, links: [{ href: `${bookmarkPrefix}images/${server.imageId}`, rel: 'bookmark' }] } : '',
    flavor: { id: server.flavorId, links: [{ href: `${bookmarkPrefix}flavors/${server.flavorId}`, rel: 'bookmark' }] },
    created: secondTime(server.createdAt),
    updated: secondTime(server.updatedAt),
    addresses: serverAddresses(description),
    accessIPv4: server.accessIpv4,
    accessIPv6: server.accessIpv6,
    links: [
      { href: `${selfPrefix}${COLLECTION}/${server.id}`, rel: 'self' },
      { href: `${bookmarkPrefix}${COLLECTION}/${server.id}`, rel: 'bookmark' },
    ],
    'OS-DCF:diskConfig': server.diskConfig,
    // Nova reports progress only while it means something; the seeds show 0 on an ACTIVE server.
    progress: PROGRESS_STATUSES.has(status) ? server.progress : 0,
    'OS-EXT-AZ:availability_zone': server.availabilityZone ?? '',
    config_drive: server.configDrive,
    key_name: server.keyName,
    'OS-SRV-USG:launched_at': server.launchedAt ? microsecondTime(server.launchedAt) : null,
    'OS-SRV-USG:terminated_at': server.terminatedAt ? secondTime(server.terminatedAt) : null,
    'OS-EXT-STS:task_state': server.taskState,
    'OS-EXT-STS:vm_state': server.vmState,
    'OS-EXT-STS:power_state': server.powerState,
    'os-extended-volumes:volumes_attached': (description?.volumes ?? []).map((volume) =>
      atLeast(version, 3) ? { id: volume.volumeId, delete_on_termination: volume.deleteOnTermination } : { id: volume.volumeId }),
    'NHN-EXT-ATTR:ephemeral_disk_size': server.ephemeralGb,
  }
  if (groups.length > 0) detail.security_groups = groups.map((name) => ({ name }))
  if (server.fault && (server.vmState === 'error' || server.vmState === 'deleted')) {
    detail.fault = {
      code: server.fault.code, message: server.fault.message, created: secondTime(server.fault.createdAt),
      // Nova hides the details of an internal error (500) from non-admins.
      ...(server.fault.details && (admin || server.fault.code !== 500) ? { details: server.fault.details } : {}),
    }
  }
  if (atLeast(version, 9)) detail.locked = server.locked
  if (atLeast(version, 19)) detail.description = server.description
  if (atLeast(version, 26)) detail.tags = []
  if (admin) {
    if (atLeast(version, 16)) detail.host_status = host ? (host.up ? 'UP' : 'DOWN') : ''
    detail['OS-EXT-SRV-ATTR:host'] = host?.name ?? null
    detail['OS-EXT-SRV-ATTR:hypervisor_hostname'] = host?.name ?? null
    detail['OS-EXT-SRV-ATTR:instance_name'] = `instance-${server.id.slice(0, 8)}`
    if (atLeast(version, 3)) {
      detail['OS-EXT-SRV-ATTR:reservation_id'] = server.reservationId
      detail['OS-EXT-SRV-ATTR:launch_index'] = server.launchIndex
      detail['OS-EXT-SRV-ATTR:hostname'] = hostname(server.name)
      detail['OS-EXT-SRV-ATTR:kernel_id'] = ''
      detail['OS-EXT-SRV-ATTR:ramdisk_id'] = ''
      detail['OS-EXT-SRV-ATTR:root_device_name'] = server.bootVolumeId || server.imageId ? '/dev/vda' : null
      detail['OS-EXT-SRV-ATTR:user_data'] = server.userData
    }
  }
  return detail
}

export function serverSummary(ctx: ServerViewContext, server: Server): ServerSummary {
  return { id: server.id, links: resourceLinks(ctx.request, ctx.tenantId, COLLECTION, server.id), name: server.name }
}

function pageLinks(ctx: ServerViewContext, collection: string, page: Page<Server>) {
  const last = page.items.at(-1)
  return page.hasMore && last ? { servers_links: nextPageLinks(ctx.request, ctx.tenantId, collection, last.id) } : {}
}

export function serverList(ctx: ServerViewContext, page: Page<Server>): ServerList {
  return { servers: page.items.map((server) => serverSummary(ctx, server)), ...pageLinks(ctx, COLLECTION, page) }
}

export function serverDetailList(ctx: ServerViewContext, page: Page<Server>, descriptions: Map<string, ServerDescription>): ServerDetailList {
  const views = pageViews(ctx)
  return {
    servers: page.items.map((server) => serverDetail(ctx, server, descriptions.get(server.id), views)),
    ...pageLinks(ctx, `${COLLECTION}/detail`, page),
  }
}

/**
 * A detail list's JSON text. Its bodies are built in the schema's key order and of the schema's types
 * (ServerDetail is the schema's static type), so V8's JSON.stringify writes the same text as the
 * schema's serializer, in a third of the time for a page of 1,000 (4.5 ms instead of 11 with the length
 * count of its many-piece string). test/api/nhn-instance-v2/server-reads.test.ts compares the texts.
 */
export function serverDetailListJson(list: ServerDetailList): string {
  return JSON.stringify(list)
}

/** N-11's body: the first server of the request as the seed example shows it, or the reservation id. */
export function serverCreated(ctx: ServerViewContext, body: ServerCreateBody, created: CreatedServers): ServerCreated {
  if (flag(body.server.return_reservation_id, false)) return { reservation_id: created.reservationId }
  const id = created.serverIds[0]
  const groups = body.server.security_groups ?? [{ name: 'default' }]
  return {
    server: {
      id,
      links: resourceLinks(ctx.request, ctx.tenantId, COLLECTION, id),
      'OS-DCF:diskConfig': body.server['OS-DCF:diskConfig'] ?? 'MANUAL',
      security_groups: groups.map((group) => ({ name: group.name })),
    },
  }
}

export function selfLink(ctx: ServerViewContext, serverId: string): string {
  return resourceLinks(ctx.request, ctx.tenantId, COLLECTION, serverId)[0].href
}

/** `/ips`: Nova's basic address view (version and address only), fixed then floating per NIC. */
export function serverIps(description: ServerDescription | undefined): IpAddresses {
  const ips: IpAddresses = {}
  for (const [network, addresses] of Object.entries(serverAddresses(description))) {
    ips[network] = addresses.map((entry) => ({ version: entry.version, addr: entry.addr }))
  }
  return ips
}

// ---- wire → core ---------------------------------------------------------------------------------

const TRUE_TEXTS = new Set(['true', '1', 'on', 'yes'])

export function flag(value: Flag | null | undefined, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value === 1
  return TRUE_TEXTS.has(value.toLowerCase())
}

/** Nova accepts an image or flavor reference as an id or as a URL ending in the id. */
export function idFromRef(ref: string | number): string {
  const text = String(ref).trim()
  if (!text.includes('/')) return text
  return text.split('/').filter((part) => part !== '').at(-1) ?? ''
}

function integer(value: string | number | null | undefined): number | null {
  if (value === undefined || value === null) return null
  return typeof value === 'number' ? value : Number.parseInt(value, 10)
}

function checkIp(value: string | undefined, family: 4 | 6, field: string): string | undefined {
  if (value === undefined || value === '') return value
  if (isIP(value) !== family) throw badRequest(`Invalid input for field/attribute ${field}. Value: ${value} is not a valid IPv${family} address`, field)
  return value
}

function onlyFrom(version: Microversion, minor: number, present: boolean, field: string): void {
  if (present && !atLeast(version, minor)) {
    throw badRequest(`Invalid input for field/attribute server. Reason: Additional properties are not allowed ('${field}' was unexpected)`, field)
  }
}

function networkChoice(request: NetworkRequest): NetworkChoice {
  return {
    ...(request.uuid ? { networkId: request.uuid } : {}),
    ...(request.subnet ? { subnetId: request.subnet } : {}),
    ...(request.port ? { portId: request.port } : {}),
    ...(request.fixed_ip ? { fixedIp: request.fixed_ip } : {}),
  }
}

function networkChoices(networks: ServerCreateBody['server']['networks'], version: Microversion): CreateServersCommand['networks'] {
  if (networks === undefined) {
    if (atLeast(version, 37)) {
      throw badRequest("Invalid input for field/attribute server. Reason: 'networks' is a required property", 'networks')
    }
    // Before 2.37 Nova picks the project's network itself; 'auto' is that choice.
    return 'auto'
  }
  if (typeof networks === 'string') {
    if (!atLeast(version, 37)) {
      throw badRequest(`Invalid input for field/attribute networks. Value: ${networks}. '${networks}' is not of type 'array'`, 'networks')
    }
    return networks
  }
  return networks.map(networkChoice)
}

function blockDevice(mapping: BlockDeviceMapping): BlockDeviceRequest {
  const sourceType = mapping.source_type
  if (sourceType === undefined) {
    throw badRequest('Block Device Mapping is Invalid: source_type is required.', 'block_device_mapping_v2')
  }
  const sourceId = mapping.uuid ?? mapping.image_id ?? mapping.volume_id ?? mapping.snapshot_id ?? null
  if (sourceType !== 'blank' && sourceId === null) {
    throw badRequest(`Block Device Mapping is Invalid: a ${sourceType} source needs a uuid.`, 'block_device_mapping_v2')
  }
  const bootIndex = integer(mapping.boot_index)
  // Nova: an image without a destination boots locally; every other source becomes a volume.
  const destinationType = mapping.destination_type ?? (sourceType === 'image' && bootIndex === 0 ? 'local' : 'volume')
  if ((sourceType === 'volume' || sourceType === 'snapshot') && destinationType !== 'volume') {
    throw badRequest(`Block Device Mapping is Invalid: a ${sourceType} source needs destination_type volume.`, 'block_device_mapping_v2')
  }
  return {
    sourceType,
    sourceId: sourceType === 'blank' ? null : sourceId,
    destinationType,
    sizeGb: integer(mapping.volume_size),
    volumeType: mapping.volume_type ?? null,
    deleteOnTermination: flag(mapping.delete_on_termination, false),
    bootIndex: bootIndex === null || bootIndex < 0 ? null : bootIndex,
    deviceName: mapping.device_name ?? null,
  }
}

export function createServersCommand(body: ServerCreateBody, version: Microversion, strictNhn: boolean): CreateServersCommand {
  const server = body.server
  onlyFrom(version, 19, server.description !== undefined, 'description')
  const hints = body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints']
  const minCount = integer(server.min_count) ?? 1
  const imageRef = server.imageRef === undefined ? '' : idFromRef(server.imageRef)
  return {
    name: server.name,
    description: server.description ?? null,
    imageId: imageRef === '' ? null : imageRef,
    flavorId: idFromRef(server.flavorRef),
    networks: networkChoices(server.networks, version),
    keyName: server.key_name ?? null,
    securityGroups: (server.security_groups ?? []).map((group) => group.name),
    userData: server.user_data ?? null,
    metadata: server.metadata ?? {},
    // Nova's admin form "zone:host:node" names a zone first; the host part is not honoured.
    availabilityZone: server.availability_zone ? server.availability_zone.split(':')[0] || null : null,
    minCount,
    maxCount: integer(server.max_count) ?? minCount,
    blockDevices: (server.block_device_mapping_v2 ?? []).map(blockDevice),
    serverGroupId: hints?.group ?? null,
    diskConfig: server['OS-DCF:diskConfig'],
    accessIpv4: checkIp(server.accessIPv4, 4, 'accessIPv4'),
    accessIpv6: checkIp(server.accessIPv6, 6, 'accessIPv6'),
    configDrive: flag(server.config_drive, false),
    strictNhn,
  }
}

/**
 * Nova's create never answers 404 (its expected errors are 400, 403 and 409): a network, subnet, port,
 * security group, server group or volume the request names but that does not exist is a bad request.
 */
export async function unknownReferencesAsBadRequest<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (error) {
    if (isDomainError(error) && error.kind === 'not_found') {
      throw new DomainError('bad_request', error.message, { resource: error.resource, id: error.id })
    }
    throw error
  }
}

export function updateServerCommand(body: ServerUpdateBody, version: Microversion): UpdateServerCommand {
  const server = body.server
  onlyFrom(version, 19, server.description !== undefined, 'description')
  return {
    ...(server.name !== undefined ? { name: server.name } : {}),
    ...(server.description !== undefined ? { description: server.description } : {}),
    ...(server.accessIPv4 !== undefined ? { accessIpv4: checkIp(server.accessIPv4, 4, 'accessIPv4') } : {}),
    ...(server.accessIPv6 !== undefined ? { accessIpv6: checkIp(server.accessIPv6, 6, 'accessIPv6') } : {}),
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/

/** `changes-since` as the seeds write it (`yyyy-mm-ddThh:mm:ss`, read as UTC) or any ISO-8601 time. */
export function parseChangesSince(text: string): Date {
  const trimmed = text.trim()
  if (!ISO_TIME.test(trimmed)) throw badRequest('Invalid filter field: changes-since.', 'changes-since')
  const zoned = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(trimmed) || !trimmed.includes('T') ? trimmed : `${trimmed}Z`
  const date = new Date(zoned.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  if (Number.isNaN(date.getTime())) throw badRequest('Invalid filter field: changes-since.', 'changes-since')
  return date
}

/**
 * The list query as the core's; null when the status filter matches no state (Nova below 2.38 then
 * answers an empty list). A limit of 0 means the default, as in Nova.
 */
export function serverListQuery(query: ServerListQuery): CoreListQuery | null {
  const statuses = query.status === undefined ? undefined : [query.status].flat()
  const selection = statuses === undefined ? undefined : statusSelection(statuses)
  if (selection === null) return null
  return {
    ...(selection ? { vmStates: selection.vmStates } : {}),
    ...(selection?.taskStates ? { taskStates: selection.taskStates } : {}),
    ...(query.name !== undefined ? { nameRegex: query.name } : {}),
    ...(query.image !== undefined ? { imageId: idFromRef(query.image) } : {}),
    ...(query.flavor !== undefined ? { flavorId: idFromRef(query.flavor) } : {}),
    ...(query.reservation_id !== undefined ? { reservationId: query.reservation_id } : {}),
    ...(query['changes-since'] !== undefined ? { changesSince: parseChangesSince(query['changes-since']) } : {}),
    limit: pageSize(query.limit || undefined),
    marker: query.marker ?? null,
  }
}
