/** Re-renders a results JSON as its markdown table: `node bench/render-report.ts bench/results/X.json > X.md`. */
import { readFileSync } from 'node:fs'
import { toMarkdown, type BenchReport } from './lib/report.ts'

const [file] = process.argv.slice(2)
if (!file) throw new Error('usage: node bench/render-report.ts RESULTS.json')
process.stdout.write(toMarkdown(JSON.parse(readFileSync(file, 'utf8')) as BenchReport))
