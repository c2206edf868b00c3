/** Volume types, availability zones, limits, quota sets, extensions and the version documents. */
import { Type, type Static } from 'typebox'
import { Link, ProjectParams } from './common.ts'
import { BooleanLike } from './volumes.ts'

export const VolumeTypeView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  is_public: Type.Boolean(),
  'os-volume-type-access:is_public': Type.Boolean(),
  extra_specs: Type.Record(Type.String(), Type.String()),
  qos_specs_id: Type.Optional(Type.Null()),
}, { additionalProperties: false })
export type VolumeTypeView = Static<typeof VolumeTypeView>

export const VolumeTypeList = Type.Object({ volume_types: Type.Array(VolumeTypeView) }, { additionalProperties: false })
export const VolumeTypeBody = Type.Object({ volume_type: VolumeTypeView }, { additionalProperties: false })
export const VolumeTypeParams = Type.Object({ ...ProjectParams.properties, typeId: Type.String({ minLength: 1 }) }, { additionalProperties: false })
export type VolumeTypeParams = Static<typeof VolumeTypeParams>

export const AvailabilityZoneList = Type.Object({
  availabilityZoneInfo: Type.Array(Type.Object({
    zoneName: Type.String(),
    zoneState: Type.Object({ available: Type.Boolean() }, { additionalProperties: false }),
  }, { additionalProperties: false })),
}, { additionalProperties: false })

export const LIMIT_KEYS = [
  'maxTotalVolumes', 'maxTotalSnapshots', 'maxTotalVolumeGigabytes', 'maxTotalBackups', 'maxTotalBackupGigabytes',
  'totalVolumesUsed', 'totalGigabytesUsed', 'totalSnapshotsUsed', 'totalBackupsUsed', 'totalBackupGigabytesUsed',
] as const

export const Limits = Type.Object({
  limits: Type.Object({
    rate: Type.Array(Type.Unknown()),
    absolute: Type.Object(Object.fromEntries(LIMIT_KEYS.map((key) => [key, Type.Integer()])), { additionalProperties: false }),
  }, { additionalProperties: false }),
}, { additionalProperties: false })

const QuotaUsage = Type.Object({
  limit: Type.Integer(), in_use: Type.Integer(), reserved: Type.Integer(), allocated: Type.Integer(),
}, { additionalProperties: false })

const QuotaValue = Type.Union([Type.Integer(), QuotaUsage])

export const QuotaSet = Type.Object({
  quota_set: Type.Object({
    id: Type.String(),
    volumes: QuotaValue,
    snapshots: QuotaValue,
    gigabytes: QuotaValue,
    backups: QuotaValue,
    backup_gigabytes: QuotaValue,
    groups: QuotaValue,
    per_volume_gigabytes: QuotaValue,
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type QuotaSet = Static<typeof QuotaSet>

export const QuotaSetParams = Type.Object({
  ...ProjectParams.properties, targetProjectId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type QuotaSetParams = Static<typeof QuotaSetParams>

/** cinderclient sends Python's `usage=False`: any of Cinder's boolean texts, as its get_bool_param takes them. */
export const QuotaSetQuery = Type.Object({ usage: Type.Optional(BooleanLike) }, { additionalProperties: false })

export const ExtensionList = Type.Object({ extensions: Type.Array(Type.Unknown()) }, { additionalProperties: false })

export const VersionView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  version: Type.String(),
  min_version: Type.String(),
  updated: Type.String(),
  links: Type.Array(Type.Object({ href: Type.String(), rel: Type.String(), type: Type.Optional(Type.String()) }, { additionalProperties: false })),
  'media-types': Type.Array(Type.Object({ base: Type.String(), type: Type.String() }, { additionalProperties: false })),
}, { additionalProperties: false })

export const VersionList = Type.Object({ versions: Type.Array(VersionView) }, { additionalProperties: false })
export { Link }
