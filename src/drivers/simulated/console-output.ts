import { createHash } from 'node:crypto'
import type { DiskSpec, NicSpec, ServerSpec } from '../../core/ports/hypervisor-driver.ts'
import { intHash } from './deterministic.ts'

/**
 * Synthetic serial-console text, shaped like an Ubuntu cloud image booting under cloud-init (or a
 * Windows image under cloudbase-init), so that tools which grep console output for IPs, key
 * fingerprints or "login:" find them. Every power event also writes one `[gureum-sim <ISO time>]`
 * marker line stamped with the driver's clock.
 */

/** Keeps a chatty server from holding unbounded memory; real consoles rotate too. */
export const MAX_CONSOLE_LINES = 5000

export type PowerEvent =
  | 'boot' | 'reboot' | 'hard-reboot' | 'shutdown' | 'power-off'
  | 'pause' | 'unpause' | 'suspend' | 'resume' | 'crash'
  | 'resize' | 'rebuild' | 'adopt'

export interface BootContext {
  readonly spec: ServerSpec
  readonly nics: readonly NicSpec[]
  /** Attached volumes; the root one (boot index 0) is the image disk vda and is not listed twice. */
  readonly volumes: readonly DiskSpec[]
  /**
   * Clock time the VM started, which is when the driver reports RUNNING; the guest's own lines
   * (cloud-init finishing a few seconds later) are stamped after it, as on a real host.
   */
  readonly startedAtMs: number
  readonly seed: number
  /** Distinguishes boots of the same server so their timings differ. */
  readonly bootCount: number
}

export interface BootOutput {
  readonly lines: string[]
  /** Clock time the kernel started: uptimes in later kernel lines are measured from it. */
  readonly kernelStartMs: number
}

export function eventLine(atMs: number, event: PowerEvent, spec: ServerSpec, detail?: string): string {
  const suffix = detail === undefined ? '' : ` (${detail})`
  return `[gureum-sim ${new Date(atMs).toISOString()}] ${event}: ${spec.name} ${spec.serverId} on host ${spec.host}${suffix}`
}

/** Clock time the kernel of this boot starts (what bootLines reports), without rendering the lines. */
export function kernelStartOf(context: BootContext): number {
  return context.startedAtMs
}

export function bootLines(context: BootContext): BootOutput {
  const upMs = intHash(context.seed, 4200, 6800, 'boot-uptime', context.spec.serverId, context.bootCount)
  const kernelStartMs = kernelStartOf(context)
  const lines = context.spec.osType === 'windows'
    ? windowsBoot(context, kernelStartMs)
    : linuxBoot(context, kernelStartMs, upMs)
  return { lines, kernelStartMs }
}

/** The guest's own lines for an orderly shutdown before power-off or a soft reboot. */
export function shutdownLines(spec: ServerSpec, uptimeMs: number, restart: boolean): string[] {
  if (spec.osType === 'windows') {
    return [`cloudbase-init: Windows is ${restart ? 'restarting' : 'shutting down'}`]
  }
  return [
    `${kernelStamp(uptimeMs)} systemd-shutdown[1]: Syncing filesystems and block devices.`,
    `${kernelStamp(uptimeMs + 40)} systemd-shutdown[1]: Sending SIGTERM to remaining processes...`,
    `${kernelStamp(uptimeMs + 120)} reboot: ${restart ? 'Restarting system' : 'Power down'}`,
  ]
}

