/** Volumes: list (summary and detail), create, show, update, delete. */
import type { FastifyRequest } from 'fastify'
import { badRequest } from '../../../core/shared/errors.ts'
import type { CoreServices, DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { NoContent, sendEmpty, ProjectParams, cinderErrors } from '../schemas/common.ts'
import {
  VolumeBody, VolumeCreateBody, VolumeDetailList, VolumeListQuery, VolumeParams, VolumeSummaryList, VolumeUpdateBody,
} from '../schemas/volumes.ts'
import { Type } from 'typebox'
import { nextLinks } from '../views/links.ts'
import { requestedSize, volumeCreateInput, volumeListInput, volumeSummary, volumeUpdateInput, volumeView } from '../views/volumes.ts'

/** Cinder takes the size of the snapshot or source volume when the body names none. */
async function sizeFor(request: FastifyRequest, services: CoreServices, body: VolumeCreateBody): Promise<number> {
  const size = requestedSize(body)
  if (size !== null) return size
  const owner = request.auth!.owner
  if (body.volume.snapshot_id) return (await services.snapshots.get(owner, body.volume.snapshot_id)).sizeGb
  if (body.volume.source_volid) return (await services.volumes.get(owner, body.volume.source_volid)).sizeGb
  throw badRequest("Invalid input for field/attribute volume. Reason: 'size' is a required property.", 'size')
}

const DeleteQuery = Type.Object({ cascade: Type.Optional(Type.Boolean()), force: Type.Optional(Type.Boolean()) }, { additionalProperties: false })

export function volumeRoutes(app: DialectApp, { services }: DialectContext): void {
  const { volumes } = services

  app.route({
    method: 'GET',
    url: '/volumes',
    schema: { operationId: 'listVolumes', tags: ['volumes'], params: ProjectParams, querystring: VolumeListQuery, response: { 200: VolumeSummaryList, ...cinderErrors() } },
    handler: async (request) => {
      const query = volumeListInput(request.query)
      const page = await volumes.list(request.auth!.owner, query)
      return {
        volumes: page.items.map((volume) => volumeSummary(request, volume)),
        volumes_links: nextLinks(request, query.limit, page.items.at(-1)?.id, page.hasMore),
      }
    },
  })

  app.route({
    method: 'GET',
    url: '/volumes/detail',
    schema: { operationId: 'listVolumesDetail', tags: ['volumes'], params: ProjectParams, querystring: VolumeListQuery, response: { 200: VolumeDetailList, ...cinderErrors() } },
    handler: async (request) => {
      const owner = request.auth!.owner
      const query = volumeListInput(request.query)
      const page = await volumes.list(owner, query)
      return {
        volumes: page.items.map((volume) => volumeView(request, owner, volume)),
        volumes_links: nextLinks(request, query.limit, page.items.at(-1)?.id, page.hasMore),
      }
    },
  })

  app.route({
    method: 'POST',
    url: '/volumes',
    schema: { operationId: 'createVolume', tags: ['volumes'], params: ProjectParams, body: VolumeCreateBody, response: { 202: VolumeBody, ...cinderErrors(404, 413) } },
    handler: async (request, reply) => {
      const owner = request.auth!.owner
      const input = volumeCreateInput(request.body, await sizeFor(request, services, request.body))
      return reply.status(202).send({ volume: volumeView(request, owner, await volumes.create(owner, input)) })
    },
  })

  app.route({
    method: 'GET',
    url: '/volumes/:volumeId',
    schema: { operationId: 'showVolume', tags: ['volumes'], params: VolumeParams, response: { 200: VolumeBody, ...cinderErrors(404) } },
    handler: async (request) => {
      const owner = request.auth!.owner
      return { volume: volumeView(request, owner, await volumes.get(owner, request.params.volumeId)) }
    },
  })

  app.route({
    method: 'PUT',
    url: '/volumes/:volumeId',
    schema: { operationId: 'updateVolume', tags: ['volumes'], params: VolumeParams, body: VolumeUpdateBody, response: { 200: VolumeBody, ...cinderErrors(404) } },
    handler: async (request) => {
      const owner = request.auth!.owner
      return { volume: volumeView(request, owner, await volumes.update(owner, request.params.volumeId, volumeUpdateInput(request.body))) }
    },
  })

  app.route({
    method: 'DELETE',
    url: '/volumes/:volumeId',
    schema: { operationId: 'deleteVolume', tags: ['volumes'], params: VolumeParams, querystring: DeleteQuery, response: { 202: NoContent, ...cinderErrors(404) } },
    handler: async (request, reply) => {
      await volumes.delete(request.auth!.owner, request.params.volumeId, { cascade: request.query.cascade === true })
      return sendEmpty(reply, 202)
    },
  })
}
