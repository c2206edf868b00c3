/**
 * The server state machine, as a table (Nova's check_instance_state + vm_states.ALLOW_*): for every
 * action, the vm_states and task_states it may start from, the task_state it sets while it runs, and
 * whether a lock blocks it. Pure: the service and the tests read the same table.
 */
import { DomainError } from '../shared/errors.ts'
import type { Server, TaskState, VmState } from './server.ts'

export type ServerAction =
  | 'delete' | 'start' | 'stop' | 'reboot_soft' | 'reboot_hard'
  | 'resize' | 'confirm_resize' | 'revert_resize' | 'rebuild'
  | 'pause' | 'unpause' | 'suspend' | 'resume' | 'lock' | 'unlock'
  | 'create_image' | 'attach_volume' | 'detach_volume' | 'attach_interface' | 'detach_interface'
  | 'add_security_group' | 'remove_security_group' | 'add_floating_ip' | 'remove_floating_ip' | 'update'

export interface ActionRule {
  /** vm_states the action may start from. */
  readonly from: readonly VmState[]
  /** task_states the action may start from (null = idle). */
  readonly fromTask: readonly (TaskState | null)[]
  /** task_state written while the action runs; null: the action completes in the API call. */
  readonly sets: TaskState | null
  /** A locked server refuses the action (to non-admins). */
  readonly blockedByLock: boolean
}

const LIVE: readonly VmState[] = ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error']
const ANY_TASK: readonly (TaskState | null)[] = [
  null, 'scheduling', 'networking', 'block_device_mapping', 'spawning', 'powering-off', 'powering-on',
  'rebooting', 'rebooting_hard', 'resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish',
  'resize_reverting', 'resize_confirming', 'image_snapshot', 'image_uploading', 'rebuilding', 'pausing',
  'unpausing', 'suspending', 'resuming',
]
const IDLE: readonly (TaskState | null)[] = [null]

export const serverActionRules: Readonly<Record<ServerAction, ActionRule>> = {
  // Nova lets a delete interrupt any other task; only a delete already running is refused.
  delete: { from: LIVE, fromTask: ANY_TASK, sets: 'deleting', blockedByLock: true },
  start: { from: ['stopped'], fromTask: IDLE, sets: 'powering-on', blockedByLock: true },
  stop: { from: ['active', 'error', 'rescued'], fromTask: IDLE, sets: 'powering-off', blockedByLock: true },
  reboot_soft: { from: ['active'], fromTask: IDLE, sets: 'rebooting', blockedByLock: true },
  // Seeds 001/002: HARD reboot from ACTIVE, ERROR, HARD_REBOOT, PAUSED, REBOOT, SHUTOFF, SUSPENDED.
  reboot_hard: {
    from: ['active', 'stopped', 'paused', 'suspended', 'error'],
    fromTask: [null, 'rebooting', 'rebooting_hard'],
    sets: 'rebooting_hard',
    blockedByLock: true,
  },
  resize: { from: ['active', 'stopped'], fromTask: IDLE, sets: 'resize_prep', blockedByLock: true },
  confirm_resize: { from: ['resized'], fromTask: IDLE, sets: 'resize_confirming', blockedByLock: true },
  revert_resize: { from: ['resized'], fromTask: IDLE, sets: 'resize_reverting', blockedByLock: true },
  rebuild: { from: ['active', 'stopped', 'error'], fromTask: IDLE, sets: 'rebuilding', blockedByLock: true },
  pause: { from: ['active'], fromTask: IDLE, sets: 'pausing', blockedByLock: true },
  unpause: { from: ['paused'], fromTask: IDLE, sets: 'unpausing', blockedByLock: true },
  suspend: { from: ['active'], fromTask: IDLE, sets: 'suspending', blockedByLock: true },
  resume: { from: ['suspended'], fromTask: IDLE, sets: 'resuming', blockedByLock: true },
  lock: { from: LIVE, fromTask: ANY_TASK, sets: null, blockedByLock: false },
  unlock: { from: LIVE, fromTask: ANY_TASK, sets: null, blockedByLock: false },
  create_image: {
    from: ['active', 'stopped', 'paused', 'suspended'], fromTask: IDLE, sets: 'image_snapshot', blockedByLock: true,
  },
  attach_volume: {
    from: ['active', 'stopped', 'paused', 'suspended', 'resized'], fromTask: IDLE, sets: null, blockedByLock: true,
  },
  detach_volume: {
    from: ['active', 'stopped', 'paused', 'suspended', 'resized'], fromTask: IDLE, sets: null, blockedByLock: true,
  },
  attach_interface: { from: ['active', 'stopped', 'paused'], fromTask: IDLE, sets: null, blockedByLock: true },
  detach_interface: { from: ['active', 'stopped', 'paused'], fromTask: IDLE, sets: null, blockedByLock: true },
  add_security_group: { from: LIVE, fromTask: ANY_TASK, sets: null, blockedByLock: false },
  remove_security_group: { from: LIVE, fromTask: ANY_TASK, sets: null, blockedByLock: false },
  add_floating_ip: { from: LIVE, fromTask: ANY_TASK, sets: null, blockedByLock: false },
  remove_floating_ip: { from: LIVE, fromTask: ANY_TASK, sets: null, blockedByLock: false },
  update: { from: LIVE, fromTask: ANY_TASK, sets: null, blockedByLock: false },
}

