/**
 * What the core needs from a hypervisor. Implementations live under src/drivers/ and take plain data:
 * they never see the store, tenants or dialects. Platform handles (a QEMU pid, a QMP socket) stay
 * inside the driver. Optional members mean "unsupported": the core raises not_supported.
 */

/** Nova's power_state numbers, as the Nova-compatible API shows them. */
export const PowerState = {
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
} as const
export type PowerState = (typeof PowerState)[keyof typeof PowerState]

export interface HostCapacity {
  readonly name: string
  readonly availabilityZone: string
  readonly vcpus: number
  readonly ramMb: number
  readonly diskGb: number
}

export interface NicSpec {
  readonly portId: string
  readonly macAddress: string
  readonly ipAddress: string
  readonly networkId: string
  readonly cidr: string
  readonly gatewayIp: string | null
}

export interface DiskSpec {
  readonly volumeId: string | null
  readonly sizeGb: number
  readonly bootIndex: number | null
  /** Path of a base image file, when the driver copies an image onto the disk. */
  readonly imagePath: string | null
  readonly device: string
}

export interface ServerSpec {
  readonly serverId: string
  readonly name: string
  readonly host: string
  readonly vcpus: number
  readonly ramMb: number
  readonly rootDiskGb: number
  readonly imageId: string | null
  readonly imagePath: string | null
  readonly osType: 'linux' | 'windows'
  readonly nics: readonly NicSpec[]
  readonly disks: readonly DiskSpec[]
  readonly publicKey: string | null
  /** Decoded user data (cloud-init), or null. */
  readonly userData: string | null
  readonly metadata: Readonly<Record<string, string>>
}

export type RebootKind = 'soft' | 'hard'

export interface ServerMetrics {
  /** Percent, 0..100. */
  readonly cpuPercent: number
  /** Percent, 0..100. */
  readonly memoryPercent: number
  /** Counters since the server started. */
  readonly networkInBytes: number
  readonly networkOutBytes: number
  readonly networkInPackets: number
  readonly networkOutPackets: number
  readonly sampledAt: Date
}

export interface DriverCapabilities {
  readonly pause: boolean
  readonly suspend: boolean
  readonly resize: boolean
  readonly snapshot: boolean
  readonly consoleLog: boolean
  readonly metrics: boolean
  readonly volumeAttach: boolean
  readonly interfaceAttach: boolean
}

export interface SnapshotResult {
  readonly sizeBytes: number
  /** Where the image file was written, or null when the driver keeps no file (simulation). */
  readonly path: string | null
  readonly checksum: string
}

/** Facts the driver observes on its own (a VM crashed, powered off from inside). */
export interface DriverEvents {
  powerStateChanged(serverId: string, powerState: PowerState): void
}

export interface HypervisorDriver {
  readonly name: string
  readonly capabilities: DriverCapabilities

  /** The hosts this driver runs, with their total capacity. */
  describeHosts(): Promise<readonly HostCapacity[]>

  /** Create and boot. Idempotent: spawning an existing server that is running succeeds. */
  spawn(spec: ServerSpec): Promise<void>
  /** Remove every trace. Idempotent: destroying an unknown server succeeds. */
  destroy(serverId: string): Promise<void>
  powerOn(serverId: string): Promise<void>
  powerOff(serverId: string): Promise<void>
  reboot(serverId: string, kind: RebootKind): Promise<void>
  /** NOSTATE for a server the driver does not know. */
  getPowerState(serverId: string): Promise<PowerState>
  /** Recreate the server's disk from its image, keeping its identity (rebuild). */
  rebuild(spec: ServerSpec): Promise<void>

  attachVolume(serverId: string, disk: DiskSpec): Promise<void>
  detachVolume(serverId: string, volumeId: string): Promise<void>
  attachInterface?(serverId: string, nic: NicSpec): Promise<void>
  detachInterface?(serverId: string, portId: string): Promise<void>

  snapshot(serverId: string, imageId: string): Promise<SnapshotResult>

  pause?(serverId: string): Promise<void>
  unpause?(serverId: string): Promise<void>
  suspend?(serverId: string): Promise<void>
  resume?(serverId: string): Promise<void>
  /** Move to a new size on the same or another host; the server keeps its power state. */
  resize?(spec: ServerSpec): Promise<void>
  consoleLog?(serverId: string, lines?: number): Promise<string>
  metrics?(serverId: string): Promise<ServerMetrics>
}
