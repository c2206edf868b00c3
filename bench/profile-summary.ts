/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `npm run bench -- --profile`): the
 * functions and the files with the most self time, and the inclusive time of functions under src/.
 * Frames of the bundle (dist/*.js) are mapped back to src/ and node_modules/ through its source maps.
 * `node bench/profile-summary.ts FILE.cpuprofile [rows]`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { SourceMap, type SourceMapping } from 'node:module'
import { fileURLToPath } from 'node:url'

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber?: number }
  readonly children?: readonly number[]
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

/** Each frame of a script with a source map next to it (`<file>.map`) at its original file and line. */
export function mapToSources(profile: CpuProfile): CpuProfile {
  const maps = new Map<string, SourceMap | null>()
  const mapOf = (url: string): SourceMap | null => {
    let map = maps.get(url)
    if (map === undefined) {
      const file = url.startsWith('file://') ? `${fileURLToPath(url)}.map` : null
      map = file && existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null
      maps.set(url, map)
    }
    return map
  }
  const nodes = profile.nodes.map((node) => {
    const { url, lineNumber, columnNumber } = node.callFrame
    const entry: Partial<SourceMapping> | undefined = url ? mapOf(url)?.findEntry(lineNumber, columnNumber ?? 0) : undefined
    if (entry?.originalSource === undefined || entry.originalLine === undefined) return node
    const source = new URL(entry.originalSource, url).href
    return { ...node, callFrame: { ...node.callFrame, url: source, lineNumber: entry.originalLine, columnNumber: entry.originalColumn } }
  })
  return { ...profile, nodes }
}

export function summarise(original: CpuProfile, rows = 25): string {
  const profile = mapToSources(original)
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)))
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const shortUrl = (url: string) => url.replace(/^file:\/\/.*?\/(src|bench|node_modules)\//, '$1/').replace(/^node:/, 'node:')
  const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`
  const total = [...selfUs.values()].reduce((sum, value) => sum + value, 0)

  const selfByFunction = new Map<string, number>()
  const selfByFile = new Map<string, number>()
  const inclusive = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (!node) continue
    selfByFunction.set(label(node), (selfByFunction.get(label(node)) ?? 0) + us)
    const file = shortUrl(node.callFrame.url) || `(${node.callFrame.functionName})`
    selfByFile.set(file, (selfByFile.get(file) ?? 0) + us)
    // Inclusive time of our own functions: walk up once per distinct frame.
    const seen = new Set<string>()
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)
      if (!frame || !/\/src\//.test(frame.callFrame.url)) continue
      const key = label(frame)
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + us)
    }
  }
  const table = (title: string, entries: Map<string, number>) => [
    `${title}:`,
    ...[...entries].sort((a, b) => b[1] - a[1]).slice(0, rows)
      .map(([name, us]) => `  ${(us / 1000).toFixed(1).padStart(9)} ms ${(100 * us / total).toFixed(1).padStart(5)}%  ${name}`),
  ].join('\n')
  return [
    `total sampled: ${(total / 1000).toFixed(0)} ms`,
    table('self time by function', selfByFunction),
    table('self time by file', selfByFile),
    table('inclusive time of src/ functions', inclusive),
  ].join('\n\n')
}

if (import.meta.main) {
  const [file, rows] = process.argv.slice(2)
  if (!file) throw new Error('usage: node bench/profile-summary.ts FILE.cpuprofile [rows]')
  process.stdout.write(`${summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, rows ? Number(rows) : 25)}\n`)
}
