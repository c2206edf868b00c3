/**
 * Neutron's five operations on a resource collection, declared once: `GET /<plural>` (filters, fields,
 * paging), `GET /<plural>/{id}` (fields), `POST /<plural>` (201), `PUT /<plural>/{id}` and
 * `DELETE /<plural>/{id}` (204). Each resource file supplies its schemas, its view and its core calls.
 */
import { Type, type TObject, type TSchema } from 'typebox'
import type { Page, PageRequest } from '../../../core/shared/page.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { errorResponses, IdParams, Links, ShowQuery, type ListQuery } from '../schemas/common.ts'
import {
  collectionBody, fieldsOf, listCollection, parseListQuery, selectFields, type SpecialFilter, type WireObject,
} from '../views/collection.ts'
import { neutronRoute, ownerOf } from './route.ts'

type Filters = ReadonlyMap<string, readonly string[]>

export interface ResourceDefinition<T extends { readonly id: string }, W extends WireObject & { readonly id: string }> {
  /** `network`: the body key of one item, and (with `s`) of the collection. */
  readonly singular: string
  readonly plural: string
  /** The URL segment, when it differs from the plural (`security-groups` for `security_groups`). */
  readonly path?: string
  /** `Network`, for operation ids. */
  readonly title: string
  readonly view: TObject
  /** Every attribute of the view: what may be filtered on and sorted by. */
  readonly attributes: ReadonlySet<string>
  readonly listQuery: TSchema
  readonly special?: Readonly<Record<string, SpecialFilter>>
  toWire(owner: Owner, items: readonly T[]): Promise<W[]>
  list(owner: Owner, filters: Filters, page: PageRequest): Promise<Page<T>>
  get(owner: Owner, id: string): Promise<T>
  readonly create?: { readonly body: TSchema; run(owner: Owner, body: unknown): Promise<T> }
  readonly update?: { readonly body: TSchema; run(owner: Owner, id: string, body: unknown): Promise<T> }
  delete?(owner: Owner, id: string): Promise<void>
}

export function resourceRoutes<T extends { readonly id: string }, W extends WireObject & { readonly id: string }>(
  api: DialectApp, resource: ResourceDefinition<T, W>,
): void {
  const { singular, plural, title } = resource
  const path = resource.path ?? plural
  const tags = [plural]
  const one = (item: TSchema) => Type.Object({ [singular]: item }, { additionalProperties: false })
  const fields = Type.Partial(resource.view)
  const view = async (owner: Owner, item: T) => (await resource.toWire(owner, [item]))[0]

  neutronRoute(api, {
    method: 'GET',
    url: `/${path}`,
    schema: {
      operationId: `list${title}s`, tags, querystring: resource.listQuery,
      response: {
        200: Type.Object({ [plural]: Type.Array(fields), [`${plural}_links`]: Type.Optional(Links) }, { additionalProperties: false }),
        ...errorResponses(400),
      },
    },
    handler: async (request) => {
      const owner = ownerOf(request)
      const list = parseListQuery(request.query as ListQuery, resource.attributes)
      return collectionBody(plural, await listCollection(request, list, {
        page: (page) => resource.list(owner, list.filters, page),
        toWire: (items) => resource.toWire(owner, items),
        special: resource.special,
      }))
    },
  })

  neutronRoute(api, {
    method: 'GET',
    url: `/${path}/:id`,
    schema: {
      operationId: `show${title}`, tags, params: IdParams, querystring: ShowQuery,
      response: { 200: one(fields), ...errorResponses(400, 404) },
    },
    handler: async (request) => {
      const owner = ownerOf(request)
      const item = await resource.get(owner, (request.params as IdParams).id)
      return { [singular]: selectFields(await view(owner, item), fieldsOf((request.query as ShowQuery).fields)) }
    },
  })

  const { create, update } = resource
  if (create) {
    neutronRoute(api, {
      method: 'POST',
      url: `/${path}`,
      schema: {
        operationId: `create${title}`, tags, body: create.body,
        response: { 201: one(resource.view), ...errorResponses(400, 403, 404, 409, 413, 503) },
      },
      handler: async (request, reply) => {
        const owner = ownerOf(request)
        const item = await create.run(owner, (request.body as Record<string, unknown>)[singular])
        reply.status(201)
        return { [singular]: await view(owner, item) }
      },
    })
  }

  if (update) {
    neutronRoute(api, {
      method: 'PUT',
      url: `/${path}/:id`,
      schema: {
        operationId: `update${title}`, tags, params: IdParams, body: update.body,
        response: { 200: one(resource.view), ...errorResponses(400, 403, 404, 409, 413) },
      },
      handler: async (request) => {
        const owner = ownerOf(request)
        const item = await update.run(owner, (request.params as IdParams).id, (request.body as Record<string, unknown>)[singular])
        return { [singular]: await view(owner, item) }
      },
    })
  }

  const remove = resource.delete
  if (remove) {
    neutronRoute(api, {
      method: 'DELETE',
      url: `/${path}/:id`,
      schema: {
        operationId: `delete${title}`, tags, params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 403, 404, 409) },
      },
      handler: async (request, reply) => {
        await remove(ownerOf(request), (request.params as IdParams).id)
        return reply.status(204).send()
      },
    })
  }
}
