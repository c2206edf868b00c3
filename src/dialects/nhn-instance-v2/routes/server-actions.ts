/**
 * Server actions (N-18, CATALOG §2.2.3): one route, the body's single key chooses the action. Every
 * action answers 202 with no body except createImage (202, `Location` and `{image_id}`), rebuild (202
 * with the server, as Nova) and os-getConsoleOutput (200 `{output}`). An action the server's state does
 * not allow is a 409 naming the state (the core's guard).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Owner } from '../../../core/shared/owner.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { resourceLinks } from '../links.ts'
import { Fault } from '../errors.ts'
import { faultResponses } from '../schemas/responses.ts'
import { ConsoleOutput, ServerActionAccepted, ServerActionBody } from '../schemas/server-actions.ts'
import { ServerParams } from '../schemas/servers.ts'
import { withStrictBodies } from '../schemas/strict-body.ts'
import {
  consoleLines, rebootKind, rebuildCommand, requestedAction, resizeCommand, type ServerActionName,
} from '../views/server-actions.ts'
import { serverDetail, serverViewContext } from '../views/servers.ts'

type ActionRequest = FastifyRequest<{ Params: ServerParams; Body: ServerActionBody }>
type Value<K extends ServerActionName> = Exclude<ServerActionBody[K], undefined>
type Perform = { [K in ServerActionName]: (value: Value<K>, request: ActionRequest, reply: FastifyReply, owner: Owner, id: string) => Promise<FastifyReply> }

export function serverActionRoutes(api: DialectApp, { services }: DialectContext): void {
  const { servers, inspector } = services
  const accepted = async (reply: FastifyReply, work: Promise<void>) => {
    await work
    return reply.status(202).send()
  }

  const perform: Perform = {
    'os-start': async (_value, _request, reply, owner, id) => accepted(reply, servers.start(owner, id)),
    'os-stop': async (_value, _request, reply, owner, id) => accepted(reply, servers.stop(owner, id)),
    reboot: async (value, _request, reply, owner, id) => accepted(reply, servers.reboot(owner, id, rebootKind(value))),
    resize: async (value, _request, reply, owner, id) => accepted(reply, servers.resize(owner, id, resizeCommand(value))),
    confirmResize: async (_value, _request, reply, owner, id) => accepted(reply, servers.confirmResize(owner, id)),
    revertResize: async (_value, _request, reply, owner, id) => accepted(reply, servers.revertResize(owner, id)),
    pause: async (_value, _request, reply, owner, id) => accepted(reply, servers.pause(owner, id)),
    unpause: async (_value, _request, reply, owner, id) => accepted(reply, servers.unpause(owner, id)),
    suspend: async (_value, _request, reply, owner, id) => accepted(reply, servers.suspend(owner, id)),
    resume: async (_value, _request, reply, owner, id) => accepted(reply, servers.resume(owner, id)),
    lock: async (value, _request, reply, owner, id) => accepted(reply, servers.lock(owner, id, value?.locked_reason ?? null)),
    unlock: async (_value, _request, reply, owner, id) => accepted(reply, servers.unlock(owner, id)),
    addSecurityGroup: async (value, _request, reply, owner, id) => accepted(reply, servers.addSecurityGroup(owner, id, value.name)),
    removeSecurityGroup: async (value, _request, reply, owner, id) =>
      accepted(reply, servers.removeSecurityGroup(owner, id, value.name)),
    addFloatingIp: async (value, _request, reply, owner, id) =>
      accepted(reply, servers.addFloatingIp(owner, id, value.address, value.fixed_address ?? null)),
    removeFloatingIp: async (value, _request, reply, owner, id) => accepted(reply, servers.removeFloatingIp(owner, id, value.address)),
    async createImage(value, request, reply, owner, id) {
      const strictNhn = request.auth!.project.strictNhn
      const imageId = await servers.createImage(owner, id, { name: value.name, metadata: value.metadata ?? {}, strictNhn })
      // Nova below 2.45 answers with the Location header; seed 003 also documents the `{image_id}` body.
      reply.header('Location', resourceLinks(request, request.params.tenantId, 'images', imageId)[0].href)
      return reply.status(202).send({ image_id: imageId })
    },
    async rebuild(value, request, reply, owner, id) {
      const ctx = serverViewContext(request, request.params.tenantId)
      await servers.rebuild(owner, id, rebuildCommand(value, ctx.version))
      const server = await servers.get(owner, id)
      const description = (await servers.describe(owner, [server])).get(id)
      return reply.status(202).send({ server: serverDetail(ctx, server, description) })
    },
    async 'os-getConsoleOutput'(value, _request, reply, owner, id) {
      return reply.status(200).send({ output: await inspector.consoleOutput(owner, id, consoleLines(value)) })
    },
  }

  withStrictBodies(api, (scope) => {
    scope.post('/:tenantId/servers/:serverId/action', {
      schema: {
        operationId: 'serverAction', tags: ['server-actions'], params: ServerParams, body: ServerActionBody,
        response: { 200: ConsoleOutput, 202: ServerActionAccepted, ...faultResponses(403, 404, 409, 413), 501: Fault },
      },
    }, async (request, reply) => {
      const name = requestedAction(request.body)
      const run = perform[name] as (value: unknown, ...rest: [ActionRequest, FastifyReply, Owner, string]) => Promise<FastifyReply>
      return run(request.body[name], request, reply, request.auth!.owner, request.params.serverId)
    })
  })
}
