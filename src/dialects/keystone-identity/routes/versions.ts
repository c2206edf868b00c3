/** Version discovery, without a token: `GET /` (300 with both versions), `GET /v3`, `GET /v2.0`. */
import type { DialectApp } from '../../shared/listener.ts'
import { requestBaseUrl } from '../../shared/request-base-url.ts'
import { errorResponses } from '../schemas/common.ts'
import { VersionDocument, VersionList } from '../schemas/versions.ts'
import { versionDocument, versionList } from '../views/versions.ts'

export function versionRoutes(app: DialectApp): void {
  app.get('/', {
    schema: {
      operationId: 'listIdentityVersions', tags: ['versions'],
      response: { 300: VersionList, ...errorResponses() },
    },
  }, async (request, reply) => reply.status(300).send(versionList(requestBaseUrl(request))))

  app.get('/v3', {
    schema: {
      operationId: 'showIdentityV3Version', tags: ['versions'],
      response: { 200: VersionDocument, ...errorResponses() },
    },
  }, async (request) => versionDocument(requestBaseUrl(request), 'v3'))

  app.get('/v2.0', {
    schema: {
      operationId: 'showIdentityV2Version', tags: ['versions'],
      response: { 200: VersionDocument, ...errorResponses() },
    },
  }, async (request) => versionDocument(requestBaseUrl(request), 'v2.0'))
}
