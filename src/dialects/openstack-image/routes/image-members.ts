/** Sharing: the owner adds and removes member projects; a member accepts or rejects. */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { ImageParams, NoContent } from '../schemas/images.ts'
import { MemberCreateBody, MemberList, MemberParams, MemberUpdateBody, MemberView } from '../schemas/members.ts'
import { memberView } from '../views/members.ts'
import { glanceErrors } from './responses.ts'

export function imageMemberRoutes(app: DialectApp, { services: { images } }: DialectContext): void {
  app.route({
    method: 'GET',
    url: '/v2/images/:imageId/members',
    schema: { operationId: 'listImageMembers', tags: ['image members'], params: ImageParams, response: { 200: MemberList, ...glanceErrors(403, 404) } },
    handler: async (request) => ({
      members: (await images.listMembers(request.auth!.owner, request.params.imageId)).map(memberView),
      schema: '/v2/schemas/members' as const,
    }),
  })
  app.route({
    method: 'POST',
    url: '/v2/images/:imageId/members',
    schema: {
      operationId: 'createImageMember', tags: ['image members'], params: ImageParams, body: MemberCreateBody,
      response: { 200: MemberView, ...glanceErrors(400, 403, 404, 409, 413) },
    },
    handler: async (request) => memberView(await images.addMember(request.auth!.owner, request.params.imageId, request.body.member)),
  })
  app.route({
    method: 'GET',
    url: '/v2/images/:imageId/members/:memberId',
    schema: { operationId: 'showImageMember', tags: ['image members'], params: MemberParams, response: { 200: MemberView, ...glanceErrors(403, 404) } },
    handler: async (request) => memberView(await images.getMember(request.auth!.owner, request.params.imageId, request.params.memberId)),
  })
  app.route({
    method: 'PUT',
    url: '/v2/images/:imageId/members/:memberId',
    schema: {
      operationId: 'updateImageMember', tags: ['image members'], params: MemberParams, body: MemberUpdateBody,
      response: { 200: MemberView, ...glanceErrors(400, 403, 404) },
    },
    handler: async (request) => memberView(await images.updateMember(
      request.auth!.owner, request.params.imageId, request.params.memberId, request.body.status)),
  })
  app.route({
    method: 'DELETE',
    url: '/v2/images/:imageId/members/:memberId',
    schema: { operationId: 'deleteImageMember', tags: ['image members'], params: MemberParams, response: { 204: NoContent, ...glanceErrors(403, 404) } },
    handler: async (request, reply) => {
      await images.removeMember(request.auth!.owner, request.params.imageId, request.params.memberId)
      return reply.status(204).send(null)
    },
  })
}
