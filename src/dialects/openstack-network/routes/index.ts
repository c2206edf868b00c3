/**
 * Every route of the network listener. `GET /` is public; everything under /v2.0 needs a token
 * (checked before the body is parsed, so an anonymous request gets 401 whatever it sends).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { API_VERSION, resourceListRoutes, versionRoutes } from './versions.ts'
import { extensionRoutes } from './extensions.ts'
import { networkRoutes } from './networks.ts'
import { subnetRoutes } from './subnets.ts'
import { portRoutes } from './ports.ts'
import { floatingIpRoutes } from './floating-ips.ts'
import { securityGroupRoutes } from './security-groups.ts'
import { quotaRoutes } from './quotas.ts'
import { vpcRoutes } from './vpcs.ts'

export interface NetworkApiHooks {
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<unknown>
}

export async function networkApiRoutes(app: DialectApp, context: DialectContext, hooks: NetworkApiHooks): Promise<void> {
  versionRoutes(app)
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>() as unknown as DialectApp
    api.addHook('onRequest', hooks.authenticate)
    resourceListRoutes(api)
    extensionRoutes(api)
    networkRoutes(api, context)
    subnetRoutes(api, context)
    portRoutes(api, context)
    floatingIpRoutes(api, context)
    securityGroupRoutes(api, context)
    quotaRoutes(api, context)
    vpcRoutes(api, context)
  }, { prefix: `/${API_VERSION}` })
}
