/** Instance actions: the core's action records → Nova's instanceAction bodies, with Nova's action names. */
import type { ServerAction } from '../../../core/servers/server.ts'
import type { InstanceAction, InstanceActionDetail } from '../schemas/instance-actions.ts'
import { microsecondTime } from './time.ts'

/** The core records neutral action names; Nova's instance_actions module spells some differently. */
const NOVA_ACTION_NAMES: Readonly<Record<string, string>> = {
  reboot_soft: 'reboot',
  reboot_hard: 'reboot',
  confirm_resize: 'confirmResize',
  revert_resize: 'revertResize',
  create_image: 'createImage',
  add_security_group: 'addSecurityGroup',
  remove_security_group: 'removeSecurityGroup',
  add_floating_ip: 'addFloatingIp',
  remove_floating_ip: 'removeFloatingIp',
}

export function instanceAction(action: ServerAction): InstanceAction {
  return {
    action: NOVA_ACTION_NAMES[action.action] ?? action.action,
    instance_uuid: action.serverId,
    message: action.message,
    project_id: action.projectId,
    request_id: action.requestId,
    start_time: microsecondTime(action.startTime),
    user_id: action.userId,
  }
}

/** One action; admins also see its event (one per action: the compute step that ran it). */
export function instanceActionDetail(action: ServerAction, admin: boolean): InstanceActionDetail {
  const detail: InstanceActionDetail = instanceAction(action)
  if (!admin) return detail
  return {
    ...detail,
    events: [{
      event: `compute_${action.action}`,
      start_time: microsecondTime(action.startTime),
      finish_time: action.finishTime ? microsecondTime(action.finishTime) : null,
      result: action.result === null ? null : action.result === 'success' ? 'Success' : 'Error',
      traceback: null,
    }],
  }
}

/** Newest first, as Nova lists them. */
export function instanceActions(actions: readonly ServerAction[]): InstanceAction[] {
  return [...actions].sort((a, b) => b.startTime.getTime() - a.startTime.getTime()).map(instanceAction)
}
