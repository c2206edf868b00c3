/**
 * Attachment bookkeeping, run inside the server lifecycle's transactions: the API half reserves (or
 * begins a detach), a task does the driver work, and the task completes or aborts the step. Every step
 * first locks the volume, so steps on one volume are serialized, then recomputes the volume's status
 * from its attachments (attachment-states.ts).
 */
import type { DiskSpec } from '../ports/hypervisor-driver.ts'
import type { Repositories } from '../ports/store.ts'
import { releaseQuotas } from '../quotas/quotas.ts'
import { DomainError, badRequest, conflict, invalidState, notFound } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import { ATTACHMENT_DRIVEN_STATUSES, chooseDevice, isValidDeviceName, volumeStatusFor } from './attachment-states.ts'
import type { Attachment, Volume } from './volume.ts'

export interface AttachmentRequest {
  readonly volumeId: string
  readonly serverId: string
  /** Wanted device; another free one is chosen when it is taken on the server. */
  readonly device?: string | null
  /** 0 for the boot volume; null or absent for a data volume. */
  readonly bootIndex?: number | null
  readonly deleteOnTermination: boolean
}

// Two attaches racing for one device on a server both insert; the loser retries with the next device.
const DEVICE_RACE_RETRIES = 20

/**
 * Reserves the volume for the server: the volume must be available, or in-use and multi-attach. The
 * volume turns attaching (a multi-attach volume in use stays in-use) and the attachment is attaching.
 */
export async function reserveVolumeAttachment(
  tx: Repositories,
  owner: Owner,
  request: AttachmentRequest,
  now: Date,
): Promise<Attachment> {
  const requestedDevice = request.device ?? undefined
  if (requestedDevice !== undefined && !isValidDeviceName(requestedDevice)) {
    throw badRequest(`The supplied device path (${requestedDevice}) is invalid.`, 'device')
  }
  const volume = await lockOwnedVolume(tx, owner, request.volumeId)
  if (await tx.volumeAttachments.find(volume.id, request.serverId)) {
    throw conflict('volume_attachment', `Volume ${volume.id} is already attached to server ${request.serverId}`, volume.id)
  }
  const attachable = volume.status === 'available' || (volume.status === 'in-use' && volume.multiattach)
  if (!attachable) throw invalidState('volume', volume.id, 'attach', volume.status)

  const bootIndex = request.bootIndex ?? null
  const taken = new Set((await tx.volumeAttachments.listByServers([request.serverId])).map((other) => other.device))
  for (let attempt = 0; attempt < DEVICE_RACE_RETRIES; attempt++) {
    const attachment: Attachment = {
      id: crypto.randomUUID(),
      projectId: volume.projectId,
      volumeId: volume.id,
      serverId: request.serverId,
      device: chooseDevice(taken, requestedDevice, bootIndex),
      bootIndex,
      deleteOnTermination: request.deleteOnTermination,
      status: 'attaching',
      createdAt: now,
    }
    if (await tx.volumeAttachments.insert(attachment)) {
      await settleVolumeStatus(tx, volume.id, now)
      return attachment
    }
    if (await tx.volumeAttachments.find(volume.id, request.serverId)) {
      throw conflict('volume_attachment', `Volume ${volume.id} is already attached to server ${request.serverId}`, volume.id)
    }
    taken.add(attachment.device)
  }
  throw conflict('volume_attachment', `No free device on server ${request.serverId}`, volume.id)
}

/** The driver attached the volume: attachment attached, volume in-use. Completing twice is harmless. */
export async function completeVolumeAttachment(tx: Repositories, attachmentId: string, now: Date): Promise<Attachment> {
  const found = await tx.volumeAttachments.get(attachmentId)
  if (!found) throw notFound('volume_attachment', attachmentId)
  await tx.volumes.lockById(found.volumeId)
  const current = await tx.volumeAttachments.get(attachmentId)
  if (!current) throw notFound('volume_attachment', attachmentId)
  if (current.status === 'attached') return current
  const attached = await tx.volumeAttachments.setStatus(attachmentId, 'attached', ['attaching'])
  if (!attached) throw invalidState('volume_attachment', attachmentId, 'complete attach', current.status)
  await settleVolumeStatus(tx, attached.volumeId, now)
  return attached
}

