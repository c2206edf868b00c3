/**
 * The worker half of the server lifecycle (Nova compute/manager.py): each handler calls the scheduler
 * and the hypervisor driver, then finalises with a compare-and-set on the task_state it expects, so a
 * delete that arrived meanwhile wins. Handlers are idempotent: a task resumed after a crash converges.
 * On final failure a handler reverts task_state and records a fault; a failed build or hard reboot
 * leaves the server in ERROR with the reason.
 */
import type { Clock } from '../ports/clock.ts'
import type { Repositories, Store } from '../ports/store.ts'
import { PowerState, type HypervisorDriver, type ServerSpec } from '../ports/hypervisor-driver.ts'
import type { Flavor } from '../flavors/flavor.ts'
import { releaseQuotas } from '../quotas/quotas.ts'
import type { Scheduler } from '../scheduler/scheduler.ts'
import { NoValidHostError } from '../scheduler/scheduler.ts'
import type { Task } from '../tasks/task.ts'
import type { TaskQueue } from '../tasks/task-queue.ts'
import { TransactionBatcher } from '../tasks/transaction-batcher.ts'
import { PermanentTaskError, type TaskContext, type TaskHandler, type TaskRegistry } from '../tasks/task-registry.ts'
import type { Server, TaskState, VmState } from './server.ts'
import type { ServerCollaborators } from './server-ports.ts'
import { ServerTaskKind } from './server-task-kinds.ts'

export interface ServerTaskOptions {
  readonly defaultAutoConfirmSeconds: number
  readonly actionDeadlineSeconds: number
}

type PowerOperation = 'start' | 'stop' | 'reboot_soft' | 'reboot_hard' | 'pause' | 'unpause' | 'suspend' | 'resume'

/** What each power operation runs from and ends in. */
const powerOutcomes: Record<PowerOperation, { taskState: TaskState; vmState: VmState; powerState: PowerState; errorOnFailure: boolean }> = {
  start: { taskState: 'powering-on', vmState: 'active', powerState: PowerState.RUNNING, errorOnFailure: false },
  stop: { taskState: 'powering-off', vmState: 'stopped', powerState: PowerState.SHUTDOWN, errorOnFailure: false },
  reboot_soft: { taskState: 'rebooting', vmState: 'active', powerState: PowerState.RUNNING, errorOnFailure: false },
  reboot_hard: { taskState: 'rebooting_hard', vmState: 'active', powerState: PowerState.RUNNING, errorOnFailure: true },
  pause: { taskState: 'pausing', vmState: 'paused', powerState: PowerState.PAUSED, errorOnFailure: false },
  unpause: { taskState: 'unpausing', vmState: 'active', powerState: PowerState.RUNNING, errorOnFailure: false },
  suspend: { taskState: 'suspending', vmState: 'suspended', powerState: PowerState.SUSPENDED, errorOnFailure: false },
  resume: { taskState: 'resuming', vmState: 'active', powerState: PowerState.RUNNING, errorOnFailure: false },
}

/** The consumer id of the claim a resize holds on its target until it is confirmed or reverted. */
export const resizeConsumer = (serverId: string) => `${serverId}#resize`

/** The server left `scheduling` while it was being placed: the placement is rolled back and the build ends. */
class BuildSuperseded extends Error {}

export class ServerTasks {
  readonly #store: Store
  readonly #clock: Clock
  readonly #driver: HypervisorDriver
  readonly #scheduler: Scheduler
  readonly #queue: TaskQueue
  readonly #collaborators: ServerCollaborators
  readonly #options: ServerTaskOptions
  /** Builds running at once share their placement and completion transactions. */
  readonly #batcher: TransactionBatcher

  constructor(store: Store, clock: Clock, driver: HypervisorDriver, scheduler: Scheduler, queue: TaskQueue,
    collaborators: ServerCollaborators, options: ServerTaskOptions) {
    this.#store = store
    this.#clock = clock
    this.#driver = driver
    this.#scheduler = scheduler
    this.#queue = queue
    this.#collaborators = collaborators
    this.#options = options
    this.#batcher = new TransactionBatcher(store)
  }

