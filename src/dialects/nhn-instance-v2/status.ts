/**
 * A server's status on the Nova-compatible wire, derived from the core's (vm_state, task_state) the way
 * Nova's `status_from_state` does, with CATALOG §3.4's "V2" column where it differs from Nova (a hard
 * reboot shows HARD_REBOOT from every state it may start in), and Nova's names on the wire (CATALOG
 * "Decisions"): BUILD, SHUTOFF, RESIZE, RESCUE rather than the seed table's BUILDING, STOPPED, RESIZED,
 * RESCUED, which the `status` list filter accepts as aliases.
 */
import type { Server, TaskState, VmState } from '../../core/servers/server.ts'

export const NOVA_STATUSES = [
  'BUILD', 'ACTIVE', 'SHUTOFF', 'REBOOT', 'HARD_REBOOT', 'RESIZE', 'VERIFY_RESIZE', 'REVERT_RESIZE', 'PAUSED',
  'SUSPENDED', 'RESCUE', 'REBUILD', 'ERROR', 'DELETED', 'UNKNOWN', 'MIGRATING',
] as const
export type NovaStatus = (typeof NOVA_STATUSES)[number]

/** The seed tables' descriptive names (001–003 "instance status") for the statuses Nova names differently. */
export const STATUS_ALIASES: Readonly<Record<string, NovaStatus>> = {
  BUILDING: 'BUILD',
  STOPPED: 'SHUTOFF',
  RESIZED: 'RESIZE',
  RESCUED: 'RESCUE',
}

interface StatusRule {
  readonly otherwise: NovaStatus
  readonly during?: Partial<Record<TaskState, NovaStatus>>
}

const RESIZING: Partial<Record<TaskState, NovaStatus>> = {
  resize_prep: 'RESIZE', resize_migrating: 'RESIZE', resize_migrated: 'RESIZE', resize_finish: 'RESIZE',
}

/** Nova's _STATE_MAP over the core's states (no 'migrating' task exists in the core, so no MIGRATING). */
const STATE_MAP: Readonly<Record<VmState, StatusRule>> = {
  building: { otherwise: 'BUILD' },
  active: {
    otherwise: 'ACTIVE',
    during: { ...RESIZING, rebooting: 'REBOOT', rebooting_hard: 'HARD_REBOOT', rebuilding: 'REBUILD' },
  },
  stopped: { otherwise: 'SHUTOFF', during: { ...RESIZING, rebooting_hard: 'HARD_REBOOT', rebuilding: 'REBUILD' } },
  resized: { otherwise: 'VERIFY_RESIZE', during: { resize_reverting: 'REVERT_RESIZE' } },
  paused: { otherwise: 'PAUSED', during: { rebooting_hard: 'HARD_REBOOT' } },
  suspended: { otherwise: 'SUSPENDED', during: { rebooting_hard: 'HARD_REBOOT' } },
  rescued: { otherwise: 'RESCUE' },
  error: { otherwise: 'ERROR', during: { rebooting_hard: 'HARD_REBOOT', rebuilding: 'REBUILD' } },
  deleted: { otherwise: 'DELETED' },
}

export function novaStatus(server: Pick<Server, 'vmState' | 'taskState'>): NovaStatus {
  const rule = STATE_MAP[server.vmState] as StatusRule | undefined
  if (!rule) return 'UNKNOWN'
  return (server.taskState !== null ? rule.during?.[server.taskState] : undefined) ?? rule.otherwise
}

/** What a `status` list filter selects: vm_states, and task_states unless any vm_state matched as a whole. */
export interface StatusSelection {
  readonly vmStates: readonly VmState[]
  /** Undefined: any task_state of those vm_states. */
  readonly taskStates?: readonly TaskState[]
}

/**
 * Nova's `task_and_vm_state_from_status`: every (vm_state, task_state) pair whose status is asked for.
 * When a vm_state matches by its default status, Nova drops the task_state filter altogether (so
 * `status=ACTIVE` also lists a rebooting server, as in Nova). Null when no state matches (an unknown
 * status, or MIGRATING, which the core never produces): Nova below 2.38 answers an empty list.
 */
export function statusSelection(requested: readonly string[]): StatusSelection | null {
  const wanted = new Set(requested.map((status) => {
    const upper = status.trim().toUpperCase()
    return STATUS_ALIASES[upper] ?? upper
  }))
  const vmStates = new Set<VmState>()
  const taskStates = new Set<TaskState>()
  let wholeState = false
  for (const [vmState, rule] of Object.entries(STATE_MAP) as [VmState, StatusRule][]) {
    if (wanted.has(rule.otherwise)) {
      vmStates.add(vmState)
      wholeState = true
    }
    for (const [taskState, status] of Object.entries(rule.during ?? {}) as [TaskState, NovaStatus][]) {
      if (wanted.has(status)) {
        vmStates.add(vmState)
        taskStates.add(taskState)
      }
    }
  }
  if (vmStates.size === 0) return null
  return wholeState ? { vmStates: [...vmStates] } : { vmStates: [...vmStates], taskStates: [...taskStates] }
}
