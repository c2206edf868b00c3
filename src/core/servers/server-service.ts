/**
 * The API half of the server lifecycle (Nova compute/api.py): validate, check the state guard,
 * compare-and-set task_state, record an instance action and enqueue the task, all in one transaction,
 * then return. It never calls a driver or the scheduler: the task handlers in server-tasks.ts do.
 */
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Repositories, Store } from '../ports/store.ts'
import { PowerState } from '../ports/hypervisor-driver.ts'
import { DomainError, badRequest, notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import type { Page } from '../shared/page.ts'
import type { Flavor } from '../flavors/flavor.ts'
import { checkQuotas, consumeQuotas } from '../quotas/quotas.ts'
import type { TaskQueue } from '../tasks/task-queue.ts'
import { TransactionBatcher } from '../tasks/transaction-batcher.ts'
import type { Server, ServerAction as ServerActionRecord, TaskState, VmState } from './server.ts'
import { assertActionAllowed, serverActionRules, type ServerAction } from './server-states.ts'
import type {
  BlockDeviceRequest, CreateServersCommand, CreatedServers, NetworkChoice, RebuildCommand, ResizeCommand,
  UpdateServerCommand,
} from './server-commands.ts'
import type { BootImage, ServerCollaborators, VolumeAttachmentRef } from './server-ports.ts'
import { ServerTaskKind } from './server-task-kinds.ts'
import { serverNetworkViews, serverSecurityGroupNames, serverSecurityGroupNamesOfNics } from '../networks/server-networking.ts'
import type { ServerNetworkView } from '../networks/network.ts'
import { serverVolumeAttachments } from '../volumes/volume-attachments.ts'
import {
  MAX_SERVERS_PER_REQUEST, validateMetadata, validateServerName, validateUserData,
} from './server-validation.ts'

export interface ServerListQuery {
  readonly vmStates?: readonly VmState[]
  /** Only servers in one of these task_states (null = idle); applied with vmStates. */
  readonly taskStates?: readonly (TaskState | null)[]
  readonly nameRegex?: string
  readonly imageId?: string
  readonly flavorId?: string
  readonly reservationId?: string
  readonly changesSince?: Date
  readonly limit: number
  readonly marker: string | null
}

/** A server's volume as API views list it. */
export interface ServerVolumeView {
  readonly volumeId: string
  /** The volume's name and size; empty and 0 if the volume record vanished meanwhile. */
  readonly name: string
  readonly sizeGb: number
  readonly device: string
  readonly bootIndex: number | null
  readonly deleteOnTermination: boolean
}

/** What views show about a server beyond its own row: NICs, security groups, volumes and host. */
export interface ServerDescription {
  /** NICs in port creation order, with their floating addresses. */
  readonly nics: readonly ServerNetworkView[]
  /** Distinct security group names across the server's ports. */
  readonly securityGroupNames: readonly string[]
  readonly volumes: readonly ServerVolumeView[]
  /** The host the server runs on, null before scheduling or after deletion of the host record. */
  readonly host: { readonly name: string; readonly up: boolean } | null
}

export interface ServerServiceOptions {
  /** Zone used when a create names none. */
  readonly defaultAvailabilityZone: string
  /** Seconds a build may take before the server goes to ERROR. */
  readonly buildDeadlineSeconds: number
  /** Seconds any other server task may take. */
  readonly actionDeadlineSeconds: number
  /** Delay of an automatic resize confirmation when the project sets none (NHN: 1 s). */
  readonly defaultAutoConfirmSeconds: number
}

export class ServerService {
  readonly #store: Store
  readonly #clock: Clock
  readonly #ids: IdGenerator
  readonly #queue: TaskQueue
  readonly #collaborators: ServerCollaborators
  readonly #options: ServerServiceOptions
  readonly #createTransaction: <T>(work: (tx: Repositories) => Promise<T>) => Promise<T>

  constructor(store: Store, clock: Clock, ids: IdGenerator, queue: TaskQueue, collaborators: ServerCollaborators,
    options: ServerServiceOptions) {
    this.#store = store
    this.#clock = clock
    this.#ids = ids
    this.#queue = queue
    this.#collaborators = collaborators
    this.#options = options
    if (store.supportsConcurrentWorkers) {
      this.#createTransaction = (work) => store.transaction(work)
    } else {
      const batcher = new TransactionBatcher(store, { maxBatch: 16 })
      this.#createTransaction = (work) => batcher.run(work)
    }
  }

  // ---- reads ---------------------------------------------------------------------------------------

  async get(owner: Owner, id: string): Promise<Server> {
    const server = await this.#store.servers.get(owner.projectId, id)
    if (!server) throw notFound('server', id, 'instance')
    return server
  }

  /** A server of the project including a deleted one (Nova shows DELETED servers by id for a while). */
  async getIncludingDeleted(owner: Owner, id: string): Promise<Server> {
    const server = await this.#store.servers.getById(id)
    if (!server || server.projectId !== owner.projectId) throw notFound('server', id, 'instance')
    return server
  }

  async list(owner: Owner, query: ServerListQuery): Promise<Page<Server>> {
    if (query.nameRegex !== undefined) {
      try {
        new RegExp(query.nameRegex)
      } catch {
        throw badRequest(`Invalid regular expression in name filter: ${query.nameRegex}`, 'name')
      }
    }
    const page = await this.#store.servers.list({ projectId: owner.projectId, ...query })
    if (!page) throw badRequest(`marker [${query.marker}] not found`, 'marker')
    return page
  }

  /**
   * Everything the views of a page of servers need beyond the rows, read in a fixed number of queries
   * for the whole page, never one per server: NICs with floating IPs, security groups, volume
   * attachments and hosts together, then the attached volumes' records when there are any.
   */
  async describe(owner: Owner, servers: readonly Server[]): Promise<Map<string, ServerDescription>> {
    const own = servers.filter((server) => server.projectId === owner.projectId)
    const ids = own.map((server) => server.id)
    const hostIds = [...new Set(own.map((server) => server.hostId).filter((hostId): hostId is string => hostId !== null))]
    // One server's groups come by its id alongside the rest; a page's come by the ports its NICs read.
    const [nics, single, attachments, hostList] = await Promise.all([
      serverNetworkViews(this.#store, ids),
      ids.length === 1 ? serverSecurityGroupNames(this.#store, ids) : undefined,
      serverVolumeAttachments(this.#store, ids),
      this.#store.hosts.getMany(hostIds),
    ])
    const groups = single ?? await serverSecurityGroupNamesOfNics(this.#store, nics)
    const volumeIds = [...new Set([...attachments.values()].flat().map((attachment) => attachment.volumeId))]
    const volumeRecords = new Map((await this.#store.volumes.getByIds(volumeIds)).map((volume) => [volume.id, volume]))
    const hosts = new Map(hostList.map((host) => [host.id, { name: host.name, up: host.state === 'up' && host.enabled }]))
    return new Map(own.map((server) => {
      const host = server.hostId === null ? undefined : hosts.get(server.hostId)
      return [server.id, {
        nics: nics.get(server.id) ?? [],
        securityGroupNames: groups.get(server.id) ?? [],
        volumes: (attachments.get(server.id) ?? []).map((attachment) => ({
          volumeId: attachment.volumeId, name: volumeRecords.get(attachment.volumeId)?.name ?? '',
          sizeGb: volumeRecords.get(attachment.volumeId)?.sizeGb ?? 0, device: attachment.device, bootIndex: attachment.bootIndex,
          deleteOnTermination: attachment.deleteOnTermination,
        })),
        host: host ?? null,
      }]
    }))
  }

  /** One instance action of the server by the request id that started it (Nova instance actions). */
  async getAction(owner: Owner, id: string, requestId: string): Promise<ServerActionRecord> {
    await this.getIncludingDeleted(owner, id)
    const action = await this.#store.serverActions.get(id, requestId)
    if (!action) {
      throw new DomainError('not_found', `Action for request_id ${requestId} on instance ${id} not found`, { resource: 'server', id })
    }
    return action
  }

  async listActions(owner: Owner, id: string): Promise<ServerActionRecord[]> {
    await this.getIncludingDeleted(owner, id)
    return this.#store.serverActions.list(id)
  }

  async volumeAttachments(owner: Owner, id: string): Promise<VolumeAttachmentRef[]> {
    await this.get(owner, id)
    return this.#collaborators.storage.attachments(this.#store, id)
  }

  // ---- create --------------------------------------------------------------------------------------

  async create(owner: Owner, command: CreateServersCommand): Promise<CreatedServers> {
    const count = validateCounts(command.minCount, command.maxCount)
    const name = validateServerName(command.name)
    validateMetadata(command.metadata)
    validateUserData(command.userData)
    const reservationId = `r-${this.#ids.hex(8)}`
    // On one connection (SQLite), where transactions run one at a time anyway, creates arriving together
    // commit together; each still answers only after its own create is committed. On PostgreSQL they
    // run side by side on the pool instead.
    const result = await this.#createTransaction(async (tx) => {
      const now = this.#clock.now()
      const { catalog, networking, groups } = this.#collaborators
      const flavor = await catalog.flavor(tx, command.flavorId)
      if (!flavor || flavor.disabled) {
        throw new DomainError('bad_request', `Flavor ${command.flavorId} could not be found.`,
          { resource: 'flavor', id: command.flavorId, field: 'flavorRef' })
      }
      const rootDevice = command.blockDevices.find((device) => device.bootIndex === 0)
      const bootImageId = command.imageId ?? (rootDevice?.sourceType === 'image' ? rootDevice.sourceId : null)
      const image = bootImageId ? await catalog.image(tx, owner, bootImageId) : null
      if (bootImageId && !image) {
        throw new DomainError('bad_request', `Can not find requested image ${bootImageId}`,
          { resource: 'image', id: bootImageId, field: 'imageRef' })
      }
      if (image && image.status !== 'active') {
        throw new DomainError('bad_request', `Image ${image.id} is not active.`, { resource: 'image', id: image.id, field: 'imageRef' })
      }
      if (!image && !rootDevice) {
        throw badRequest('Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.', 'block_device_mapping_v2')
      }
      const localDisk = catalog.isLocalDiskFlavor(flavor)
      const osType = image?.osType ?? 'linux'
      const rootGb = rootDiskSize(flavor, image, rootDevice, await this.#rootSourceSizeGb(tx, owner, rootDevice))
      if (command.strictNhn) enforceNhnRules(command, flavor, osType, rootGb, localDisk)
      if (image && flavor.ramMb < image.minRamMb) {
        throw new DomainError('bad_request', `Flavor's memory is too small for requested image.`, { resource: 'flavor', field: 'flavorRef' })
      }
      if (image && !rootDevice && flavor.diskGb > 0 && flavor.diskGb < image.minDiskGb) {
        throw new DomainError('bad_request', `Flavor's disk is too small for requested image.`, { resource: 'flavor', field: 'flavorRef' })
      }
      let publicKey: string | null = null
      if (command.keyName) {
        publicKey = await catalog.keypairPublicKey(tx, owner, command.keyName)
        if (publicKey === null) {
          throw new DomainError('bad_request', 'Invalid key_name provided.', { resource: 'keypair', id: command.keyName, field: 'key_name' })
        }
      }
      const zone = command.availabilityZone ?? this.#options.defaultAvailabilityZone
      const zoneStatus = await catalog.zoneStatus(tx, zone)
      if (zoneStatus !== 'available') {
        throw new DomainError('bad_request', `The requested availability zone is not available`,
          { resource: 'availability_zone', id: zone, field: 'availability_zone' })
      }
      const securityGroupIds = await networking.resolveSecurityGroups(tx, owner,
        command.securityGroups.length > 0 ? command.securityGroups : ['default'])
      const networkChoices: readonly NetworkChoice[] = command.networks === 'none' ? []
        : command.networks === 'auto' ? await networking.autoChoices(tx, owner) : command.networks
      if (count > 1 && networkChoices.some((choice) => choice.portId || choice.fixedIp)) {
        throw badRequest('Unable to launch multiple instances with a single configured port ID or fixed IP.', 'networks')
      }
      // As Nova does, the requested networks are checked (with the ports they need) before the quotas.
      const nics = await networking.planNics(tx, owner, networkChoices, securityGroupIds)
      const quotaAmounts = {
        instances: count, cores: count * flavor.vcpus, ram: count * flavor.ramMb, ports: count * nics.portsPerServer,
      }
      // Checked here (the error a request over quota gets comes first), consumed as the last statement:
      // concurrent creates of a project queue on its quota rows' locks, held from the consume to the commit.
      await checkQuotas(tx.quotas, owner.projectId, quotaAmounts)

      const serverIds: string[] = []
      for (let index = 0; index < count; index++) {
        const serverId = this.#ids.uuid()
        const server: Server = {
          id: serverId,
          projectId: owner.projectId,
          userId: owner.userId,
          name: count > 1 ? `${name}-${index + 1}` : name,
          description: command.description ?? null,
          imageId: image?.id ?? null,
          flavorId: flavor.id,
          vcpus: flavor.vcpus,
          ramMb: flavor.ramMb,
          rootGb,
          ephemeralGb: flavor.ephemeralGb,
          keyName: command.keyName,
          vmState: 'building',
          taskState: 'scheduling',
          powerState: PowerState.NOSTATE,
          hostId: null,
          availabilityZone: zone,
          locked: false,
          lockedReason: null,
          metadata: { ...(image ? nhnImageMetadata(image, rootGb) : {}), ...command.metadata },
          userData: command.userData,
          configDrive: command.configDrive ? 'True' : '',
          diskConfig: command.diskConfig ?? 'MANUAL',
          accessIpv4: command.accessIpv4 ?? '',
          accessIpv6: command.accessIpv6 ?? '',
          reservationId,
          launchIndex: index,
          bootVolumeId: null,
          osType,
          progress: 0,
          previousFlavorId: null,
          previousHostId: null,
          previousVmState: null,
          attributes: command.attributes ?? {},
          fault: null,
          launchedAt: null,
          terminatedAt: null,
          createdAt: now,
          updatedAt: now,
          deleted: false,
          deletedAt: null,
        }
        await tx.servers.insert([server])
        const actionId = await this.#recordAction(tx, owner, serverId, 'create')
        // The build finishes its action by id, looks the server's group up only when it has one, and
        // injects the key as it was at create (Nova keeps the instance's key_data the same way).
        await this.#queue.enqueue(tx, {
          kind: ServerTaskKind.build, resourceId: serverId, projectId: owner.projectId,
          payload: { actionId, grouped: command.serverGroupId !== null && command.serverGroupId !== undefined, publicKey },
          deadlineSeconds: this.#options.buildDeadlineSeconds, maxAttempts: 2,
        })
        // The subnet's address cursor is another hot row: taken after the plain inserts.
        await nics.allocate(tx, serverId)
        await this.#prepareBlockDevices(tx, owner, server, command.blockDevices, zone)
        if (command.serverGroupId) {
          await groups.join(tx, owner, command.serverGroupId, serverId, command.partitionNumber ?? null)
        }
        serverIds.push(serverId)
      }
      await consumeQuotas(tx.quotas, owner.projectId, quotaAmounts)
      return { reservationId, serverIds }
    })
    this.#queue.wake()
    return result
  }

  /** The size of the existing volume or snapshot a volume root boots from (400 where the project has none). */
  async #rootSourceSizeGb(tx: Repositories, owner: Owner, root: BlockDeviceRequest | undefined): Promise<number | null> {
    if (!root || root.destinationType !== 'volume' || (root.sourceType !== 'volume' && root.sourceType !== 'snapshot')) return null
    const sizeGb = root.sourceId ? await this.#collaborators.storage.sourceSizeGb(tx, owner, root.sourceType, root.sourceId) : null
    if (sizeGb === null) {
      throw new DomainError('bad_request', `Block Device Mapping is Invalid: failed to get ${root.sourceType} ${root.sourceId}.`,
        { resource: root.sourceType, id: root.sourceId ?? undefined, field: 'block_device_mapping_v2' })
    }
    return sizeGb
  }

  async #prepareBlockDevices(tx: Repositories, owner: Owner, server: Server,
    devices: readonly BlockDeviceRequest[], zone: string): Promise<void> {
    const { storage } = this.#collaborators
    const ordered = [...devices].sort((a, b) => (a.bootIndex ?? 1000) - (b.bootIndex ?? 1000))
    for (const [position, device] of ordered.entries()) {
      if (device.destinationType === 'local') continue
      let volumeId: string
      if (device.sourceType === 'volume') {
        if (!device.sourceId) throw badRequest('Block device mapping with source_type volume needs a uuid.', 'block_device_mapping_v2')
        volumeId = device.sourceId
      } else {
        const created = await storage.createBootVolume(tx, owner, {
          source: device.sourceType,
          sourceId: device.sourceId,
          sizeGb: device.bootIndex === 0 ? server.rootGb : device.sizeGb,
          volumeType: device.volumeType,
          availabilityZone: zone,
          name: device.bootIndex === 0 ? `${server.name}-root` : `${server.name}-volume-${position}`,
        })
        volumeId = created.volumeId
      }
      await storage.reserveAttachment(tx, owner, {
        volumeId,
        serverId: server.id,
        device: device.bootIndex === 0 ? '/dev/vda' : normalizeDevice(device.deviceName),
        bootIndex: device.bootIndex,
        deleteOnTermination: device.deleteOnTermination,
      })
      if (device.bootIndex === 0) {
        await tx.servers.transition(server.id, {}, { bootVolumeId: volumeId, updatedAt: server.updatedAt })
      }
    }
  }

  // ---- simple updates ------------------------------------------------------------------------------

  async update(owner: Owner, id: string, command: UpdateServerCommand): Promise<Server> {
    const name = command.name === undefined ? undefined : validateServerName(command.name)
    await this.#store.transaction(async (tx) => {
      const server = await this.#load(tx, owner, id)
      assertActionAllowed('update', server, { isAdmin: isAdmin(owner) })
      await tx.servers.updateDetails(id, {
        name, description: command.description, accessIpv4: command.accessIpv4, accessIpv6: command.accessIpv6,
      }, this.#clock.now())
    })
    return this.get(owner, id)
  }

  /** Replaces (replace = true) or merges metadata; Nova's metadata API. */
  async setMetadata(owner: Owner, id: string, metadata: Readonly<Record<string, string>>, replace: boolean): Promise<Record<string, string>> {
    validateMetadata(metadata)
    return this.#store.transaction(async (tx) => {
      const server = await this.#load(tx, owner, id)
      assertActionAllowed('update', server, { isAdmin: isAdmin(owner) })
      const next = replace ? { ...metadata } : { ...server.metadata, ...metadata }
      await this.#checkMetadataQuota(tx, owner, next)
      await tx.servers.updateDetails(id, { metadata: next }, this.#clock.now())
      return next
    })
  }

  async deleteMetadataItem(owner: Owner, id: string, key: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const server = await this.#load(tx, owner, id)
      if (!(key in server.metadata)) throw new DomainError('not_found', `Metadata item was not found`, { resource: 'server', id })
      const next = { ...server.metadata }
      delete next[key]
      await tx.servers.updateDetails(id, { metadata: next }, this.#clock.now())
    })
  }

  async #checkMetadataQuota(tx: Repositories, owner: Owner, metadata: Record<string, string>): Promise<void> {
    const limit = (await tx.quotas.list(owner.projectId)).find((quota) => quota.resource === 'metadata_items')?.limit ?? -1
    const count = Object.keys(metadata).length
    if (limit >= 0 && count > limit) {
      throw new DomainError('quota_exceeded', `Quota exceeded for metadata_items: Requested ${count}, but the limit is ${limit}`,
        { quota: 'metadata_items' })
    }
  }

  // ---- lifecycle actions ---------------------------------------------------------------------------

  async delete(owner: Owner, id: string): Promise<void> {
    await this.#begin(owner, id, 'delete', ServerTaskKind.delete, {})
  }

  async start(owner: Owner, id: string): Promise<void> {
    await this.#begin(owner, id, 'start', ServerTaskKind.power, { operation: 'start' })
  }

  async stop(owner: Owner, id: string): Promise<void> {
    await this.#begin(owner, id, 'stop', ServerTaskKind.power, { operation: 'stop' })
  }

  async reboot(owner: Owner, id: string, kind: 'soft' | 'hard'): Promise<void> {
    const action = kind === 'hard' ? 'reboot_hard' : 'reboot_soft'
    await this.#begin(owner, id, action, ServerTaskKind.power, { operation: action })
  }

  async pause(owner: Owner, id: string): Promise<void> {
    await this.#begin(owner, id, 'pause', ServerTaskKind.power, { operation: 'pause' })
  }

  async unpause(owner: Owner, id: string): Promise<void> {
    await this.#begin(owner, id, 'unpause', ServerTaskKind.power, { operation: 'unpause' })
  }

  async suspend(owner: Owner, id: string): Promise<void> {
    await this.#begin(owner, id, 'suspend', ServerTaskKind.power, { operation: 'suspend' })
  }

  async resume(owner: Owner, id: string): Promise<void> {
    await this.#begin(owner, id, 'resume', ServerTaskKind.power, { operation: 'resume' })
  }

  async resize(owner: Owner, id: string, command: ResizeCommand): Promise<void> {
    await this.#begin(owner, id, 'resize', ServerTaskKind.resize, { autoConfirm: command.autoConfirm ?? null },
      async (tx, server) => {
        const flavor = await this.#collaborators.catalog.flavor(tx, command.flavorId)
        if (!flavor || flavor.disabled) {
          throw new DomainError('bad_request', `Flavor ${command.flavorId} could not be found.`,
            { resource: 'flavor', id: command.flavorId, field: 'flavorRef' })
        }
        if (flavor.id === server.flavorId) {
          throw badRequest('When resizing, instances must change flavor!', 'flavorRef')
        }
        if (flavor.diskGb > 0 && server.bootVolumeId === null && flavor.diskGb < server.rootGb) {
          throw badRequest('Resize error: Unable to resize disk down.', 'flavorRef')
        }
        // Growing consumes quota now (Nova checks at the API); shrinking releases at confirmation.
        await consumeQuotas(tx.quotas, owner.projectId, {
          cores: Math.max(0, flavor.vcpus - server.vcpus),
          ram: Math.max(0, flavor.ramMb - server.ramMb),
        })
        return { flavorId: flavor.id }
      })
  }

  async confirmResize(owner: Owner, id: string): Promise<void> {
    await this.#begin(owner, id, 'confirm_resize', ServerTaskKind.confirmResize, {})
  }

  async revertResize(owner: Owner, id: string): Promise<void> {
    await this.#begin(owner, id, 'revert_resize', ServerTaskKind.revertResize, {})
  }

  async rebuild(owner: Owner, id: string, command: RebuildCommand): Promise<void> {
    if (command.name !== undefined) validateServerName(command.name)
    if (command.metadata) validateMetadata(command.metadata)
    if (command.userData !== undefined) validateUserData(command.userData)
    await this.#begin(owner, id, 'rebuild', ServerTaskKind.rebuild, {}, async (tx, server) => {
      const imageId = command.imageId ?? server.imageId
      if (!imageId) throw badRequest('A server booted from a volume cannot be rebuilt without an image.', 'imageRef')
      const image = await this.#collaborators.catalog.image(tx, owner, imageId)
      if (!image || image.status !== 'active') {
        throw new DomainError('bad_request', `Can not find requested image ${imageId}`, { resource: 'image', id: imageId, field: 'imageRef' })
      }
      if (command.keyName) {
        const key = await this.#collaborators.catalog.keypairPublicKey(tx, owner, command.keyName)
        if (key === null) throw new DomainError('bad_request', 'Invalid key_name provided.', { resource: 'keypair', field: 'key_name' })
      }
      await tx.servers.updateDetails(id, {
        name: command.name, metadata: command.metadata ? { ...command.metadata } : undefined,
        userData: command.userData, keyName: command.keyName,
      }, this.#clock.now())
      return { imageId: image.id }
    })
  }

  async lock(owner: Owner, id: string, reason: string | null = null): Promise<void> {
    await this.#setLock(owner, id, 'lock', reason)
  }

  async unlock(owner: Owner, id: string): Promise<void> {
    await this.#setLock(owner, id, 'unlock', null)
  }

  async #setLock(owner: Owner, id: string, action: 'lock' | 'unlock', reason: string | null): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const server = await this.#load(tx, owner, id)
      assertActionAllowed(action, server, { isAdmin: isAdmin(owner) })
      await tx.servers.transition(id, { deleted: false }, {
        locked: action === 'lock', lockedReason: action === 'lock' ? reason : null, updatedAt: this.#clock.now(),
      })
      await this.#recordAction(tx, owner, id, action, 'success')
    })
  }

  /** Nova createImage: returns the id of the image that becomes active when the snapshot is done. */
  async createImage(owner: Owner, id: string, request: { name: string; metadata: Readonly<Record<string, string>>; strictNhn: boolean }): Promise<string> {
    if (typeof request.name !== 'string' || request.name.trim() === '' || request.name.length > 255) {
      throw badRequest('Invalid image name: it must be 1 to 255 characters.', 'name')
    }
    validateMetadata(request.metadata)
    let imageId = ''
    await this.#begin(owner, id, 'create_image', ServerTaskKind.snapshot, {}, async (tx, server) => {
      if (request.strictNhn) {
        const flavor = await this.#collaborators.catalog.flavor(tx, server.flavorId)
        if (!flavor || !this.#collaborators.catalog.isLocalDiskFlavor(flavor)) {
          throw new DomainError('bad_request',
            'Only servers of local-disk (U2) flavors can create images this way; use a block storage image instead.',
            { resource: 'server', id, field: 'createImage' })
        }
      }
      imageId = await this.#collaborators.images.beginSnapshot(tx, owner, {
        serverId: id, name: request.name, metadata: request.metadata, minDiskGb: server.rootGb, minRamMb: 0,
        baseImageId: server.imageId,
      })
      return { imageId }
    })
    return imageId
  }

  async attachVolume(owner: Owner, id: string, request: { volumeId: string; device: string | null; deleteOnTermination: boolean }): Promise<VolumeAttachmentRef> {
    let attachment: VolumeAttachmentRef | undefined
    await this.#begin(owner, id, 'attach_volume', ServerTaskKind.attachVolume, {}, async (tx) => {
      attachment = await this.#collaborators.storage.reserveAttachment(tx, owner, {
        volumeId: request.volumeId, serverId: id, device: normalizeDevice(request.device), bootIndex: null,
        deleteOnTermination: request.deleteOnTermination,
      })
      return { attachmentId: attachment.id }
    })
    return attachment as VolumeAttachmentRef
  }

  async detachVolume(owner: Owner, id: string, volumeId: string): Promise<void> {
    await this.#begin(owner, id, 'detach_volume', ServerTaskKind.detachVolume, {}, async (tx) => {
      const attachment = await this.#collaborators.storage.beginDetach(tx, owner, id, volumeId)
      return { attachmentId: attachment.id }
    })
  }

  async attachInterface(owner: Owner, id: string, choice: NetworkChoice): Promise<string> {
    return this.#immediate(owner, id, 'attach_interface', (tx) =>
      this.#collaborators.networking.attachInterface(tx, owner, id, choice))
  }

  async detachInterface(owner: Owner, id: string, portId: string): Promise<void> {
    await this.#immediate(owner, id, 'detach_interface', (tx) =>
      this.#collaborators.networking.detachInterface(tx, owner, id, portId))
  }

  async addSecurityGroup(owner: Owner, id: string, group: string): Promise<void> {
    await this.#immediate(owner, id, 'add_security_group', (tx) =>
      this.#collaborators.networking.addSecurityGroup(tx, owner, id, group))
  }

  async removeSecurityGroup(owner: Owner, id: string, group: string): Promise<void> {
    await this.#immediate(owner, id, 'remove_security_group', (tx) =>
      this.#collaborators.networking.removeSecurityGroup(tx, owner, id, group))
  }

  async addFloatingIp(owner: Owner, id: string, address: string, fixedIp: string | null): Promise<void> {
    await this.#immediate(owner, id, 'add_floating_ip', (tx) =>
      this.#collaborators.networking.associateFloatingIp(tx, owner, id, address, fixedIp))
  }

  async removeFloatingIp(owner: Owner, id: string, address: string): Promise<void> {
    await this.#immediate(owner, id, 'remove_floating_ip', (tx) =>
      this.#collaborators.networking.disassociateFloatingIp(tx, owner, id, address))
  }

  // ---- shared mechanics ----------------------------------------------------------------------------

  async #load(tx: Repositories, owner: Owner, id: string): Promise<Server> {
    const server = await tx.servers.get(owner.projectId, id)
    if (!server) throw notFound('server', id, 'instance')
    return server
  }

  /**
   * Starts an asynchronous action: guard, compare-and-set task_state, optional extra work in the same
   * transaction (`prepare`, whose result joins the task payload), action record, task.
   */
  async #begin(owner: Owner, id: string, action: ServerAction, kind: string, payload: Record<string, unknown>,
    prepare?: (tx: Repositories, server: Server) => Promise<Record<string, unknown>>): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const server = await this.#load(tx, owner, id)
      assertActionAllowed(action, server, { isAdmin: isAdmin(owner) })
      const rule = serverActionRules[action]
      const extra = prepare ? await prepare(tx, server) : {}
      if (rule.sets !== null) {
        const changed = await tx.servers.transition(id,
          { vmStates: rule.from, taskStates: rule.fromTask, deleted: false },
          { taskState: rule.sets, updatedAt: this.#clock.now() })
        if (!changed) {
          const current = await this.#load(tx, owner, id)
          assertActionAllowed(action, current, { isAdmin: isAdmin(owner) })
          throw new DomainError('conflict', `Instance ${id} changed state concurrently; retry the request.`, { resource: 'server', id })
        }
      }
      const actionId = await this.#recordAction(tx, owner, id, action)
      await this.#queue.enqueue(tx, {
        kind, resourceId: id, projectId: owner.projectId, payload: { ...payload, ...extra, actionId },
        deadlineSeconds: this.#options.actionDeadlineSeconds,
      })
    })
    this.#queue.wake()
  }

  /** An action that completes within the request (bookkeeping only), still guarded and recorded. */
  async #immediate<T>(owner: Owner, id: string, action: ServerAction, work: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.#store.transaction(async (tx) => {
      const server = await this.#load(tx, owner, id)
      assertActionAllowed(action, server, { isAdmin: isAdmin(owner) })
      const result = await work(tx)
      await tx.servers.transition(id, { deleted: false }, { updatedAt: this.#clock.now() })
      await this.#recordAction(tx, owner, id, action, 'success')
      return result
    })
  }

  async #recordAction(tx: Repositories, owner: Owner, serverId: string, action: string,
    result: 'success' | null = null): Promise<string> {
    const id = this.#ids.uuid()
    const now = this.#clock.now()
    await tx.serverActions.start({
      id, serverId, projectId: owner.projectId, userId: owner.userId, action, requestId: owner.requestId ?? null,
      message: null, result, startTime: now, finishTime: result ? now : null,
    })
    return id
  }
}

