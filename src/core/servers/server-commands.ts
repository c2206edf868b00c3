/** Dialect-neutral inputs of the server service; each dialect's views build these from its wire format. */

export interface NetworkChoice {
  readonly networkId?: string
  readonly subnetId?: string
  readonly portId?: string
  readonly fixedIp?: string
}

export type BlockDeviceSource = 'image' | 'volume' | 'snapshot' | 'blank'

export interface BlockDeviceRequest {
  readonly sourceType: BlockDeviceSource
  /** Image, volume or snapshot id; null for blank. */
  readonly sourceId: string | null
  readonly destinationType: 'volume' | 'local'
  readonly sizeGb: number | null
  readonly volumeType: string | null
  readonly deleteOnTermination: boolean
  /** 0 = root; null or > 0 = an extra volume. */
  readonly bootIndex: number | null
  readonly deviceName: string | null
}

export interface CreateServersCommand {
  readonly name: string
  readonly description?: string | null
  /** Null when booting from a volume given in blockDevices. */
  readonly imageId: string | null
  readonly flavorId: string
  /** 'auto': the project's networks (one NIC); 'none': no NIC (Nova microversion ≥ 2.37 choices). */
  readonly networks: readonly NetworkChoice[] | 'auto' | 'none'
  readonly keyName: string | null
  /** Names or ids; empty means the project's `default` group. */
  readonly securityGroups: readonly string[]
  /** Base64, as the client sent it. */
  readonly userData: string | null
  readonly metadata: Readonly<Record<string, string>>
  readonly availabilityZone: string | null
  readonly minCount: number
  readonly maxCount: number
  readonly blockDevices: readonly BlockDeviceRequest[]
  readonly serverGroupId: string | null
  readonly partitionNumber?: number | null
  readonly diskConfig?: 'MANUAL' | 'AUTO'
  readonly accessIpv4?: string
  readonly accessIpv6?: string
  readonly configDrive?: boolean
  /** NHN's stricter create rules (ARCHITECTURE §9); the dialect decides from the project's switch. */
  readonly strictNhn: boolean
  /** Name template for several servers: Nova's `name-N`; SCP numbers the same way. */
  readonly attributes?: Readonly<Record<string, unknown>>
}

export interface CreatedServers {
  readonly reservationId: string
  readonly serverIds: readonly string[]
}

export interface ResizeCommand {
  readonly flavorId: string
  readonly diskConfig?: 'MANUAL' | 'AUTO'
  /** Confirm without waiting for the client (APIs with no confirm operation: NHN v1.0, SCP). */
  readonly autoConfirm?: boolean
}

export interface RebuildCommand {
  /** Null: the server's current image. */
  readonly imageId: string | null
  readonly name?: string
  readonly metadata?: Readonly<Record<string, string>>
  readonly userData?: string | null
  readonly keyName?: string | null
}

export interface UpdateServerCommand {
  readonly name?: string
  readonly description?: string | null
  readonly accessIpv4?: string
  readonly accessIpv6?: string
}
