/**
 * What a dialect plugin receives: the core services (as types from the core, never the composition
 * root), the public base URLs of every listener for service catalogs, and limits. Dialects get nothing
 * else: no store, no driver.
 */
import type { ProjectService } from '../../core/projects/project-service.ts'
import type { IdentityService } from '../../core/projects/identity-service.ts'
import type { FlavorService } from '../../core/flavors/flavor-service.ts'
import type { AvailabilityZoneService } from '../../core/availability-zones/availability-zone-service.ts'
import type { KeypairService } from '../../core/keypairs/keypair-service.ts'
import type { ServerGroupService } from '../../core/server-groups/server-group-service.ts'
import type { NetworkService } from '../../core/networks/network-service.ts'
import type { VolumeService } from '../../core/volumes/volume-service.ts'
import type { SnapshotService } from '../../core/volumes/snapshot-service.ts'
import type { ImageService } from '../../core/images/image-service.ts'
import type { QuotaService } from '../../core/quotas/quota-service.ts'
import type { HostService } from '../../core/hosts/host-service.ts'
import type { ServerService } from '../../core/servers/server-service.ts'
import type { ServerInspector } from '../../core/servers/server-inspector.ts'
import type { Clock } from '../../core/ports/clock.ts'
import type { DialectApp } from './listener.ts'

export interface CoreServices {
  readonly projects: ProjectService
  readonly identity: IdentityService
  readonly flavors: FlavorService
  readonly zones: AvailabilityZoneService
  readonly keypairs: KeypairService
  readonly serverGroups: ServerGroupService
  readonly networks: NetworkService
  readonly volumes: VolumeService
  readonly snapshots: SnapshotService
  readonly images: ImageService
  readonly quotas: QuotaService
  readonly hosts: HostService
  readonly servers: ServerService
  readonly inspector: ServerInspector
}

export type ListenerName = 'identity' | 'compute' | 'image' | 'network' | 'volume' | 'nhnV1' | 'scp' | 'console'

export interface DialectContext {
  readonly services: CoreServices
  readonly clock: Clock
  /** Base URL (scheme://host:port, no trailing slash) of every listener, from configuration. */
  readonly publicUrls: Readonly<Record<ListenerName, string>>
  readonly region: string
  readonly imageSizeLimitBytes: number
}

/** A dialect: registers its routes, hooks and error handler on the listener it owns. */
export type DialectPlugin = (app: DialectApp, context: DialectContext) => void | Promise<void>
