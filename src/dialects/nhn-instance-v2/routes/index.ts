/**
 * Every route of the compute listener. Versions are public; everything under /v2/{tenantId} and
 * /v2.1/{tenantId} needs a token of that tenant (checked before body validation, so an anonymous
 * request gets 401 whatever it sends).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { markAliasRoutes } from '../../shared/route-aliases.ts'
import { tenantVersionRoutes, versionRoutes } from './versions.ts'
import { flavorRoutes } from './flavors.ts'
import { availabilityZoneRoutes } from './availability-zones.ts'
import { keypairRoutes } from './keypairs.ts'
import { limitRoutes } from './limits.ts'
import { serverGroupRoutes } from './server-groups.ts'
import { serverRoutes } from './servers.ts'
import { serverActionRoutes } from './server-actions.ts'
import { volumeAttachmentRoutes } from './volume-attachments.ts'
import { serverMetadataRoutes } from './server-metadata.ts'
import { serverInterfaceRoutes } from './server-interfaces.ts'
import { instanceActionRoutes } from './instance-actions.ts'
import { securityGroupRoutes } from './security-groups.ts'

export interface ComputeHooks {
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<unknown>
}

export async function computeRoutes(app: DialectApp, context: DialectContext, hooks: ComputeHooks): Promise<void> {
  versionRoutes(app, context)
  for (const prefix of ['/v2', '/v2.1']) {
    await app.register(async (scope) => {
      const api = scope.withTypeProvider<TypeBoxTypeProvider>() as unknown as DialectApp
      api.addHook('onRequest', hooks.authenticate)
      // /v2.1 is the same API as NHN's documented /v2: its routes are aliases in OpenAPI and operation ids.
      if (prefix === '/v2.1') markAliasRoutes(api, 'V21')
      tenantVersionRoutes(api, context)
      flavorRoutes(api, context)
      availabilityZoneRoutes(api, context)
      keypairRoutes(api, context)
      limitRoutes(api, context)
      serverGroupRoutes(api, context)
      serverRoutes(api, context)
      serverActionRoutes(api, context)
      volumeAttachmentRoutes(api, context)
      serverMetadataRoutes(api, context)
      serverInterfaceRoutes(api, context)
      instanceActionRoutes(api, context)
      securityGroupRoutes(api, context)
    }, { prefix })
  }
}
