/**
 * Version discovery (seed 003 N-0). `GET /` answers 200 with the version list, as Nova's root does (its
 * 300 Multiple Choices is only for unknown paths under the root). `/v2` and `/v2.1` (with or without the
 * trailing slash) describe their version without a token, which keystoneauth's discovery relies on; the
 * tenant endpoint `/v2/{tenantId}` (the catalog URL, which novaclient asks first) needs one.
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { TenantParams } from '../schemas/common.ts'
import { faultResponses, publicFaultResponses } from '../schemas/responses.ts'
import { VersionDocument, VersionList } from '../schemas/versions.ts'
import { versionDocument, versionList, versionOfPath } from '../views/versions.ts'

export function versionRoutes(app: DialectApp, _context: DialectContext): void {
  app.get('/', {
    schema: {
      operationId: 'listVersions', tags: ['versions'],
      response: { 200: VersionList, ...publicFaultResponses },
    },
  }, async (request) => versionList(request))

  for (const segment of ['v2', 'v2.1'] as const) {
    app.get(`/${segment}`, {
      schema: {
        operationId: segment === 'v2' ? 'showVersionV2' : 'showVersionV21', tags: ['versions'],
        response: { 200: VersionDocument, ...publicFaultResponses },
      },
    }, async (request) => versionDocument(request, versionOfPath(request.url)))
  }
}

/** Registered inside the tenant scope (behind the token check) of each of /v2 and /v2.1. */
export function tenantVersionRoutes(api: DialectApp, _context: DialectContext): void {
  api.get('/:tenantId', {
    schema: {
      operationId: 'showTenantVersion', tags: ['versions'], params: TenantParams,
      response: { 200: VersionDocument, ...faultResponses() },
    },
  }, async (request) => versionDocument(request, versionOfPath(request.url)))
}
