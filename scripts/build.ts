/**
 * Builds dist/: the `gureum` command as one ES module bundle (esbuild), which is what `npm start`, the
 * benchmark and a deployment run. Loading ~1,600 modules of TypeScript and package code one by one
 * costs more at each start than everything else Gureum does before its first answer; one bundle of
 * plain JavaScript, compiled once into Node's compile cache, is what makes the start fit its budget.
 *
 *   dist/main.js   enables the compile cache, then imports cli.js (as src/main.ts imports cli.ts)
 *   dist/cli.js    everything else: Gureum and the packages it uses
 *
 * `pg` stays outside the bundle and is required from node_modules when PostgreSQL is first used
 * (src/store/engines/postgres.ts), so a start on SQLite never loads it. Gureum reads no file next to
 * its own modules (migrations and seeds are code); of the bundled packages only pino's worker transports
 * (unused: Gureum logs to stdout) and @fastify/swagger's default title from its own package.json (Gureum
 * sets its own, and the lookup falls back when the file is not there) would. test/start/bundle.test.ts
 * checks that the bundle serves what the sources serve. A build takes a second or two and rewrites only
 * the files that changed (by rename, so a process starting meanwhile reads the old file or the new).
 *
 *   node scripts/build.ts
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { build } from 'esbuild'

const ROOT = join(import.meta.dirname, '..')
export const DIST_DIR = join(ROOT, 'dist')
/** What `node` runs: `node dist/main.js serve …`. */
export const BUNDLE_ENTRY = join(DIST_DIR, 'main.js')

/**
 * Package code written as CommonJS requires Node's built-in modules; an ES module has no `require`, so
 * the bundle gets one (esbuild's require shim uses it).
 */
const REQUIRE_SHIM = "import { createRequire as __gureumCreateRequire } from 'node:module'\nconst require = __gureumCreateRequire(import.meta.url)"

export interface BuildResult {
  /** Files written (changed) by this build, relative to the repository root. */
  readonly written: readonly string[]
  readonly ms: number
}

export async function buildBundle(): Promise<BuildResult> {
  const started = performance.now()
  const result = await build({
    absWorkingDir: ROOT,
    // Two entries and splitting: main.js stays tiny, so the compile cache it enables covers cli.js.
    entryPoints: { main: 'src/main.ts', cli: 'src/cli.ts' },
    outdir: DIST_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    external: ['pg'],
    banner: { js: REQUIRE_SHIM },
    // Stack traces: `NODE_OPTIONS=--enable-source-maps` maps them back to src/ (the map costs nothing otherwise).
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    write: false,
  })
  mkdirSync(DIST_DIR, { recursive: true })
  const outputs = new Set(result.outputFiles.map((file) => file.path))
  const written: string[] = []
  for (const file of result.outputFiles) {
    let current: Buffer | null = null
    try {
      current = readFileSync(file.path)
    } catch {
      // Not built yet.
    }
    if (current && Buffer.compare(current, file.contents) === 0) continue
    mkdirSync(join(file.path, '..'), { recursive: true })
    const temporary = `${file.path}.${process.pid}.tmp`
    writeFileSync(temporary, file.contents)
    renameSync(temporary, file.path)
    written.push(relative(ROOT, file.path))
  }
  for (const entry of readdirSync(DIST_DIR, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name)
    if (entry.isFile() && !outputs.has(path) && !entry.name.endsWith('.tmp')) rmSync(path)
  }
  return { written, ms: performance.now() - started }
}

if (import.meta.main) {
  const { written, ms } = await buildBundle()
  const what = written.length > 0 ? `wrote ${written.join(', ')}` : 'dist/ up to date'
  process.stderr.write(`build: ${what} (${Math.round(ms)} ms)\n`)
}
