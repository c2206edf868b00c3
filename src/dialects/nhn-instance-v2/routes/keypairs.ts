/**
 * Keypairs (seeds 001–003 N-4…N-7), one list per project. Generated private keys are handed out once,
 * in the create answer. Statuses and fields follow the request's microversion (views/keypairs.ts).
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { TenantParams } from '../schemas/common.ts'
import { KeypairCreateBody, KeypairCreated, KeypairList, KeypairListQuery, KeypairParams, KeypairShow } from '../schemas/keypairs.ts'
import { withStrictBodies } from '../schemas/strict-body.ts'
import { faultResponses, NoBody } from '../schemas/responses.ts'
import {
  keypairCreated, keypairCreatedStatus, keypairCreateInput, keypairDeletedStatus, keypairDetail, keypairList, keypairPage,
} from '../views/keypairs.ts'

const tags = ['keypairs']

export function keypairRoutes(api: DialectApp, { services }: DialectContext): void {
  const { keypairs } = services

  api.get('/:tenantId/os-keypairs', {
    schema: {
      operationId: 'listKeypairs', tags, params: TenantParams, querystring: KeypairListQuery,
      response: { 200: KeypairList, ...faultResponses() },
    },
  }, async (request) => {
    const page = await keypairs.list(request.auth!.owner, keypairPage(request.query, request.microversion))
    return keypairList(request, request.params.tenantId, page, request.microversion)
  })

  api.get('/:tenantId/os-keypairs/:keypairName', {
    schema: {
      operationId: 'showKeypair', tags, params: KeypairParams,
      response: { 200: KeypairShow, ...faultResponses(404) },
    },
  }, async (request) => ({
    keypair: keypairDetail(await keypairs.get(request.auth!.owner, request.params.keypairName), request.microversion),
  }))

  api.delete('/:tenantId/os-keypairs/:keypairName', {
    schema: {
      operationId: 'deleteKeypair', tags, params: KeypairParams,
      response: { 202: NoBody, 204: NoBody, ...faultResponses(403, 404) },
    },
  }, async (request, reply) => {
    await keypairs.delete(request.auth!.owner, request.params.keypairName)
    return reply.status(keypairDeletedStatus(request.microversion)).send(undefined)
  })

  // Bodies are checked as sent, without type coercion, as Nova does (schemas/strict-body.ts).
  withStrictBodies(api, (strict) => {
    strict.post('/:tenantId/os-keypairs', {
      schema: {
        operationId: 'createKeypair', tags, params: TenantParams, body: KeypairCreateBody,
        response: { 200: KeypairCreated, 201: KeypairCreated, ...faultResponses(403, 409, 413) },
      },
    }, async (request, reply) => {
      const created = await keypairs.create(request.auth!.owner, keypairCreateInput(request.body, request.microversion))
      return reply.status(keypairCreatedStatus(request.microversion)).send(keypairCreated(created, request.microversion))
    })
  })
}
