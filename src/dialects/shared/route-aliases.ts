/**
 * Some dialects serve the same routes under a second prefix (Cinder's /v2 beside /v3, Nova's /v2.1
 * beside /v2). The twin routes keep the handlers and schemas of the documented ones, but each operation
 * id stays unique on its listener, and the OpenAPI document describes each operation once.
 */
import type { RouteOptions } from 'fastify'
import type { DialectApp } from './listener.ts'

/** Every route registered in `scope` from now on gets `suffix` on its operationId and is left out of OpenAPI. */
export function markAliasRoutes(scope: DialectApp, suffix: string): void {
  scope.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as Record<string, unknown> | undefined
    if (typeof schema?.operationId !== 'string') return
    // A new object: the documented twin shares the original schema.
    route.schema = { ...schema, operationId: `${schema.operationId}${suffix}`, hide: true }
  })
}