export function volumeAttachedLine(uptimeMs: number, device: string, sizeGb: number, virtioIndex = 5): string {
  const name = device.replace(/^\/dev\//, '')
  const sectors = sizeGb * 1024 * 1024 * 2
  const decimalGb = ((sizeGb * 1024 ** 3) / 1e9).toFixed(1)
  return `${kernelStamp(uptimeMs)} virtio_blk virtio${virtioIndex}: [${name}] ${sectors} 512-byte logical blocks (${decimalGb} GB/${sizeGb}.0 GiB)`
}

export function interfaceAttachedLine(uptimeMs: number, index: number, nic: NicSpec): string {
  return `${kernelStamp(uptimeMs)} virtio_net virtio${6 + index} eth${index}: renamed from ens${6 + index}, mac ${nic.macAddress}`
}

export function panicLine(uptimeMs: number): string {
  return `${kernelStamp(uptimeMs)} Kernel panic - not syncing: Fatal exception in interrupt`
}

/**
 * OpenSSH-style MD5 fingerprint (`aa:bb:…`) of an authorized key, the form Nova shows as a keypair's
 * fingerprint, so a user can match the console with the API. Falls back to hashing the whole text when
 * the key is not in `type base64 [comment]` form.
 */
export function keyFingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1]
  const bytes = blob !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(blob)
    ? Buffer.from(blob, 'base64')
    : Buffer.from(publicKey.trim(), 'utf8')
  const hex = createHash('md5').update(bytes).digest('hex')
  return hex.match(/../g)!.join(':')
}

const CLOUD_INIT_VERSION = '23.4.4-0ubuntu0~22.04.1'

function linuxBoot(context: BootContext, kernelStartMs: number, upMs: number): string[] {
  const { spec, nics } = context
  const hostname = hostnameOf(spec.name)
  const at = (offsetMs: number) => rfc2822(kernelStartMs + offsetMs)
  const memKb = spec.ramMb * 1024
  const lines = [
    eventLine(kernelStartMs, 'boot', spec, `boot #${context.bootCount + 1}`),
    `${kernelStamp(0)} Linux version 5.15.0-105-generic (buildd@lcy02-amd64-007) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0) #115-Ubuntu SMP`,
    `${kernelStamp(0)} Command line: BOOT_IMAGE=/boot/vmlinuz-5.15.0-105-generic root=LABEL=cloudimg-rootfs ro console=tty1 console=ttyS0`,
    `${kernelStamp(0)} DMI: OpenStack Foundation OpenStack Nova, BIOS 1.15.0-1 04/01/2014`,
    `${kernelStamp(0)} Hypervisor detected: KVM`,
    `${kernelStamp(8)} Memory: ${Math.max(0, memKb - 180_224)}K/${memKb}K available`,
    `${kernelStamp(25)} smpboot: Allowing ${spec.vcpus} CPUs, 0 hotplug CPUs`,
    `${kernelStamp(640)} virtio_blk virtio2: [vda] ${spec.rootDiskGb * 1024 * 1024 * 2} 512-byte logical blocks`,
    ...context.volumes
      .filter((disk) => disk.bootIndex !== 0)
      .map((disk, index) => volumeAttachedLine(650 + index * 5, disk.device, disk.sizeGb, 3 + index)),
    `${kernelStamp(1210)} EXT4-fs (vda1): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.`,
    `${kernelStamp(1850)} systemd[1]: Set hostname to <${hostname}>.`,
    `Cloud-init v. ${CLOUD_INIT_VERSION} running 'init-local' at ${at(2400)}. Up ${seconds(2400)} seconds.`,
    `Cloud-init v. ${CLOUD_INIT_VERSION} running 'init' at ${at(3100)}. Up ${seconds(3100)} seconds.`,
    ...netInfo(nics),
    ...authorizedKeys(spec.publicKey),
    `Cloud-init v. ${CLOUD_INIT_VERSION} running 'modules:config' at ${at(upMs - 900)}. Up ${seconds(upMs - 900)} seconds.`,
    `Cloud-init v. ${CLOUD_INIT_VERSION} running 'modules:final' at ${at(upMs - 300)}. Up ${seconds(upMs - 300)} seconds.`,
    `Cloud-init v. ${CLOUD_INIT_VERSION} finished at ${at(upMs)}. Datasource DataSourceConfigDrive [net,ver=2][source=/dev/sr0].  Up ${seconds(upMs)} seconds`,
    '',
    `Ubuntu 22.04.4 LTS ${hostname} ttyS0`,
    '',
    `${hostname} login: `,
  ]
  return lines
}

