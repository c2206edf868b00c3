/**
 * Results: one JSON document and one markdown table per run, `bench/results/<date>-<database>.json|.md`
 * plus `latest-<database>.md`. Quick runs (CI) go to `bench/results/quick/`, which is not committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MachineDescription } from './machine.ts'

export interface Target {
  readonly op: '>=' | '<='
  readonly value: number
}

export interface Measurement {
  /** The issue's item number (1 ceiling … 6 start and memory). */
  readonly item: number
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly target?: Target
  readonly note?: string
}

export interface StepFailure {
  readonly step: string
  readonly error: string
}

export interface BenchReport {
  readonly startedAt: string
  readonly mode: 'full' | 'quick'
  readonly database: 'sqlite' | 'postgres'
  readonly commit: string
  readonly machine: MachineDescription
  /** 1-minute load average when the run started and ended: other work on the machine skews the numbers. */
  readonly loadAverage: { atStart: number; atEnd: number }
  readonly settings: Record<string, unknown>
  readonly measurements: Measurement[]
  readonly notes: string[]
  readonly failures: StepFailure[]
  readonly details: Record<string, unknown>
}

export function meets(measurement: Measurement): boolean | null {
  const { target, value } = measurement
  if (!target || !Number.isFinite(value)) return null
  return target.op === '>=' ? value >= target.value : value <= target.value
}

function formatNumber(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a'
  const digits = (unit === 'ms' || unit === '×') && value < 10 ? 3 : value < 10 ? 2 : value < 100 ? 1 : 0
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}`
}

export function toMarkdown(report: BenchReport): string {
  const { machine } = report
  const lines = [
    `# Gureum benchmark: ${report.database}${report.mode === 'quick' ? ' (quick)' : ''}, ${report.startedAt.slice(0, 10)}`,
    '',
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}`,
    `- Node ${machine.node}; database ${report.database}; commit ${report.commit.replace(/^([0-9a-f]{12})[0-9a-f]*/, '$1')}`,
    `- ${machine.pinning}`,
    `- 1-minute load average: ${report.loadAverage.atStart.toFixed(2)} at the start, ${report.loadAverage.atEnd.toFixed(2)} at the end`,
    `- Settings: ${Object.entries(report.settings).map(([key, value]) => `${key} ${String(value)}`).join(', ')}`,
    '',
    '| # | measurement | value | target | met |',
    '|---|---|---:|---|---|',
    ...report.measurements.map((measurement) => {
      const met = meets(measurement)
      const target = measurement.target ? `${measurement.target.op} ${measurement.target.value.toLocaleString('en-US')} ${measurement.unit}` : ''
      const note = measurement.note ? ` (${measurement.note})` : ''
      return `| ${measurement.item} | ${measurement.name}${note} | ${formatNumber(measurement.value, measurement.unit)} ${measurement.unit} | ${target} | ${met === null ? '' : met ? 'yes' : '**no**'} |`
    }),
  ]
  if (report.notes.length > 0) lines.push('', '## Notes', '', ...report.notes.map((note) => `- ${note}`))
  if (report.failures.length > 0) {
    lines.push('', '## Steps that failed', '', ...report.failures.map((failure) => `- ${failure.step}: ${failure.error.split('\n')[0]}`))
  }
  return `${lines.join('\n')}\n`
}

/** Writes the run's files; returns the paths written. */
export function writeReport(directory: string, report: BenchReport): string[] {
  const target = report.mode === 'quick' ? join(directory, 'quick') : directory
  mkdirSync(target, { recursive: true })
  const stem = `${report.startedAt.slice(0, 10)}-${report.database}`
  const markdown = toMarkdown(report)
  const files = [
    [join(target, `${stem}.json`), `${JSON.stringify(report, null, 2)}\n`],
    [join(target, `${stem}.md`), markdown],
    [join(target, `latest-${report.database}.md`), markdown],
  ] as const
  for (const [path, text] of files) writeFileSync(path, text)
  return files.map(([path]) => path)
}
