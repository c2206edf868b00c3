/**
 * How this dialect declares a route: Neutron also answers every URL with a `.json` suffix
 * (`GET /v2.0/networks.json`, `/v2.0/quotas/{id}/details.json`), so each route is registered twice;
 * the suffixed twin shares the handler and is left out of the OpenAPI document.
 */
import type { FastifyRequest, RouteOptions } from 'fastify'
import type { Owner } from '../../../core/shared/owner.ts'
import type { DialectApp } from '../../shared/listener.ts'

type RouteDefinition = Parameters<DialectApp['route']>[0]

export function neutronRoute<T extends RouteDefinition>(api: DialectApp, definition: T & { readonly url: string }): void {
  api.route(definition)
  const schema = (definition as RouteOptions).schema as Record<string, unknown> | undefined
  api.route({
    ...definition,
    url: `${definition.url}.json`,
    schema: { ...schema, operationId: `${String(schema?.operationId)}Json`, hide: true },
  } as T)
}

/** The caller, as the authentication hook established it. */
export function ownerOf(request: FastifyRequest): Owner {
  if (!request.auth) throw new Error('network route reached without authentication')
  return request.auth.owner
}