function windowsBoot(context: BootContext, kernelStartMs: number): string[] {
  const { spec, nics } = context
  const lines = [
    eventLine(kernelStartMs, 'boot', spec, `boot #${context.bootCount + 1}`),
    'Windows Boot Manager: starting Windows Server 2022',
    `cloudbase-init: Metadata service loaded: 'ConfigDriveService'`,
    `cloudbase-init: Setting hostname: ${hostnameOf(spec.name).slice(0, 15).toUpperCase()}`,
    ...nics.map((nic, index) =>
      `cloudbase-init: Network adapter "Ethernet ${index + 1}" (${nic.macAddress}): ${nic.ipAddress}/${prefixOf(nic.cidr)} gateway ${nic.gatewayIp ?? '-'}`),
    spec.publicKey === null
      ? 'cloudbase-init: no public keys in metadata'
      : `cloudbase-init: public key fingerprint ${keyFingerprint(spec.publicKey)}`,
    `cloudbase-init: Plugins execution done at ${rfc2822(kernelStartMs + 45_000)}`,
  ]
  return lines
}

function netInfo(nics: readonly NicSpec[]): string[] {
  const rows = nics.map((nic, index) =>
    `ci-info: | eth${index}   | True | ${nic.ipAddress.padEnd(15)} | ${maskOf(nic.cidr).padEnd(15)} | global | ${nic.macAddress} |`)
  const routes = nics
    .filter((nic) => nic.gatewayIp !== null)
    .map((nic, index) =>
      `ci-info: |   ${index}   |   0.0.0.0   | ${nic.gatewayIp!.padEnd(11)} |    0.0.0.0    |    eth${nics.indexOf(nic)}   |   UG  |`)
  return [
    'ci-info: ++++++++++++++++++++++++++++++++++++++Net device info+++++++++++++++++++++++++++++++++++++++',
    'ci-info: | Device |  Up  |     Address     |      Mask       | Scope  |     Hw-Address    |',
    ...rows,
    'ci-info: | lo     | True | 127.0.0.1       | 255.0.0.0       |  host  |         .         |',
    'ci-info: +++++++++++++++++++++++++++++Route IPv4 info+++++++++++++++++++++++++++++',
    ...(routes.length === 0 ? ['ci-info: no default route'] : routes),
  ]
}

function authorizedKeys(publicKey: string | null): string[] {
  if (publicKey === null || publicKey.trim() === '') {
    return ['ci-info: no authorized SSH keys fingerprints found for user ubuntu.']
  }
  const [type = 'ssh-rsa', , ...comment] = publicKey.trim().split(/\s+/)
  return [
    'ci-info: +++++++++++++++++++Authorized keys from /home/ubuntu/.ssh/authorized_keys for user ubuntu++++++++++++++++++++',
    'ci-info: | Keytype |                Fingerprint (md5)                | Options | Comment |',
    `ci-info: | ${type} | ${keyFingerprint(publicKey)} |    -    | ${comment.join(' ') || '-'} |`,
  ]
}

function kernelStamp(uptimeMs: number): string {
  const value = (Math.max(0, uptimeMs) / 1000).toFixed(6)
  return `[${value.padStart(12)}]`
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2)
}

function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000')
}

function hostnameOf(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')
  return cleaned === '' ? 'localhost' : cleaned.slice(0, 63)
}

function prefixOf(cidr: string): number {
  const prefix = Number(cidr.split('/')[1])
  return Number.isInteger(prefix) ? prefix : 32
}

function maskOf(cidr: string): string {
  if (cidr.includes(':')) return `/${prefixOf(cidr)}`
  const prefix = Math.min(32, Math.max(0, prefixOf(cidr)))
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.')
}