/**
 * Starts detaching the volume from the server: attachment (and a single-attached volume) detaching.
 * Not attached there → not_found; the boot volume cannot be detached (Nova answers 400).
 */
export async function beginVolumeDetach(
  tx: Repositories,
  owner: Owner,
  target: { readonly volumeId: string; readonly serverId: string },
  now: Date,
): Promise<Attachment> {
  const volume = await lockOwnedVolume(tx, owner, target.volumeId)
  const attachment = await tx.volumeAttachments.find(volume.id, target.serverId)
  if (!attachment) throw notAttached(volume.id, target.serverId)
  if (attachment.bootIndex === 0) throw badRequest('Cannot detach a root device volume', 'volumeId')
  const detaching = await tx.volumeAttachments.setStatus(attachment.id, 'detaching', ['attached'])
  if (!detaching) throw invalidState('volume_attachment', attachment.id, 'detach', attachment.status)
  await settleVolumeStatus(tx, volume.id, now)
  return detaching
}

/**
 * The driver detached the volume: the attachment goes, and the volume is available again unless
 * other servers still have it. Returns the volume, or null when the attachment was already gone.
 */
export async function completeVolumeDetach(tx: Repositories, attachmentId: string, now: Date): Promise<Volume | null> {
  const found = await tx.volumeAttachments.get(attachmentId)
  if (!found) return null
  await tx.volumes.lockById(found.volumeId)
  if (!(await tx.volumeAttachments.delete(attachmentId))) return null
  return settleVolumeStatus(tx, found.volumeId, now)
}

/**
 * Undoes a step that failed in the driver: an attach being reserved disappears, a detach in progress
 * returns to attached. The volume's status is recomputed. Null when the attachment was already gone.
 */
export async function abortVolumeAttachment(tx: Repositories, attachmentId: string, now: Date): Promise<Volume | null> {
  const found = await tx.volumeAttachments.get(attachmentId)
  if (!found) return null
  await tx.volumes.lockById(found.volumeId)
  const current = await tx.volumeAttachments.get(attachmentId)
  if (!current) return null
  if (current.status === 'attaching') await tx.volumeAttachments.delete(attachmentId)
  else if (current.status === 'detaching') await tx.volumeAttachments.setStatus(attachmentId, 'attached', ['detaching'])
  return settleVolumeStatus(tx, current.volumeId, now)
}

/** The attachments of each server (every id is a key, an empty list when none), in one query. */
export async function serverVolumeAttachments(
  repos: Repositories,
  serverIds: readonly string[],
): Promise<Map<string, Attachment[]>> {
  const byServer = new Map<string, Attachment[]>(serverIds.map((id) => [id, []]))
  if (serverIds.length === 0) return byServer
  for (const attachment of await repos.volumeAttachments.listByServers(serverIds)) {
    byServer.get(attachment.serverId)?.push(attachment)
  }
  return byServer
}

/**
 * The server's volumes as the driver sees them (device, size, boot order), with the image file a volume
 * was created from so that a driver can fill a new boot volume from it.
 */
export async function serverVolumeDisks(repos: Repositories, serverId: string): Promise<DiskSpec[]> {
  const attachments = await repos.volumeAttachments.listByServers([serverId])
  const volumes = new Map((await repos.volumes.getByIds(attachments.map((a) => a.volumeId))).map((v) => [v.id, v]))
  const imagePaths = new Map<string, string | null>()
  for (const volume of volumes.values()) {
    if (volume.imageId !== null && !imagePaths.has(volume.imageId)) {
      imagePaths.set(volume.imageId, (await repos.images.get(volume.imageId))?.filePath ?? null)
    }
  }
  return attachments.flatMap((attachment) => {
    const volume = volumes.get(attachment.volumeId)
    if (!volume) return []
    return [{
      volumeId: volume.id,
      sizeGb: volume.sizeGb,
      bootIndex: attachment.bootIndex,
      imagePath: volume.imageId === null ? null : imagePaths.get(volume.imageId) ?? null,
      device: attachment.device,
    }]
  })
}

