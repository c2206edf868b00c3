/**
 * docs/coverage.md is what the routes serve now, and every compute operation the NHN Cloud seeds
 * catalogue (CATALOG.md §2.1 and §2.2) has a route (STYLE.md §6, moto's IMPLEMENTATION_COVERAGE).
 */
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { COVERAGE_PATH, coverageOf, missingOperations, renderCoverage } from '../../scripts/gen-coverage.ts'
import { NHN_V1_OPERATIONS, NHN_V2_OPERATIONS } from '../../scripts/seed-operations.ts'
import { withBuiltListeners, type RouteRecord } from '../../scripts/route-table.ts'

describe('seed operation coverage', () => {
  let routes: readonly RouteRecord[] = []
  beforeAll(async () => {
    routes = await withBuiltListeners(async (built) => built.routes)
  })

  it('serves every catalogued V1 and V2 operation', () => {
    const missing = missingOperations(routes).map((operation) => `${operation.id}: ${operation.method} ${operation.path}${operation.actionKey ? ` (${operation.actionKey})` : ''}`)
    expect(missing, `seed operations without a route:\n${missing.join('\n')}`).toEqual([])
  })

  it('docs/coverage.md is up to date', () => {
    expect(readFileSync(COVERAGE_PATH, 'utf8') === renderCoverage(routes), 'docs/coverage.md is stale: run node scripts/gen-coverage.ts').toBe(true)
  })

  it('counts an operation missing when its route, or its action body key, is not there', () => {
    const withoutShow = routes.filter((route) => !(route.listener === 'nhnV1' && route.method === 'GET' && route.url === '/v1.0/appkeys/:appkey/servers/:serverId'))
    expect(coverageOf(NHN_V1_OPERATIONS, withoutShow).find((row) => row.operation.id === 'V1-5')?.route).toBeUndefined()

    const action = routes.find((route) => route.listener === 'compute' && route.method === 'POST' && route.url === '/v2/:tenantId/servers/:serverId/action')!
    const onlyReboot = { ...action, schema: { ...action.schema, body: { type: 'object', properties: { reboot: {} } } } }
    const rows = coverageOf(NHN_V2_OPERATIONS, [...routes.filter((route) => route !== action), onlyReboot])
    expect(rows.find((row) => row.operation.id === 'N-18 reboot')?.route).toBe(onlyReboot)
    expect(rows.find((row) => row.operation.id === 'N-18 os-stop')?.route).toBeUndefined()
    // The /v2.1 twin does not stand in for a /v2 operation the seeds document.
    expect(rows.find((row) => row.operation.id === 'N-18')?.route?.url).toBe('/v2/:tenantId/servers/:serverId/action')
  })
})
