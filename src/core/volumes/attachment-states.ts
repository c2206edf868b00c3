/**
 * Pure rules of the attachment state machine: which status a volume shows for its set of attachments,
 * and which device name an attachment gets on a server.
 */
import type { AttachmentStatus, VolumeStatus } from './volume.ts'

/**
 * A volume's status follows from its attachments, so every attach/detach step (and its rollback)
 * recomputes it instead of remembering a previous status: any attached server makes it in-use (a
 * multi-attach volume stays in-use while another server attaches or detaches); otherwise a pending
 * detach or attach shows as detaching or attaching; no attachment leaves it available.
 */
export function volumeStatusFor(attachments: readonly { readonly status: AttachmentStatus }[]): VolumeStatus {
  if (attachments.length === 0) return 'available'
  if (attachments.some((attachment) => attachment.status === 'attached')) return 'in-use'
  if (attachments.some((attachment) => attachment.status === 'detaching')) return 'detaching'
  return 'attaching'
}

/** The volume statuses that the attachment bookkeeping owns (set by volumeStatusFor). */
export const ATTACHMENT_DRIVEN_STATUSES: readonly VolumeStatus[] = ['available', 'attaching', 'detaching', 'in-use']

export const ROOT_DEVICE = '/dev/vda'

/** Nova's accepted device names (nova/block_device.py), e.g. /dev/vdb, /dev/sdc, /dev/xvdd. */
const DEVICE_NAME = /^\/dev\/x?[a-z]?d?[a-z]+[0-9]*$/

export function isValidDeviceName(device: string): boolean {
  return DEVICE_NAME.test(device)
}

/** a, b, …, z, aa, ab, … as Nova's generate_device_letter numbers disks. */
export function deviceLetters(index: number): string {
  let letters = ''
  let rest = index
  do {
    letters = String.fromCharCode(97 + (rest % 26)) + letters
    rest = Math.floor(rest / 26) - 1
  } while (rest >= 0)
  return letters
}

/**
 * The device for a new attachment on a server whose devices `taken` are in use: the requested one when
 * it is free, else the first free /dev/vdX after the root. /dev/vda belongs to the root disk (a local
 * image disk or the boot volume), so only a boot volume (boot index 0) gets it.
 */
export function chooseDevice(taken: ReadonlySet<string>, requested: string | undefined, bootIndex: number | null): string {
  const isRoot = bootIndex === 0
  const wanted = requested ?? (isRoot ? ROOT_DEVICE : undefined)
  if (wanted !== undefined && !taken.has(wanted) && (wanted !== ROOT_DEVICE || isRoot)) return wanted
  for (let index = 1; ; index++) {
    const device = `/dev/vd${deviceLetters(index)}`
    if (!taken.has(device)) return device
  }
}
