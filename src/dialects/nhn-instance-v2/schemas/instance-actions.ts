/** Nova's os-instance-actions (what happened to a server, by request id); not in the seeds. */
import { Type, type Static } from 'typebox'
import { ServerParams } from './servers.ts'

const nullableString = Type.Union([Type.String(), Type.Null()])

export const InstanceActionParams = Type.Object({
  ...ServerParams.properties,
  requestId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type InstanceActionParams = Static<typeof InstanceActionParams>

const ActionFields = {
  action: Type.String(),
  instance_uuid: Type.String(),
  message: nullableString,
  project_id: Type.String(),
  request_id: nullableString,
  start_time: Type.String(),
  user_id: nullableString,
}

export const InstanceAction = Type.Object(ActionFields, { additionalProperties: false })
export type InstanceAction = Static<typeof InstanceAction>

export const InstanceActionEvent = Type.Object({
  event: Type.String(),
  start_time: Type.String(),
  finish_time: nullableString,
  result: nullableString,
  traceback: nullableString,
}, { additionalProperties: false })

/** Events are shown to admins only below 2.51 (Nova's policy). */
export const InstanceActionDetail = Type.Object({
  ...ActionFields,
  events: Type.Optional(Type.Array(InstanceActionEvent)),
}, { additionalProperties: false })
export type InstanceActionDetail = Static<typeof InstanceActionDetail>

export const InstanceActionList = Type.Object({ instanceActions: Type.Array(InstanceAction) }, { additionalProperties: false })
export type InstanceActionList = Static<typeof InstanceActionList>

export const InstanceActionShow = Type.Object({ instanceAction: InstanceActionDetail }, { additionalProperties: false })
export type InstanceActionShow = Static<typeof InstanceActionShow>
