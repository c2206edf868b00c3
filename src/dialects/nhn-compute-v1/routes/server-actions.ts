/**
 * Server Action API (seed 000): one URL, the action chosen by the body's key. Start, stop, reboot,
 * resize and uploadImage are asynchronous (the status shows the transition); floating IP and security
 * group changes are done when the answer comes. v1.0 has no resize confirmation, so a resize is
 * confirmed automatically (CATALOG §3.2 VERIFY_RESIZE → ACTIVE).
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import { badRequest, notSupported } from '../../../core/shared/errors.ts'
import { ownerOf } from '../auth.ts'
import { AuthHeaders, HeaderOnly, ServerParams, TAGS, v1Responses } from '../schemas/common.ts'
import { CreatedImageBody, ServerActionBody } from '../schemas/server-actions.ts'
import { headerOnly, success } from '../views/envelope.ts'

type ActionKey = keyof ServerActionBody & string
type ActionAnswer = ReturnType<typeof headerOnly> | ReturnType<typeof success<{ createdImage: { id: string; name: string } }>>
type ActionHandlers = {
  readonly [K in ActionKey]: (owner: Owner, serverId: string, argument: Exclude<ServerActionBody[K], undefined>) => Promise<ActionAnswer>
}

/** The one action the body asks for: several known keys are -4, only unknown keys -7. */
function chooseAction(body: ServerActionBody, known: readonly string[]): ActionKey {
  const keys = Object.keys(body)
  const asked = keys.filter((key) => known.includes(key))
  if (asked.length > 1) throw badRequest(`Give one action per request, not ${asked.join(' and ')}.`)
  if (asked.length === 0) throw notSupported(`Action ${keys.join(', ')} is not supported.`)
  return asked[0] as ActionKey
}

export function serverActionRoutes(app: DialectApp, { services }: DialectContext): void {
  const { servers } = services
  const done = () => headerOnly()
  const handlers: ActionHandlers = {
    'os-start': (owner, id) => servers.start(owner, id).then(done),
    'os-stop': (owner, id) => servers.stop(owner, id).then(done),
    reboot: (owner, id, { type }) => servers.reboot(owner, id, type.toUpperCase() === 'HARD' ? 'hard' : 'soft').then(done),
    resize: (owner, id, { flavor }) => servers.resize(owner, id, { flavorId: flavor, autoConfirm: true }).then(done),
    // v1.0 lets any server make an image (no U2-only rule, unlike the v2 createImage: CATALOG §6 B15).
    uploadImage: async (owner, id, { name }) => {
      const imageId = await servers.createImage(owner, id, { name, metadata: {}, strictNhn: false })
      return success({ createdImage: { id: imageId, name } })
    },
    addFloatingIp: (owner, id, { address, ipAddress }) => servers.addFloatingIp(owner, id, address, ipAddress ?? null).then(done),
    removeFloatingIp: (owner, id, { address }) => servers.removeFloatingIp(owner, id, address).then(done),
    addSecurityGroup: (owner, id, { name }) => servers.addSecurityGroup(owner, id, name).then(done),
    removeSecurityGroup: (owner, id, { name }) => servers.removeSecurityGroup(owner, id, name).then(done),
  }
  const known = Object.keys(handlers)

  app.route({
    method: 'POST',
    url: '/servers/:serverId/action',
    schema: {
      operationId: 'serverAction', tags: [TAGS.actions], params: ServerParams, headers: AuthHeaders, body: ServerActionBody,
      response: v1Responses(CreatedImageBody, HeaderOnly),
    },
    handler: async (request) => {
      const action = chooseAction(request.body, known)
      const run = handlers[action] as (owner: Owner, serverId: string, argument: unknown) => Promise<ActionAnswer>
      return run(ownerOf(request), request.params.serverId, request.body[action])
    },
  })
}
