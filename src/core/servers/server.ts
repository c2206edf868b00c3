import type { PowerState } from '../ports/hypervisor-driver.ts'

/** Nova's vm_state: the stable state a server rests in. */
export type VmState =
  | 'building' | 'active' | 'stopped' | 'paused' | 'suspended' | 'resized' | 'rescued' | 'error' | 'deleted'

/** Nova's task_state: the transition in progress; null when idle. */
export type TaskState =
  | 'scheduling' | 'networking' | 'block_device_mapping' | 'spawning'
  | 'powering-off' | 'powering-on'
  | 'rebooting' | 'rebooting_hard'
  | 'resize_prep' | 'resize_migrating' | 'resize_migrated' | 'resize_finish' | 'resize_reverting' | 'resize_confirming'
  | 'image_snapshot' | 'image_uploading'
  | 'rebuilding' | 'pausing' | 'unpausing' | 'suspending' | 'resuming' | 'deleting'

export interface ServerFault {
  readonly code: number
  readonly message: string
  readonly details: string | null
  readonly createdAt: Date
}

export interface Server {
  readonly id: string
  readonly projectId: string
  readonly userId: string
  readonly name: string
  readonly description: string | null
  readonly imageId: string | null
  readonly flavorId: string
  readonly vcpus: number
  readonly ramMb: number
  readonly rootGb: number
  readonly ephemeralGb: number
  readonly keyName: string | null
  readonly vmState: VmState
  readonly taskState: TaskState | null
  readonly powerState: PowerState
  readonly hostId: string | null
  readonly availabilityZone: string | null
  readonly locked: boolean
  readonly lockedReason: string | null
  readonly metadata: Readonly<Record<string, string>>
  /** Base64 as given by the client. */
  readonly userData: string | null
  readonly configDrive: string
  readonly diskConfig: 'MANUAL' | 'AUTO'
  readonly accessIpv4: string
  readonly accessIpv6: string
  readonly reservationId: string
  readonly launchIndex: number
  readonly bootVolumeId: string | null
  readonly osType: 'linux' | 'windows'
  readonly progress: number
  /** While resized: the flavor and host to return to on revert. */
  readonly previousFlavorId: string | null
  readonly previousHostId: string | null
  readonly previousVmState: VmState | null
  /** Dialect-neutral extra facts some APIs expose (e.g. product category), never wire names. */
  readonly attributes: Readonly<Record<string, unknown>>
  readonly fault: ServerFault | null
  readonly launchedAt: Date | null
  readonly terminatedAt: Date | null
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly deleted: boolean
  readonly deletedAt: Date | null
}

export interface ServerAction {
  readonly id: string
  readonly serverId: string
  readonly projectId: string
  readonly userId: string | null
  readonly action: string
  readonly requestId: string | null
  readonly message: string | null
  readonly result: 'success' | 'error' | null
  readonly startTime: Date
  readonly finishTime: Date | null
}
