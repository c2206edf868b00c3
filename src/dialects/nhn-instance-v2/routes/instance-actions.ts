/** os-instance-actions (Nova; not in the seeds): a server's actions, deleted servers included, and one by request id. */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { isAdmin } from '../../../core/shared/owner.ts'
import { InstanceActionList, InstanceActionParams, InstanceActionShow } from '../schemas/instance-actions.ts'
import { faultResponses } from '../schemas/responses.ts'
import { ServerParams } from '../schemas/servers.ts'
import { instanceActionDetail, instanceActions } from '../views/instance-actions.ts'

const tags = ['instance-actions']

export function instanceActionRoutes(api: DialectApp, { services }: DialectContext): void {
  const { servers } = services

  api.get('/:tenantId/servers/:serverId/os-instance-actions', {
    schema: {
      operationId: 'listInstanceActions', tags, params: ServerParams,
      response: { 200: InstanceActionList, ...faultResponses(404) },
    },
  }, async (request) => ({ instanceActions: instanceActions(await servers.listActions(request.auth!.owner, request.params.serverId)) }))

  api.get('/:tenantId/servers/:serverId/os-instance-actions/:requestId', {
    schema: {
      operationId: 'showInstanceAction', tags, params: InstanceActionParams,
      response: { 200: InstanceActionShow, ...faultResponses(404) },
    },
  }, async (request) => ({
    instanceAction: instanceActionDetail(
      await servers.getAction(request.auth!.owner, request.params.serverId, request.params.requestId), isAdmin(request.auth!.owner)),
  }))
}
