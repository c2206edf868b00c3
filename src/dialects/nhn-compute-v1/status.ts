/**
 * The NHN v1.0 server status (seed 000's table, CATALOG §3.1) derived from the core's
 * (vm_state, task_state) pair, following CATALOG §3.4's V1 column. A running task names the status
 * (a stop from ERROR shows POWERING_OFF, as §3.1's transitions read), except a snapshot, which leaves
 * the status as it was; otherwise the resting vm_state decides.
 */
import type { Server, TaskState, VmState } from '../../core/servers/server.ts'

export const V1_STATUSES = [
  'BUILD', 'POWERING_ON', 'ACTIVE', 'POWERING_OFF', 'STOP', 'REBOOTING', 'RESIZING', 'MIGRATING', 'DELETING', 'ERROR',
] as const
export type V1Status = (typeof V1_STATUSES)[number]

const byTask: Readonly<Record<TaskState, V1Status | null>> = {
  scheduling: 'BUILD', networking: 'BUILD', block_device_mapping: 'BUILD', spawning: 'BUILD', rebuilding: 'BUILD',
  'powering-off': 'POWERING_OFF', 'powering-on': 'POWERING_ON',
  // Suspending and resuming have no v1.0 name; they stop and start the guest as the client sees it.
  suspending: 'POWERING_OFF', resuming: 'POWERING_ON',
  rebooting: 'REBOOTING', rebooting_hard: 'REBOOTING',
  resize_prep: 'RESIZING', resize_migrating: 'RESIZING', resize_migrated: 'RESIZING', resize_finish: 'RESIZING',
  resize_reverting: 'RESIZING', resize_confirming: 'RESIZING',
  deleting: 'DELETING',
  // Pausing only freezes a running guest, and a snapshot does not change what the server is doing.
  pausing: null, unpausing: null, image_snapshot: null, image_uploading: null,
}

const byVmState: Readonly<Record<VmState, V1Status>> = {
  building: 'BUILD',
  active: 'ACTIVE',
  stopped: 'STOP',
  // No v1.0 name for these: a paused or rescued guest is still up, a suspended one is not running.
  paused: 'ACTIVE',
  rescued: 'ACTIVE',
  suspended: 'STOP',
  // A resize waiting for its (automatic) confirmation is still a resize to a v1.0 client.
  resized: 'RESIZING',
  error: 'ERROR',
  // Deleted servers are not shown by v1.0 (-5 Nonexistent); one read while vanishing is on its way out.
  deleted: 'DELETING',
}

export function v1Status(server: Pick<Server, 'vmState' | 'taskState'>): V1Status {
  const fromTask = server.taskState === null ? null : byTask[server.taskState]
  return fromTask ?? byVmState[server.vmState]
}
