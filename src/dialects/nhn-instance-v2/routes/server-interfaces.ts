/**
 * os-interface (Nova; not in the seeds): a server's ports as interface attachments, attach (200 with the
 * new interface) and detach (202). Both complete within the request (bookkeeping only in the core).
 */
import type { FastifyRequest } from 'fastify'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { faultResponses, NoBody } from '../schemas/responses.ts'
import {
  InterfaceAttachmentCreateBody, InterfaceAttachmentList, InterfaceAttachmentShow, InterfaceParams,
} from '../schemas/server-interfaces.ts'
import { ServerParams } from '../schemas/servers.ts'
import { withStrictBodies } from '../schemas/strict-body.ts'
import { interfaceAttachments, interfaceChoice, interfaceOfPort } from '../views/server-interfaces.ts'

const tags = ['server-interfaces']

export function serverInterfaceRoutes(api: DialectApp, { services }: DialectContext): void {
  const { servers } = services

  const described = async (request: FastifyRequest<{ Params: ServerParams }>) => {
    const server = await servers.get(request.auth!.owner, request.params.serverId)
    return (await servers.describe(request.auth!.owner, [server])).get(server.id)
  }

  withStrictBodies(api, (scope) => {
    scope.get('/:tenantId/servers/:serverId/os-interface', {
      schema: {
        operationId: 'listServerInterfaces', tags, params: ServerParams,
        response: { 200: InterfaceAttachmentList, ...faultResponses(404) },
      },
    }, async (request) => ({ interfaceAttachments: interfaceAttachments(await described(request)) }))

    scope.get('/:tenantId/servers/:serverId/os-interface/:portId', {
      schema: {
        operationId: 'showServerInterface', tags, params: InterfaceParams,
        response: { 200: InterfaceAttachmentShow, ...faultResponses(404) },
      },
    }, async (request) => ({
      interfaceAttachment: interfaceOfPort(await described(request), request.params.serverId, request.params.portId),
    }))

    scope.post('/:tenantId/servers/:serverId/os-interface', {
      schema: {
        operationId: 'attachServerInterface', tags, params: ServerParams, body: InterfaceAttachmentCreateBody,
        response: { 200: InterfaceAttachmentShow, ...faultResponses(403, 404, 409, 413) },
      },
    }, async (request) => {
      const portId = await servers.attachInterface(request.auth!.owner, request.params.serverId, interfaceChoice(request.body))
      return { interfaceAttachment: interfaceOfPort(await described(request), request.params.serverId, portId) }
    })

    scope.delete('/:tenantId/servers/:serverId/os-interface/:portId', {
      schema: {
        operationId: 'detachServerInterface', tags, params: InterfaceParams,
        response: { 202: NoBody, ...faultResponses(404, 409) },
      },
    }, async (request, reply) => {
      await servers.detachInterface(request.auth!.owner, request.params.serverId, request.params.portId)
      return reply.status(202).send()
    })
  })
}
