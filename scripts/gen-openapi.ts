/**
 * Writes openapi/<name>.json: the OpenAPI document of every listener, as the console serves it at
 * /docs/<name>.json, generated from the route schemas of a freshly built Gureum with the default
 * configuration. Committed; test/conformance/openapi-up-to-date.test.ts fails when they drift.
 *
 *   node scripts/gen-openapi.ts
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openApiDocuments } from '../src/dialects/shared/openapi.ts'
import { withBuiltListeners } from './route-table.ts'

export const OPENAPI_DIR = join(import.meta.dirname, '..', 'openapi')

/** File name → pretty-printed document, for every published document. */
export async function generateOpenApiFiles(): Promise<Map<string, string>> {
  return withBuiltListeners(async ({ listeners }) => {
    const documents = await openApiDocuments(listeners)
    return new Map([...documents].map(([name, document]) => [`${name}.json`, `${JSON.stringify(document, null, 2)}\n`]))
  })
}

if (import.meta.main) {
  const files = await generateOpenApiFiles()
  mkdirSync(OPENAPI_DIR, { recursive: true })
  for (const stale of readdirSync(OPENAPI_DIR).filter((name) => name.endsWith('.json') && !files.has(name))) {
    rmSync(join(OPENAPI_DIR, stale))
  }
  for (const [name, text] of files) writeFileSync(join(OPENAPI_DIR, name), text)
  process.stdout.write(`wrote ${[...files.keys()].map((name) => `openapi/${name}`).join(', ')}\n`)
}
