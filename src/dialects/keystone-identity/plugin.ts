/**
 * Keystone identity at the root of the identity listener: v2.0 tokens and tenants (what NHN Cloud
 * documents, and what its Terraform provider and gophercloud use) and v3 tokens, catalog and projects
 * (what openstackclient, openstacksdk and keystoneauth use), with Keystone's version discovery and error
 * body. One token store serves both versions and every other dialect.
 */
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import type { DialectContext, DialectPlugin } from '../shared/context.ts'
import { lazyValidatorCompiler, type DialectApp } from '../shared/listener.ts'
import { keystoneError, keystoneErrorHandler } from './errors.ts'
import { versionRoutes } from './routes/versions.ts'
import { v2TokenRoutes } from './routes/v2-tokens.ts'
import { v2TenantRoutes } from './routes/v2-tenants.ts'
import { v3TokenRoutes } from './routes/v3-tokens.ts'
import { v3AuthRoutes } from './routes/v3-auth.ts'
import { v3ProjectRoutes } from './routes/v3-projects.ts'

export const keystoneIdentity: DialectPlugin = (app: DialectApp, context: DialectContext) => {
  // Keystone answers `"password": 123` with 400: request bodies are checked without the listener's type
  // coercion (which would turn 123 into "123"); query strings and headers are still converted.
  app.setValidatorCompiler(lazyValidatorCompiler(TypeBoxValidatorCompiler))
  app.setErrorHandler(keystoneErrorHandler)
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(keystoneError(404, 'The resource could not be found.')))
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-openstack-request-id', request.id)
    reply.header('Vary', 'X-Auth-Token')
  })
  versionRoutes(app)
  v2TokenRoutes(app, context)
  v2TenantRoutes(app, context)
  v3TokenRoutes(app, context)
  v3AuthRoutes(app, context)
  v3ProjectRoutes(app, context)
}
