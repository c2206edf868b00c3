/** Snapshots: list (plain and detail), create, show, update, delete. */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { NoContent, sendEmpty, ProjectParams, cinderErrors } from '../schemas/common.ts'
import { SnapshotBody, SnapshotCreateBody, SnapshotList, SnapshotListQuery, SnapshotParams, SnapshotUpdateBody } from '../schemas/snapshots.ts'
import { nextLinks } from '../views/links.ts'
import { snapshotCreateInput, snapshotListInput, snapshotUpdateInput, snapshotView } from '../views/snapshots.ts'

export function snapshotRoutes(app: DialectApp, { services: { snapshots } }: DialectContext): void {
  for (const [url, detailed] of [['/snapshots', false], ['/snapshots/detail', true]] as const) {
    app.route({
      method: 'GET',
      url,
      schema: {
        operationId: detailed ? 'listSnapshotsDetail' : 'listSnapshots', tags: ['snapshots'], params: ProjectParams,
        querystring: SnapshotListQuery, response: { 200: SnapshotList, ...cinderErrors() },
      },
      handler: async (request) => {
        const query = snapshotListInput(request.query)
        const page = await snapshots.list(request.auth!.owner, query)
        return {
          snapshots: page.items.map((snapshot) => snapshotView(request, snapshot, detailed)),
          snapshots_links: nextLinks(request, query.limit, page.items.at(-1)?.id, page.hasMore),
        }
      },
    })
  }

  app.route({
    method: 'POST',
    url: '/snapshots',
    schema: { operationId: 'createSnapshot', tags: ['snapshots'], params: ProjectParams, body: SnapshotCreateBody, response: { 202: SnapshotBody, ...cinderErrors(404, 413) } },
    handler: async (request, reply) =>
      reply.status(202).send({ snapshot: snapshotView(request, await snapshots.create(request.auth!.owner, snapshotCreateInput(request.body))) }),
  })

  app.route({
    method: 'GET',
    url: '/snapshots/:snapshotId',
    schema: { operationId: 'showSnapshot', tags: ['snapshots'], params: SnapshotParams, response: { 200: SnapshotBody, ...cinderErrors(404) } },
    handler: async (request) => ({ snapshot: snapshotView(request, await snapshots.get(request.auth!.owner, request.params.snapshotId)) }),
  })

  app.route({
    method: 'PUT',
    url: '/snapshots/:snapshotId',
    schema: { operationId: 'updateSnapshot', tags: ['snapshots'], params: SnapshotParams, body: SnapshotUpdateBody, response: { 200: SnapshotBody, ...cinderErrors(404) } },
    handler: async (request) => ({
      snapshot: snapshotView(request, await snapshots.update(request.auth!.owner, request.params.snapshotId, snapshotUpdateInput(request.body))),
    }),
  })

  app.route({
    method: 'DELETE',
    url: '/snapshots/:snapshotId',
    schema: { operationId: 'deleteSnapshot', tags: ['snapshots'], params: SnapshotParams, response: { 202: NoContent, ...cinderErrors(404) } },
    handler: async (request, reply) => {
      await snapshots.delete(request.auth!.owner, request.params.snapshotId)
      return sendEmpty(reply, 202)
    },
  })
}
