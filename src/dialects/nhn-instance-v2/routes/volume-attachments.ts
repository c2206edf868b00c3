/**
 * Volume attachments of a server (N-14…N-17): list (offset/limit), show, attach (200, with the device
 * chosen) at Nova's path and at seed 003's `…/os-volume_attachments/{volume_id}`, detach (202). The
 * attach and detach finish asynchronously: the volume is `attaching`/`detaching` until the task runs.
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { faultResponses, NoBody } from '../schemas/responses.ts'
import { ServerParams } from '../schemas/servers.ts'
import { withStrictBodies } from '../schemas/strict-body.ts'
import {
  VolumeAttachmentCreateBody, VolumeAttachmentList, VolumeAttachmentListQuery, VolumeAttachmentParams, VolumeAttachmentShow,
} from '../schemas/volume-attachments.ts'
import { attachmentOfVolume, attachVolumeRequest, volumeAttachment, volumeAttachmentPage } from '../views/volume-attachments.ts'

const tags = ['volume-attachments']

export function volumeAttachmentRoutes(api: DialectApp, { services }: DialectContext): void {
  const { servers } = services

  withStrictBodies(api, (scope) => {
    scope.get('/:tenantId/servers/:serverId/os-volume_attachments', {
      schema: {
        operationId: 'listVolumeAttachments', tags, params: ServerParams, querystring: VolumeAttachmentListQuery,
        response: { 200: VolumeAttachmentList, ...faultResponses(404) },
      },
    }, async (request) => ({
      volumeAttachments: volumeAttachmentPage(await servers.volumeAttachments(request.auth!.owner, request.params.serverId), request.query),
    }))

    scope.get('/:tenantId/servers/:serverId/os-volume_attachments/:volumeId', {
      schema: {
        operationId: 'showVolumeAttachment', tags, params: VolumeAttachmentParams,
        response: { 200: VolumeAttachmentShow, ...faultResponses(404) },
      },
    }, async (request) => ({
      volumeAttachment: attachmentOfVolume(await servers.volumeAttachments(request.auth!.owner, request.params.serverId), request.params.volumeId),
    }))

    scope.post('/:tenantId/servers/:serverId/os-volume_attachments', {
      schema: {
        operationId: 'attachVolume', tags, params: ServerParams, body: VolumeAttachmentCreateBody,
        response: { 200: VolumeAttachmentShow, ...faultResponses(403, 404, 409, 413) },
      },
    }, async (request) => ({
      volumeAttachment: volumeAttachment(await servers.attachVolume(request.auth!.owner, request.params.serverId, attachVolumeRequest(request.body))),
    }))

    scope.post('/:tenantId/servers/:serverId/os-volume_attachments/:volumeId', {
      schema: {
        operationId: 'attachVolumeByPath', tags, params: VolumeAttachmentParams, body: VolumeAttachmentCreateBody,
        response: { 200: VolumeAttachmentShow, ...faultResponses(403, 404, 409, 413) },
      },
    }, async (request) => ({
      volumeAttachment: volumeAttachment(await servers.attachVolume(request.auth!.owner, request.params.serverId,
        attachVolumeRequest(request.body, request.params.volumeId))),
    }))

    scope.delete('/:tenantId/servers/:serverId/os-volume_attachments/:volumeId', {
      schema: {
        operationId: 'detachVolume', tags, params: VolumeAttachmentParams,
        response: { 202: NoBody, ...faultResponses(404, 409) },
      },
    }, async (request, reply) => {
      await servers.detachVolume(request.auth!.owner, request.params.serverId, request.params.volumeId)
      return reply.status(202).send()
    })
  })
}
