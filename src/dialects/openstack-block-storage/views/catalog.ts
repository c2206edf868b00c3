/** Volume types, zones, limits and quota sets as Cinder shows them. */
import { isAdmin, type Owner } from '../../../core/shared/owner.ts'
import type { VolumeType } from '../../../core/volumes/volume.ts'
import type { AvailabilityZoneInfo } from '../../../core/availability-zones/availability-zone.ts'
import type { QuotaUsage } from '../../../core/quotas/quota-repository.ts'
import type { QuotaSet, VolumeTypeView } from '../schemas/catalog.ts'

/** Extra specs Cinder shows to every user (its "user visible" specs); admins see all. */
const USER_VISIBLE_SPECS = new Set(['multiattach', 'RESKEY:availability_zones', 'replication_enabled'])

export function volumeTypeView(owner: Owner, type: VolumeType): VolumeTypeView {
  const admin = isAdmin(owner)
  const extraSpecs = Object.fromEntries(Object.entries(type.extraSpecs).filter(([key]) => admin || USER_VISIBLE_SPECS.has(key)))
  return {
    id: type.id,
    name: type.name,
    description: type.description === '' ? null : type.description,
    is_public: type.isPublic,
    'os-volume-type-access:is_public': type.isPublic,
    extra_specs: extraSpecs,
    ...(admin ? { qos_specs_id: null } : {}),
  }
}

export function availabilityZonesView(zones: readonly AvailabilityZoneInfo[]) {
  return { availabilityZoneInfo: zones.map((zone) => ({ zoneName: zone.name, zoneState: { available: zone.available } })) }
}

/** Cinder's defaults for backups, which Gureum does not have: their limits are shown with nothing used. */
const BACKUP_DEFAULTS = { backups: 10, backup_gigabytes: 1000 }
const GROUP_DEFAULT = 10

function usageOf(usages: readonly QuotaUsage[], resource: QuotaUsage['resource']): { limit: number; inUse: number } {
  const usage = usages.find((item) => item.resource === resource)
  return { limit: usage?.limit ?? -1, inUse: usage?.inUse ?? 0 }
}

export function limitsView(usages: readonly QuotaUsage[]) {
  const volumes = usageOf(usages, 'volumes')
  const snapshots = usageOf(usages, 'snapshots')
  const gigabytes = usageOf(usages, 'gigabytes')
  return {
    limits: {
      rate: [],
      absolute: {
        maxTotalVolumes: volumes.limit,
        maxTotalSnapshots: snapshots.limit,
        maxTotalVolumeGigabytes: gigabytes.limit,
        maxTotalBackups: BACKUP_DEFAULTS.backups,
        maxTotalBackupGigabytes: BACKUP_DEFAULTS.backup_gigabytes,
        totalVolumesUsed: volumes.inUse,
        totalGigabytesUsed: gigabytes.inUse,
        totalSnapshotsUsed: snapshots.inUse,
        totalBackupsUsed: 0,
        totalBackupGigabytesUsed: 0,
      },
    },
  }
}

/** `usage` adds in_use (and Cinder's always-zero reserved and allocated) to every limit. */
export function quotaSetView(projectId: string, usages: readonly QuotaUsage[], usage: boolean): QuotaSet {
  const entries = {
    volumes: usageOf(usages, 'volumes'),
    snapshots: usageOf(usages, 'snapshots'),
    gigabytes: usageOf(usages, 'gigabytes'),
    backups: { limit: BACKUP_DEFAULTS.backups, inUse: 0 },
    backup_gigabytes: { limit: BACKUP_DEFAULTS.backup_gigabytes, inUse: 0 },
    groups: { limit: GROUP_DEFAULT, inUse: 0 },
    per_volume_gigabytes: { limit: -1, inUse: 0 },
  }
  const value = ({ limit, inUse }: { limit: number; inUse: number }) =>
    usage ? { limit, in_use: inUse, reserved: 0, allocated: 0 } : limit
  return {
    quota_set: {
      id: projectId,
      volumes: value(entries.volumes),
      snapshots: value(entries.snapshots),
      gigabytes: value(entries.gigabytes),
      backups: value(entries.backups),
      backup_gigabytes: value(entries.backup_gigabytes),
      groups: value(entries.groups),
      per_volume_gigabytes: value(entries.per_volume_gigabytes),
    },
  }
}

export function defaultQuotaSetView(projectId: string, defaults: Readonly<Record<string, number>>) {
  const limits = [
    { resource: 'volumes', limit: defaults.volumes, inUse: 0 },
    { resource: 'snapshots', limit: defaults.snapshots, inUse: 0 },
    { resource: 'gigabytes', limit: defaults.gigabytes, inUse: 0 },
  ] as QuotaUsage[]
  return quotaSetView(projectId, limits, false)
}