  register(registry: TaskRegistry): void {
    const handler = (run: (task: Task, context: TaskContext) => Promise<void>,
      onFailure: (task: Task, reason: string) => Promise<void>): TaskHandler => ({
      run: (context) => run(context.task, context),
      onFailure,
    })
    registry.register(ServerTaskKind.build, handler((task, context) => this.build(task, context), (task, reason) => this.buildFailed(task, reason)))
    registry.register(ServerTaskKind.delete, handler((task) => this.delete(task), (task, reason) => this.deleteFailed(task, reason)))
    registry.register(ServerTaskKind.power, handler((task) => this.power(task), (task, reason) => this.powerFailed(task, reason)))
    registry.register(ServerTaskKind.resize, handler((task) => this.resize(task), (task, reason) => this.resizeFailed(task, reason)))
    registry.register(ServerTaskKind.confirmResize, handler((task) => this.confirmResize(task),
      (task, reason) => this.revertTaskState(task, 'resize_confirming', reason)))
    registry.register(ServerTaskKind.revertResize, handler((task) => this.revertResize(task),
      (task, reason) => this.fail(task, 'resize_reverting', reason, true)))
    registry.register(ServerTaskKind.rebuild, handler((task) => this.rebuild(task), (task, reason) => this.fail(task, 'rebuilding', reason, true)))
    registry.register(ServerTaskKind.snapshot, handler((task) => this.snapshot(task), (task, reason) => this.snapshotFailed(task, reason)))
    registry.register(ServerTaskKind.attachVolume, handler((task) => this.attachVolume(task), (task, reason) => this.attachFailed(task, reason)))
    registry.register(ServerTaskKind.detachVolume, handler((task) => this.detachVolume(task), (task, reason) => this.detachFailed(task, reason)))
  }

  // ---- build ---------------------------------------------------------------------------------------