/** One server's attachment of one volume, for the owner; not_found when there is none. */
export async function getServerVolumeAttachment(
  repos: Repositories,
  owner: Owner,
  target: { readonly volumeId: string; readonly serverId: string },
): Promise<Attachment> {
  const attachment = await repos.volumeAttachments.find(target.volumeId, target.serverId)
  if (!attachment || attachment.projectId !== owner.projectId) throw notAttached(target.volumeId, target.serverId)
  return attachment
}

/** Changes whether the volume goes with the server (SCP's update of a server volume). */
export async function setVolumeDeleteOnTermination(
  tx: Repositories,
  owner: Owner,
  target: { readonly volumeId: string; readonly serverId: string; readonly deleteOnTermination: boolean },
): Promise<Attachment> {
  const attachment = await getServerVolumeAttachment(tx, owner, target)
  const updated = await tx.volumeAttachments.setDeleteOnTermination(attachment.id, target.deleteOnTermination)
  if (!updated) throw notFound('volume_attachment', target.volumeId)
  return updated
}

export interface ReleasedServerVolumes {
  /** Every attachment the server had, as it was before the release. */
  readonly detached: readonly Attachment[]
  /** Volumes deleted because of delete_on_termination (their quota released). */
  readonly deletedVolumeIds: readonly string[]
  /**
   * delete_on_termination volumes that had to be kept: still attached to another server, or with
   * snapshots (Cinder refuses that delete too, and Nova then leaves the volume).
   */
  readonly keptVolumeIds: readonly string[]
}

/** For a server being deleted: drops all its attachments at once and deletes its delete_on_termination volumes. */
export async function releaseServerVolumes(tx: Repositories, serverId: string, now: Date): Promise<ReleasedServerVolumes> {
  const detached = await tx.volumeAttachments.listByServers([serverId])
  const deletedVolumeIds: string[] = []
  const keptVolumeIds: string[] = []
  for (const attachment of detached) {
    await tx.volumes.lockById(attachment.volumeId)
    await tx.volumeAttachments.delete(attachment.id)
    const volume = await settleVolumeStatus(tx, attachment.volumeId, now)
    if (!attachment.deleteOnTermination || !volume) continue
    const deletable = volume.status === 'available' && (await tx.snapshots.countByVolume(volume.id)) === 0
    if (deletable && (await tx.volumes.delete(volume.id, ['available']))) {
      await releaseQuotas(tx.quotas, volume.projectId, { volumes: 1, gigabytes: volume.sizeGb })
      deletedVolumeIds.push(volume.id)
    } else {
      keptVolumeIds.push(volume.id)
    }
  }
  return { detached, deletedVolumeIds, keptVolumeIds }
}

function notAttached(volumeId: string, serverId: string): DomainError {
  return new DomainError('not_found', `Volume ${volumeId} is not attached to server ${serverId}.`, {
    resource: 'volume_attachment', id: volumeId,
  })
}

async function lockOwnedVolume(tx: Repositories, owner: Owner, volumeId: string): Promise<Volume> {
  const volume = await tx.volumes.lockById(volumeId)
  if (!volume || volume.projectId !== owner.projectId) throw notFound('volume', volumeId)
  return volume
}

/**
 * Writes the status the volume's attachments call for. A volume in a status the attachments do not
 * own (an error, say) keeps it. The caller holds the volume's lock.
 */
async function settleVolumeStatus(tx: Repositories, volumeId: string, now: Date): Promise<Volume | null> {
  const volume = await tx.volumes.getById(volumeId)
  if (!volume) return null
  const status = volumeStatusFor(await tx.volumeAttachments.listByVolume(volumeId))
  if (status === volume.status || !ATTACHMENT_DRIVEN_STATUSES.includes(volume.status)) return volume
  return tx.volumes.update(volumeId, { status, updatedAt: now }, ATTACHMENT_DRIVEN_STATUSES)
}
