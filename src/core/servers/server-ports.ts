/**
 * What the server lifecycle needs from the other areas of the core (catalog, networking, block storage,
 * images, server groups), each as a narrow interface so the server service sees only what it uses.
 * `server-collaborators.ts` binds them to those areas' services; tests may bind fakes.
 */
import type { Repositories } from '../ports/store.ts'
import type { DiskSpec, NicSpec } from '../ports/hypervisor-driver.ts'
import type { Owner } from '../shared/owner.ts'
import type { Flavor } from '../flavors/flavor.ts'
import type { PlacementGroup } from '../scheduler/placement-request.ts'
import type { NetworkChoice } from './server-commands.ts'

export interface BootImage {
  readonly id: string
  readonly name: string
  readonly status: string
  readonly minDiskGb: number
  readonly minRamMb: number
  readonly sizeBytes: number | null
  readonly osType: 'linux' | 'windows'
  /** Image properties NHN copies into server metadata (os_distro, os_version, …). */
  readonly properties: Readonly<Record<string, string>>
  readonly filePath: string | null
}

export interface ServerCatalog {
  flavor(tx: Repositories, id: string): Promise<Flavor | null>
  isLocalDiskFlavor(flavor: Flavor): boolean
  /** An image the project may boot from (visible to it), or null. */
  image(tx: Repositories, owner: Owner, id: string): Promise<BootImage | null>
  keypairPublicKey(tx: Repositories, owner: Owner, name: string): Promise<string | null>
  /** 'available', 'unavailable' or 'unknown' (no such zone). */
  zoneStatus(tx: Repositories, name: string): Promise<'available' | 'unavailable' | 'unknown'>
}

export interface NicAllocation {
  /** Ports made for each server (the ports quota each server needs, which the caller consumes). */
  readonly portsPerServer: number
  /** Gives a server inserted in this transaction its NICs as planned. */
  allocate(tx: Repositories, serverId: string): Promise<void>
}

export interface ServerNetworking {
  /** Networks a server gets when the client asks for 'auto' (the project's own, else a shared one). */
  autoChoices(tx: Repositories, owner: Owner): Promise<NetworkChoice[]>
  /** The project's groups by name or id (`default` created when asked for and missing), as of this transaction. */
  resolveSecurityGroups(tx: Repositories, owner: Owner, namesOrIds: readonly string[]): Promise<string[]>
  /**
   * Checks a create's NIC requests once for all its servers; the answer gives each new server its NICs.
   * `securityGroupIds` come from resolveSecurityGroups in the same transaction.
   */
  planNics(tx: Repositories, owner: Owner, choices: readonly NetworkChoice[], securityGroupIds: readonly string[]): Promise<NicAllocation>
  release(tx: Repositories, serverId: string): Promise<void>
  nics(repos: Repositories, serverId: string): Promise<NicSpec[]>
  addSecurityGroup(tx: Repositories, owner: Owner, serverId: string, group: string): Promise<void>
  removeSecurityGroup(tx: Repositories, owner: Owner, serverId: string, group: string): Promise<void>
  associateFloatingIp(tx: Repositories, owner: Owner, serverId: string, address: string, fixedIp: string | null): Promise<void>
  disassociateFloatingIp(tx: Repositories, owner: Owner, serverId: string, address: string): Promise<void>
  attachInterface(tx: Repositories, owner: Owner, serverId: string, choice: NetworkChoice): Promise<string>
  detachInterface(tx: Repositories, owner: Owner, serverId: string, portId: string): Promise<void>
}

export interface VolumeAttachmentRef {
  readonly id: string
  readonly volumeId: string
  readonly serverId: string
  readonly device: string
  readonly status: string
  readonly bootIndex: number | null
}

export interface ServerStorage {
  createBootVolume(tx: Repositories, owner: Owner, request: {
    source: 'image' | 'volume' | 'snapshot' | 'blank'
    sourceId: string | null
    sizeGb: number | null
    volumeType: string | null
    availabilityZone: string
    name: string
  }): Promise<{ volumeId: string; sizeGb: number }>
  /** The size of the project's volume or snapshot of that id, or null where it has none. */
  sourceSizeGb(repos: Repositories, owner: Owner, source: 'volume' | 'snapshot', id: string): Promise<number | null>
  reserveAttachment(tx: Repositories, owner: Owner, request: {
    volumeId: string; serverId: string; device: string | null; bootIndex: number | null; deleteOnTermination: boolean
  }): Promise<VolumeAttachmentRef>
  completeAttachment(tx: Repositories, attachmentId: string): Promise<void>
  abortAttachment(tx: Repositories, attachmentId: string): Promise<void>
  beginDetach(tx: Repositories, owner: Owner, serverId: string, volumeId: string): Promise<VolumeAttachmentRef>
  completeDetach(tx: Repositories, attachmentId: string): Promise<void>
  attachments(repos: Repositories, serverId: string): Promise<VolumeAttachmentRef[]>
  disks(repos: Repositories, serverId: string): Promise<DiskSpec[]>
  releaseServerVolumes(tx: Repositories, serverId: string): Promise<void>
}

export interface ServerImages {
  beginSnapshot(tx: Repositories, owner: Owner, request: {
    serverId: string; name: string; metadata: Readonly<Record<string, string>>; minDiskGb: number; minRamMb: number
    baseImageId: string | null
  }): Promise<string>
  finishSnapshot(tx: Repositories, imageId: string, result: { sizeBytes: number; checksum: string }): Promise<void>
  failSnapshot(tx: Repositories, imageId: string): Promise<void>
}

export interface ServerGroups {
  join(tx: Repositories, owner: Owner, groupId: string, serverId: string, partitionNumber: number | null): Promise<void>
  leave(tx: Repositories, serverId: string): Promise<void>
  placementGroup(repos: Repositories, serverId: string): Promise<PlacementGroup | null>
}

export interface ServerCollaborators {
  readonly catalog: ServerCatalog
  readonly networking: ServerNetworking
  readonly storage: ServerStorage
  readonly images: ServerImages
  readonly groups: ServerGroups
}