/** Nova's wire name of each action, used in conflict messages ("Cannot 'os-start' instance … while …"). */
const actionWireNames: Readonly<Record<ServerAction, string>> = {
  delete: 'delete', start: 'start', stop: 'stop', reboot_soft: 'reboot', reboot_hard: 'reboot',
  resize: 'resize', confirm_resize: 'confirmResize', revert_resize: 'revertResize', rebuild: 'rebuild',
  pause: 'pause', unpause: 'unpause', suspend: 'suspend', resume: 'resume', lock: 'lock', unlock: 'unlock',
  create_image: 'createImage', attach_volume: 'attach_volume', detach_volume: 'detach_volume',
  attach_interface: 'attach_interface', detach_interface: 'detach_interface',
  add_security_group: 'addSecurityGroup', remove_security_group: 'removeSecurityGroup',
  add_floating_ip: 'addFloatingIp', remove_floating_ip: 'removeFloatingIp', update: 'update',
}

export function isActionAllowed(action: ServerAction, server: Pick<Server, 'vmState' | 'taskState'>): boolean {
  const rule = serverActionRules[action]
  return rule.from.includes(server.vmState) && rule.fromTask.includes(server.taskState)
}

/**
 * Throws the conflict a client sees when the action does not fit the server's state or lock, naming the
 * state that blocks it (ARCHITECTURE §9).
 */
export function assertActionAllowed(
  action: ServerAction,
  server: Pick<Server, 'id' | 'vmState' | 'taskState' | 'locked'>,
  options: { isAdmin: boolean },
): void {
  const rule = serverActionRules[action]
  if (rule.blockedByLock && server.locked && !options.isAdmin) {
    throw new DomainError('invalid_state', `Instance ${server.id} is locked`, {
      resource: 'server', id: server.id, action: actionWireNames[action], state: 'locked',
    })
  }
  // A busy server is reported by the task it is busy with: that is what the client must wait for.
  if (!rule.fromTask.includes(server.taskState)) {
    throw new DomainError('invalid_state',
      `Cannot '${actionWireNames[action]}' instance ${server.id} while it is in task_state ${server.taskState}`,
      { resource: 'server', id: server.id, action: actionWireNames[action], state: String(server.taskState) })
  }
  if (!rule.from.includes(server.vmState)) {
    throw new DomainError('invalid_state',
      `Cannot '${actionWireNames[action]}' instance ${server.id} while it is in vm_state ${server.vmState}`,
      { resource: 'server', id: server.id, action: actionWireNames[action], state: server.vmState })
  }
}