function validateCounts(minCount: number, maxCount: number): number {
  if (!Number.isInteger(minCount) || minCount < 1) throw badRequest('min_count must be an integer of at least 1.', 'min_count')
  if (!Number.isInteger(maxCount) || maxCount < minCount) {
    throw badRequest('max_count must be an integer not less than min_count.', 'max_count')
  }
  if (maxCount > MAX_SERVERS_PER_REQUEST) {
    throw badRequest(`At most ${MAX_SERVERS_PER_REQUEST} servers can be created at once.`, 'max_count')
  }
  return maxCount
}

/** `sourceSizeGb`: the size of the existing volume or snapshot the root boots from, if it does. */
function rootDiskSize(flavor: Flavor, image: BootImage | null, root: BlockDeviceRequest | undefined, sourceSizeGb: number | null): number {
  if (root && root.destinationType === 'volume') {
    // An existing volume is the disk as it is, whatever volume_size says (Nova ignores it there).
    if (root.sourceType === 'volume' && sourceSizeGb !== null) return sourceSizeGb
    const fromImage = image ? Math.max(image.minDiskGb, Math.ceil((image.sizeBytes ?? 0) / 1024 ** 3)) : 0
    const size = root.sizeGb ?? sourceSizeGb ?? Math.max(fromImage, 1)
    if (!Number.isInteger(size) || size < 1) throw badRequest('volume_size must be a positive integer.', 'volume_size')
    if (size < fromImage) throw badRequest(`Volume size ${size} GB is smaller than the image's minimum disk ${fromImage} GB.`, 'volume_size')
    return size
  }
  if (flavor.diskGb > 0) return flavor.diskGb
  return Math.max(image?.minDiskGb ?? 0, Math.ceil((image?.sizeBytes ?? 0) / 1024 ** 3), 1)
}

