import type { DialectApp } from '../../shared/listener.ts'
import { NeutronApiError } from '../errors.ts'
import { errorResponses } from '../schemas/common.ts'
import { AliasParams, ExtensionListResponse, ExtensionResponse } from '../schemas/extensions.ts'
import { EXTENSIONS } from '../views/extensions.ts'
import { neutronRoute } from './route.ts'

export function extensionRoutes(api: DialectApp): void {
  neutronRoute(api, {
    method: 'GET',
    url: '/extensions',
    schema: { operationId: 'listExtensions', tags: ['extensions'], response: { 200: ExtensionListResponse, ...errorResponses() } },
    handler: async () => ({ extensions: EXTENSIONS }),
  })
  neutronRoute(api, {
    method: 'GET',
    url: '/extensions/:alias',
    schema: {
      operationId: 'showExtension', tags: ['extensions'], params: AliasParams,
      response: { 200: ExtensionResponse, ...errorResponses(404) },
    },
    handler: async (request) => {
      const { alias } = request.params as AliasParams
      const extension = EXTENSIONS.find((candidate) => candidate.alias === alias)
      if (!extension) throw new NeutronApiError(404, 'HTTPNotFound', `Extension with alias ${alias} does not exist`)
      return { extension }
    },
  })
}