  /**
   * Places the server (claim, allocation and task_state spawning in one transaction), spawns it, then
   * makes it ACTIVE, finishes its create action and ends the task in one more. Each step is a
   * compare-and-set on the task_state it expects: a delete that came meanwhile wins, and a build resumed
   * after a crash carries on from the step it had reached.
   */
  async build(task: Task, context?: Pick<TaskContext, 'complete'>): Promise<void> {
    const server = await this.#load(task)
    if (!server || server.deleted || server.vmState !== 'building') return
    if (server.taskState !== 'scheduling' && server.taskState !== 'spawning') return
    let placed = server
    let host: { readonly id: string; readonly name: string } | undefined
    if (!server.hostId) {
      if (server.taskState !== 'scheduling') return
      try {
        const outcome = await this.#batcher.run(async (tx) => {
          // Creates since this version say whether the server joined a group; older tasks look it up.
          const group = task.payload.grouped === false ? null : await this.#collaborators.groups.placementGroup(tx, server.id)
          const chosen = await this.#scheduler.place(tx, server.id, {
            vcpus: server.vcpus, ramMb: server.ramMb, diskGb: server.bootVolumeId ? 0 : server.rootGb + server.ephemeralGb,
            availabilityZone: server.availabilityZone, group, excludeHostIds: new Set(),
          })
          const now = this.#clock.now()
          const moved = await tx.servers.transition(server.id, { taskStates: ['scheduling'], deleted: false },
            { hostId: chosen.id, availabilityZone: chosen.availabilityZone, taskState: 'spawning', updatedAt: now })
          // Changed meanwhile (a delete): undo the claim with the rest of the transaction.
          if (!moved) throw new BuildSuperseded()
          return { placed: { ...server, hostId: chosen.id, availabilityZone: chosen.availabilityZone, taskState: 'spawning' as const, updatedAt: now }, host: chosen }
        })
        placed = outcome.placed
        host = outcome.host
      } catch (error) {
        if (error instanceof BuildSuperseded) return
        if (error instanceof NoValidHostError) throw new PermanentTaskError(error.message)
        throw error
      }
    }
    if (placed.taskState !== 'spawning' || !placed.hostId) return
    const spec = await this.#spec(placed, host, typeof task.payload.publicKey === 'string' ? task.payload.publicKey : undefined)
    await this.#driver.spawn(spec)
    await this.#batcher.run(async (tx) => {
      // Boot volumes made by the create are attaching until now; a server without disks has none.
      if (spec.disks.length > 0) {
        for (const attachment of await this.#collaborators.storage.attachments(tx, server.id)) {
          if (attachment.status === 'attaching') await this.#collaborators.storage.completeAttachment(tx, attachment.id)
        }
      }
      const now = this.#clock.now()
      const done = await tx.servers.transition(server.id, { vmStates: ['building'], taskStates: ['spawning'], deleted: false }, {
        vmState: 'active', taskState: null, powerState: PowerState.RUNNING, launchedAt: now, progress: 100, updatedAt: now,
      })
      if (done) await this.#finishAction(tx, task, 'success', null)
      await context?.complete(tx)
    })
  }

  async buildFailed(task: Task, reason: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const server = await tx.servers.getById(task.resourceId ?? '')
      if (!server || server.deleted || server.vmState !== 'building') return
      const now = this.#clock.now()
      // The host goes with the claim (Nova nils out host and node), so the server claims no place it holds none.
      const failed = await tx.servers.transition(server.id, { vmStates: ['building'], taskStates: ['scheduling', 'spawning'] }, {
        vmState: 'error', taskState: null, powerState: PowerState.NOSTATE, hostId: null,
        fault: { code: 500, message: reason, details: null, createdAt: now }, updatedAt: now,
      })
      if (!failed) return
      // A build that failed holds no capacity (Nova releases the claim); the server keeps its quota until deleted.
      await this.#scheduler.release(tx, server.id)
      await this.#finishAction(tx, task, 'error', reason)
    })
    if (task.resourceId) await this.#driver.destroy(task.resourceId).catch(() => undefined)
  }

  // ---- delete --------------------------------------------------------------------------------------

  async delete(task: Task): Promise<void> {
    const server = await this.#load(task)
    if (!server || server.deleted) return
    await this.#driver.destroy(server.id)
    await this.#store.transaction(async (tx) => {
      const current = await tx.servers.getById(server.id)
      if (!current || current.deleted) return
      await this.#collaborators.networking.release(tx, server.id)
      await this.#collaborators.storage.releaseServerVolumes(tx, server.id)
      await this.#collaborators.groups.leave(tx, server.id)
      await this.#scheduler.release(tx, server.id)
      await this.#scheduler.release(tx, resizeConsumer(server.id))
      const held = await this.#heldResources(tx, current)
      await releaseQuotas(tx.quotas, current.projectId, { instances: 1, cores: held.vcpus, ram: held.ramMb })
      const now = this.#clock.now()
      await tx.servers.transition(server.id, { deleted: false }, {
        vmState: 'deleted', taskState: null, powerState: PowerState.NOSTATE, deleted: true, deletedAt: now,
        terminatedAt: now, updatedAt: now,
      })
      await this.#finishAction(tx, task, 'success', null)
    })
  }

  async deleteFailed(task: Task, reason: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const now = this.#clock.now()
      const failed = await tx.servers.transition(task.resourceId ?? '', { taskStates: ['deleting'], deleted: false }, {
        vmState: 'error', taskState: null, fault: { code: 500, message: `Delete failed: ${reason}`, details: null, createdAt: now },
        updatedAt: now,
      })
      if (failed) await this.#finishAction(tx, task, 'error', reason)
    })
  }

  /** Quota a server holds: while a resize awaits confirmation, the larger of the two flavors. */
  async #heldResources(tx: Repositories, server: Server): Promise<{ vcpus: number; ramMb: number }> {
    if (server.vmState !== 'resized' || !server.previousFlavorId) return { vcpus: server.vcpus, ramMb: server.ramMb }
    const previous = await this.#collaborators.catalog.flavor(tx, server.previousFlavorId)
    return {
      vcpus: Math.max(server.vcpus, previous?.vcpus ?? 0),
      ramMb: Math.max(server.ramMb, previous?.ramMb ?? 0),
    }
  }

  // ---- power ---------------------------------------------------------------------------------------

  async power(task: Task): Promise<void> {
    const operation = task.payload.operation as PowerOperation
    const outcome = powerOutcomes[operation]
    const server = await this.#load(task)
    if (!server || server.deleted || server.taskState !== outcome.taskState) return
    switch (operation) {
      case 'start': await this.#driver.powerOn(server.id); break
      case 'stop': await this.#driver.powerOff(server.id); break
      case 'reboot_soft': await this.#driver.reboot(server.id, 'soft'); break
      case 'reboot_hard': await this.#driver.reboot(server.id, 'hard'); break
      case 'pause': await this.#optional('pause')(server.id); break
      case 'unpause': await this.#optional('unpause')(server.id); break
      case 'suspend': await this.#optional('suspend')(server.id); break
      case 'resume': await this.#optional('resume')(server.id); break
    }
    await this.#complete(task, server.id, outcome.taskState, { vmState: outcome.vmState, powerState: outcome.powerState })
  }

  async powerFailed(task: Task, reason: string): Promise<void> {
    const outcome = powerOutcomes[task.payload.operation as PowerOperation]
    if (!outcome) return
    await this.fail(task, outcome.taskState, reason, outcome.errorOnFailure)
  }

  #optional(operation: 'pause' | 'unpause' | 'suspend' | 'resume'): (serverId: string) => Promise<void> {
    const method = this.#driver[operation]
    if (!method) throw new PermanentTaskError(`The ${this.#driver.name} hypervisor does not support ${operation}.`)
    return method.bind(this.#driver)
  }

  // ---- resize --------------------------------------------------------------------------------------

  async resize(task: Task): Promise<void> {
    const server = await this.#load(task)
    if (!server || server.deleted) return
    const flavorId = String(task.payload.flavorId)
    if (server.taskState === 'resize_prep') {
      const flavor = await this.#flavor(flavorId)
      await this.#store.transaction(async (tx) => {
        const group = await this.#collaborators.groups.placementGroup(tx, server.id)
        const request = {
          vcpus: flavor.vcpus, ramMb: flavor.ramMb, diskGb: server.bootVolumeId ? 0 : Math.max(flavor.diskGb, server.rootGb),
          availabilityZone: server.availabilityZone, group, excludeHostIds: new Set<string>(),
        }
        // Nova resizes onto the scheduler's choice; the current host is a candidate like any other.
        const existing = await tx.hosts.allocationsOf(resizeConsumer(server.id))
        const target = existing[0]?.hostId
          ?? (await this.#scheduler.place(tx, resizeConsumer(server.id), request)).id
        await tx.servers.transition(server.id, { taskStates: ['resize_prep'], deleted: false }, {
          taskState: 'resize_migrating', previousHostId: server.hostId, updatedAt: this.#clock.now(),
        })
        await tx.servers.updateDetails(server.id, { attributes: { ...server.attributes, resizeTargetHostId: target } }, this.#clock.now())
      }).catch((error) => {
        if (error instanceof NoValidHostError) throw new PermanentTaskError(error.message)
        throw error
      })
    }
    const current = await this.#load(task)
    if (!current || current.taskState !== 'resize_migrating') return
    const flavor = await this.#flavor(flavorId)
    const targetHostId = String(current.attributes.resizeTargetHostId ?? current.hostId)
    const resize = this.#driver.resize
    if (!resize) throw new PermanentTaskError(`The ${this.#driver.name} hypervisor does not support resize.`)
    const rootGb = current.bootVolumeId ? current.rootGb : Math.max(flavor.diskGb, current.rootGb)
    await resize.call(this.#driver, await this.#spec({
      ...current, hostId: targetHostId, vcpus: flavor.vcpus, ramMb: flavor.ramMb, rootGb, ephemeralGb: flavor.ephemeralGb,
    }))
    const project = current.projectId
    const autoConfirm = task.payload.autoConfirm
    let confirmAfter: number | null = null
    await this.#store.transaction(async (tx) => {
      const host = await tx.hosts.get(targetHostId)
      const now = this.#clock.now()
      const { [`resizeTargetHostId`]: _target, ...attributes } = current.attributes
      const done = await tx.servers.transition(current.id, { taskStates: ['resize_migrating'], deleted: false }, {
        vmState: 'resized', taskState: null, previousVmState: current.vmState, previousFlavorId: current.flavorId,
        flavorId: flavor.id, vcpus: flavor.vcpus, ramMb: flavor.ramMb, rootGb, ephemeralGb: flavor.ephemeralGb,
        hostId: targetHostId, availabilityZone: host?.availabilityZone ?? current.availabilityZone, updatedAt: now,
      })
      if (!done) return
      await tx.servers.updateDetails(current.id, { attributes }, now)
      await this.#finishAction(tx, task, 'success', null)
      const projectSetting = await this.#autoConfirmSeconds(tx, project)
      confirmAfter = autoConfirm === true ? (projectSetting ?? this.#options.defaultAutoConfirmSeconds) : projectSetting
      if (confirmAfter !== null) {
        await tx.servers.transition(current.id, { vmStates: ['resized'], taskStates: [null] }, {
          taskState: 'resize_confirming', updatedAt: now,
        })
        await this.#queue.enqueue(tx, {
          kind: ServerTaskKind.confirmResize, resourceId: current.id, projectId: project, delaySeconds: confirmAfter,
          deadlineSeconds: this.#options.actionDeadlineSeconds + confirmAfter, payload: { automatic: true },
        })
      }
    })
    if (confirmAfter !== null) this.#queue.wake()
  }

  async resizeFailed(task: Task, reason: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const server = await tx.servers.getById(task.resourceId ?? '')
      if (!server || server.deleted) return
      await this.#scheduler.release(tx, resizeConsumer(server.id))
      const flavor = await this.#collaborators.catalog.flavor(tx, String(task.payload.flavorId))
      if (flavor) {
        await releaseQuotas(tx.quotas, server.projectId, {
          cores: Math.max(0, flavor.vcpus - server.vcpus), ram: Math.max(0, flavor.ramMb - server.ramMb),
        })
      }
    })
    await this.revertTaskState(task, ['resize_prep', 'resize_migrating'], reason)
  }

  async confirmResize(task: Task): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const server = await tx.servers.getById(task.resourceId ?? '')
      if (!server || server.deleted || server.vmState !== 'resized' || server.taskState !== 'resize_confirming') return
      const previous = server.previousFlavorId ? await this.#collaborators.catalog.flavor(tx, server.previousFlavorId) : null
      await this.#scheduler.release(tx, server.id)
      await tx.hosts.reassignAllocations(resizeConsumer(server.id), server.id)
      if (previous) {
        await releaseQuotas(tx.quotas, server.projectId, {
          cores: Math.max(0, previous.vcpus - server.vcpus), ram: Math.max(0, previous.ramMb - server.ramMb),
        })
      }
      const now = this.#clock.now()
      const done = await tx.servers.transition(server.id, { vmStates: ['resized'], taskStates: ['resize_confirming'] }, {
        vmState: server.previousVmState ?? 'active', taskState: null, previousFlavorId: null, previousHostId: null,
        previousVmState: null, updatedAt: now,
      })
      if (done && task.payload.automatic !== true) await this.#finishAction(tx, task, 'success', null)
    })
  }

  async revertResize(task: Task): Promise<void> {
    const server = await this.#load(task)
    if (!server || server.deleted || server.taskState !== 'resize_reverting' || !server.previousFlavorId) return
    const previous = await this.#flavor(server.previousFlavorId)
    const hostId = server.previousHostId ?? server.hostId
    const rootGb = server.bootVolumeId || previous.diskGb === 0 ? server.rootGb : previous.diskGb
    const resize = this.#driver.resize
    if (!resize) throw new PermanentTaskError(`The ${this.#driver.name} hypervisor does not support resize.`)
    await resize.call(this.#driver, await this.#spec({
      ...server, hostId, vcpus: previous.vcpus, ramMb: previous.ramMb, rootGb, ephemeralGb: previous.ephemeralGb,
    }))
    await this.#store.transaction(async (tx) => {
      await this.#scheduler.release(tx, resizeConsumer(server.id))
      await releaseQuotas(tx.quotas, server.projectId, {
        cores: Math.max(0, server.vcpus - previous.vcpus), ram: Math.max(0, server.ramMb - previous.ramMb),
      })
      const host = hostId ? await tx.hosts.get(hostId) : undefined
      const now = this.#clock.now()
      const done = await tx.servers.transition(server.id, { vmStates: ['resized'], taskStates: ['resize_reverting'] }, {
        vmState: server.previousVmState ?? 'active', taskState: null, flavorId: previous.id, vcpus: previous.vcpus,
        ramMb: previous.ramMb, rootGb, ephemeralGb: previous.ephemeralGb, hostId,
        availabilityZone: host?.availabilityZone ?? server.availabilityZone,
        previousFlavorId: null, previousHostId: null, previousVmState: null, updatedAt: now,
      })
      if (done) await this.#finishAction(tx, task, 'success', null)
    })
  }

  // ---- rebuild, snapshot, volumes ------------------------------------------------------------------

  async rebuild(task: Task): Promise<void> {
    const server = await this.#load(task)
    if (!server || server.deleted || server.taskState !== 'rebuilding') return
    const imageId = String(task.payload.imageId)
    const rebuilt = { ...server, imageId }
    await this.#driver.rebuild(await this.#spec(rebuilt))
    const wasStopped = server.vmState === 'stopped'
    if (wasStopped) await this.#driver.powerOff(server.id)
    await this.#complete(task, server.id, 'rebuilding', {
      vmState: wasStopped ? 'stopped' : 'active', powerState: wasStopped ? PowerState.SHUTDOWN : PowerState.RUNNING,
      imageId, launchedAt: this.#clock.now(),
    })
  }

  async snapshot(task: Task): Promise<void> {
    const server = await this.#load(task)
    const imageId = String(task.payload.imageId)
    if (!server || server.deleted || (server.taskState !== 'image_snapshot' && server.taskState !== 'image_uploading')) return
    await this.#store.servers.transition(server.id, { taskStates: ['image_snapshot'] }, {
      taskState: 'image_uploading', updatedAt: this.#clock.now(),
    })
    const result = await this.#driver.snapshot(server.id, imageId)
    await this.#store.transaction(async (tx) => {
      await this.#collaborators.images.finishSnapshot(tx, imageId, { sizeBytes: result.sizeBytes, checksum: result.checksum })
      const now = this.#clock.now()
      const done = await tx.servers.transition(server.id, { taskStates: ['image_snapshot', 'image_uploading'] }, {
        taskState: null, updatedAt: now,
      })
      if (done) await this.#finishAction(tx, task, 'success', null)
    })
  }

  async snapshotFailed(task: Task, reason: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      await this.#collaborators.images.failSnapshot(tx, String(task.payload.imageId))
    })
    await this.revertTaskState(task, ['image_snapshot', 'image_uploading'], reason)
  }

  async attachVolume(task: Task): Promise<void> {
    const server = await this.#load(task)
    const attachmentId = String(task.payload.attachmentId)
    if (!server || server.deleted) return
    const attachment = (await this.#collaborators.storage.attachments(this.#store, server.id))
      .find((candidate) => candidate.id === attachmentId)
    if (!attachment || attachment.status !== 'attaching') return
    const disk = (await this.#collaborators.storage.disks(this.#store, server.id))
      .find((candidate) => candidate.volumeId === attachment.volumeId)
    if (disk) await this.#driver.attachVolume(server.id, disk)
    await this.#store.transaction(async (tx) => {
      await this.#collaborators.storage.completeAttachment(tx, attachmentId)
      await tx.servers.transition(server.id, {}, { updatedAt: this.#clock.now() })
      await this.#finishAction(tx, task, 'success', null)
    })
  }

  async attachFailed(task: Task, reason: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      await this.#collaborators.storage.abortAttachment(tx, String(task.payload.attachmentId))
      await this.#recordFault(tx, task, reason)
      await this.#finishAction(tx, task, 'error', reason)
    })
  }

  async detachVolume(task: Task): Promise<void> {
    const server = await this.#load(task)
    const attachmentId = String(task.payload.attachmentId)
    if (!server) return
    const attachment = (await this.#collaborators.storage.attachments(this.#store, server.id))
      .find((candidate) => candidate.id === attachmentId)
    if (!attachment) return
    await this.#driver.detachVolume(server.id, attachment.volumeId)
    await this.#store.transaction(async (tx) => {
      await this.#collaborators.storage.completeDetach(tx, attachmentId)
      await tx.servers.transition(server.id, {}, { updatedAt: this.#clock.now() })
      await this.#finishAction(tx, task, 'success', null)
    })
  }

  async detachFailed(task: Task, reason: string): Promise<void> {
    await this.#store.transaction(async (tx) => {
      // The volume stays attached: put the attachment back as it was.
      await this.#collaborators.storage.completeAttachment(tx, String(task.payload.attachmentId))
      await this.#recordFault(tx, task, reason)
      await this.#finishAction(tx, task, 'error', reason)
    })
  }

  // ---- shared mechanics ----------------------------------------------------------------------------

  async #load(task: Task): Promise<Server | undefined> {
    return task.resourceId ? this.#store.servers.getById(task.resourceId) : undefined
  }

  async #flavor(id: string): Promise<Flavor> {
    const flavor = await this.#collaborators.catalog.flavor(this.#store, id)
    if (!flavor) throw new PermanentTaskError(`Flavor ${id} no longer exists.`)
    return flavor
  }

  async #autoConfirmSeconds(tx: Repositories, projectId: string): Promise<number | null> {
    const project = await tx.projects.findById(projectId)
    return project?.autoConfirmResizeSeconds ?? null
  }

  /** Finalises an action with a compare-and-set on the task_state it ran under. */
  async #complete(task: Task, serverId: string, expected: TaskState,
    update: { vmState: VmState; powerState: PowerState; imageId?: string; launchedAt?: Date }): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const now = this.#clock.now()
      const done = await tx.servers.transition(serverId, { taskStates: [expected], deleted: false }, {
        ...update, taskState: null, fault: null, updatedAt: now,
      })
      if (done) await this.#finishAction(tx, task, 'success', null)
    })
  }

  /** Nova reverts_task_state: the action failed, the server keeps its vm_state, the fault says why. */
  async revertTaskState(task: Task, expected: TaskState | readonly TaskState[], reason: string): Promise<void> {
    await this.fail(task, expected, reason, false)
  }

  async fail(task: Task, expected: TaskState | readonly TaskState[], reason: string, toError: boolean): Promise<void> {
    const states = (Array.isArray(expected) ? expected : [expected]) as TaskState[]
    await this.#store.transaction(async (tx) => {
      const now = this.#clock.now()
      const failed = await tx.servers.transition(task.resourceId ?? '', { taskStates: states, deleted: false }, {
        taskState: null, ...(toError ? { vmState: 'error' as const } : {}),
        fault: { code: 500, message: reason, details: null, createdAt: now }, updatedAt: now,
      })
      if (failed) await this.#finishAction(tx, task, 'error', reason)
    })
  }

  async #recordFault(tx: Repositories, task: Task, reason: string): Promise<void> {
    const now = this.#clock.now()
    await tx.servers.transition(task.resourceId ?? '', { deleted: false }, {
      fault: { code: 500, message: reason, details: null, createdAt: now }, updatedAt: now,
    })
  }

  async #finishAction(tx: Repositories, task: Task, result: 'success' | 'error', message: string | null): Promise<void> {
    const actionId = task.payload.actionId
    if (typeof actionId === 'string') await tx.serverActions.finish(actionId, result, message, this.#clock.now())
    else if (task.kind === ServerTaskKind.build && task.resourceId) {
      const create = (await tx.serverActions.list(task.resourceId)).find((action) => action.action === 'create')
      if (create && !create.finishTime) await tx.serverActions.finish(create.id, result, message, this.#clock.now())
    }
  }

  /**
   * The plain-data description the driver needs; it never sees the store. `placedOn`: the host a build
   * has just claimed; `keyAtCreate`: the public key a build task carries (other actions read it).
   */
  async #spec(server: Server, placedOn?: { readonly id: string; readonly name: string }, keyAtCreate?: string): Promise<ServerSpec> {
    const [nics, disks] = await Promise.all([
      this.#collaborators.networking.nics(this.#store, server.id),
      this.#collaborators.storage.disks(this.#store, server.id),
    ])
    const host = placedOn && placedOn.id === server.hostId ? placedOn
      : server.hostId ? await this.#store.hosts.get(server.hostId) : undefined
    if (!host) throw new PermanentTaskError(`Server ${server.id} has no host.`)
    const image = server.imageId ? await this.#store.images.get(server.imageId) : null
    const publicKey = keyAtCreate !== undefined && server.keyName ? keyAtCreate
      : server.keyName
      ? await this.#collaborators.catalog.keypairPublicKey(this.#store, { projectId: server.projectId, userId: server.userId, roles: ['member'] }, server.keyName)
      : null
    return {
      serverId: server.id,
      name: server.name,
      host: host.name,
      vcpus: server.vcpus,
      ramMb: server.ramMb,
      rootDiskGb: server.rootGb,
      imageId: server.imageId,
      imagePath: image?.filePath ?? null,
      osType: server.osType,
      nics,
      disks,
      publicKey,
      userData: server.userData ? Buffer.from(server.userData, 'base64').toString('utf8') : null,
      metadata: server.metadata,
    }
  }
}