/** NHN Cloud's create rules beyond Nova's (seeds 001–003, CATALOG 2.2.2). */
function enforceNhnRules(command: CreateServersCommand, flavor: Flavor, osType: 'linux' | 'windows', rootGb: number,
  localDisk: boolean): void {
  if (command.networks === 'auto' || command.networks === 'none' || command.networks.length === 0) {
    throw badRequest('networks is required: give at least one network, subnet or port.', 'networks')
  }
  if (!command.keyName) throw badRequest('key_name is required.', 'key_name')
  if (!localDisk && command.blockDevices.length === 0) {
    throw badRequest('block_device_mapping_v2 is required for every flavor except local-disk (U2) flavors.', 'block_device_mapping_v2')
  }
  if (osType === 'windows') {
    if (command.name.length > 15) throw badRequest('A Windows server name must be at most 15 characters.', 'name')
    if (flavor.ramMb < 2048) throw badRequest('A Windows image needs a flavor with at least 2 GB of RAM.', 'flavorRef')
    if (localDisk) throw badRequest('A Windows image cannot use a local-disk (U2) flavor.', 'flavorRef')
    if (rootGb < 50) throw badRequest('A Windows root disk must be at least 50 GB.', 'volume_size')
  } else if (rootGb < 10) {
    throw badRequest('A Linux root disk must be at least 10 GB.', 'volume_size')
  }
  if (rootGb > 1000) throw badRequest('A root disk can be at most 1000 GB (1 TB).', 'volume_size')
}

/** NHN copies image facts into server metadata (seed 001's examples). */
function nhnImageMetadata(image: BootImage, rootGb: number): Record<string, string> {
  const keys = ['os_distro', 'os_version', 'os_type', 'os_architecture', 'login_username', 'hypervisor_type', 'description']
  const metadata: Record<string, string> = { image_name: image.name, volume_size: String(rootGb) }
  for (const key of keys) if (image.properties[key] !== undefined) metadata[key] = image.properties[key]
  return metadata
}

function normalizeDevice(device: string | null): string | null {
  if (!device) return null
  return device.startsWith('/dev/') ? device : `/dev/${device}`
}
