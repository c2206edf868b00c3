/** What the numbers were measured on: they mean little without it. */
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

export interface MachineDescription {
  readonly cpuModel: string
  readonly cores: number
  readonly memoryGb: number
  readonly node: string
  readonly os: string
  readonly pinning: string
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8')
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? process.platform
  } catch {
    return process.platform
  }
}

export function describeMachine(pinning: string): MachineDescription {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    // Not availableParallelism(): the bench pins itself to one core before describing the machine.
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3 * 10) / 10,
    node: process.version,
    os: osName(),
    pinning,
  }
}
