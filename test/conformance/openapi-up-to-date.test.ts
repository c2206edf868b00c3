/**
 * The committed OpenAPI documents (openapi/*.json) are what the route schemas generate now (STYLE.md §11,
 * Immich's generated-api-up-to-date check): a route change without regenerating fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateOpenApiFiles, OPENAPI_DIR } from '../../scripts/gen-openapi.ts'

const REGENERATE = 'run node scripts/gen-openapi.ts (npm run openapi) and commit openapi/'

describe('openapi/', () => {
  let generated = new Map<string, string>()
  beforeAll(async () => {
    generated = await generateOpenApiFiles()
  })

  it('holds exactly the generated documents', () => {
    const committed = existsSync(OPENAPI_DIR) ? readdirSync(OPENAPI_DIR).filter((name) => name.endsWith('.json')).sort() : []
    expect(committed, `openapi/ lists other documents than the listeners publish: ${REGENERATE}`).toEqual([...generated.keys()].sort())
  })

  it('matches the route schemas', () => {
    const stale = [...generated].filter(([name, text]) => {
      const path = join(OPENAPI_DIR, name)
      return !existsSync(path) || readFileSync(path, 'utf8') !== text
    }).map(([name]) => `openapi/${name}`)
    expect(stale, `out of date: ${stale.join(', ')}; ${REGENERATE}`).toEqual([])
  })

  it('describes each listener as an OpenAPI 3 document with its public URL and unique operation ids', () => {
    for (const [name, text] of generated) {
      const document = JSON.parse(text) as { openapi: string; info: { title: string }; servers: { url: string }[]; paths: Record<string, Record<string, { operationId?: string }>> }
      expect(document.openapi, name).toMatch(/^3\./)
      expect(document.info.title, name).toMatch(/Gureum/)
      expect(document.servers[0].url, name).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const ids = Object.values(document.paths).flatMap((operations) => Object.values(operations).map((operation) => operation.operationId))
      expect(ids.every((id) => typeof id === 'string'), name).toBe(true)
      expect(new Set(ids).size, `${name}: operation ids repeat`).toBe(ids.length)
    }
  })
})
