/** Cinder volumes, their metadata and actions. */
import { Type, type Static } from 'typebox'
import { Link, Metadata, PageQuery, ProjectParams } from './common.ts'

const NullableString = Type.Union([Type.String(), Type.Null()])

export const AttachmentView = Type.Object({
  id: Type.String(),
  attachment_id: Type.String(),
  volume_id: Type.String(),
  server_id: Type.String(),
  host_name: Type.Null(),
  device: Type.String(),
  attached_at: Type.String(),
}, { additionalProperties: false })

export const VolumeDetail = Type.Object({
  id: Type.String(),
  name: NullableString,
  description: NullableString,
  status: Type.String(),
  size: Type.Integer(),
  availability_zone: Type.String(),
  created_at: Type.String(),
  updated_at: Type.Union([Type.String(), Type.Null()]),
  attachments: Type.Array(AttachmentView),
  volume_type: Type.String(),
  snapshot_id: NullableString,
  source_volid: NullableString,
  metadata: Metadata,
  links: Type.Array(Link),
  user_id: NullableString,
  bootable: Type.Enum(['true', 'false']),
  encrypted: Type.Boolean(),
  replication_status: Type.String(),
  consistencygroup_id: Type.Null(),
  multiattach: Type.Boolean(),
  'os-vol-tenant-attr:tenant_id': Type.String(),
  volume_image_metadata: Type.Optional(Metadata),
  group_id: Type.Optional(Type.Null()),
  shared_targets: Type.Optional(Type.Boolean()),
  service_uuid: Type.Optional(Type.String()),
  'os-vol-host-attr:host': Type.Optional(Type.String()),
  'os-vol-mig-status-attr:migstat': Type.Optional(Type.Null()),
  'os-vol-mig-status-attr:name_id': Type.Optional(Type.Null()),
  migration_status: Type.Optional(Type.Null()),
}, { additionalProperties: false })
export type VolumeDetail = Static<typeof VolumeDetail>

export const VolumeSummary = Type.Object({ id: Type.String(), name: NullableString, links: Type.Array(Link) }, { additionalProperties: false })

export const VolumeBody = Type.Object({ volume: VolumeDetail }, { additionalProperties: false })

export const VolumeDetailList = Type.Object({
  volumes: Type.Array(VolumeDetail),
  volumes_links: Type.Optional(Type.Array(Link)),
}, { additionalProperties: false })

export const VolumeSummaryList = Type.Object({
  volumes: Type.Array(VolumeSummary),
  volumes_links: Type.Optional(Type.Array(Link)),
}, { additionalProperties: false })

export const VolumeListQuery = Type.Object({
  ...PageQuery,
  name: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  bootable: Type.Optional(Type.Boolean()),
  all_tenants: Type.Optional(Type.String()),
}, { additionalProperties: true })
export type VolumeListQuery = Static<typeof VolumeListQuery>

export const VolumeParams = Type.Object({ ...ProjectParams.properties, volumeId: Type.String({ minLength: 1 }) }, { additionalProperties: false })
export type VolumeParams = Static<typeof VolumeParams>

export const VolumeMetadataKeyParams = Type.Object({
  ...VolumeParams.properties, key: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type VolumeMetadataKeyParams = Static<typeof VolumeMetadataKeyParams>

/** Sizes arrive as integers or digit strings (Cinder's parameter_types.volume_size). */
const Size = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-9]+$' })])

/**
 * Cinder's create: cinderclient sends every key, null when unset. Consistency groups, groups and
 * backups do not exist here, so only null is accepted for them.
 */
export const VolumeCreateBody = Type.Object({
  volume: Type.Object({
    size: Type.Optional(Type.Union([Size, Type.Null()])),
    name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    display_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    display_description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    volume_type: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()])),
    availability_zone: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()])),
    metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
    imageRef: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    image_id: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    snapshot_id: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    source_volid: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    multiattach: Type.Optional(Type.Boolean()),
    consistencygroup_id: Type.Optional(Type.Null()),
    group_id: Type.Optional(Type.Null()),
    backup_id: Type.Optional(Type.Null()),
  }, { additionalProperties: true }),
  'OS-SCH-HNT:scheduler_hints': Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
}, { additionalProperties: false })
export type VolumeCreateBody = Static<typeof VolumeCreateBody>

export const VolumeUpdateBody = Type.Object({
  volume: Type.Object({
    name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    display_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    display_description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
  }, { additionalProperties: false, minProperties: 1 }),
}, { additionalProperties: false })
export type VolumeUpdateBody = Static<typeof VolumeUpdateBody>

export const MetadataBody = Type.Object({ metadata: Metadata }, { additionalProperties: false })
export type MetadataBody = Static<typeof MetadataBody>

export const MetaItemBody = Type.Object({ meta: Type.Record(Type.String(), Type.String(), { minProperties: 1, maxProperties: 1 }) }, { additionalProperties: false })
export type MetaItemBody = Static<typeof MetaItemBody>

/** Booleans as Cinder's `parameter_types.boolean` accepts them. */
export const BooleanLike = Type.Union([
  Type.Boolean(),
  Type.Enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE', '1', '0', 'yes', 'no', 'y', 'n', 'on', 'off', 't', 'f']),
])

/** `POST /volumes/{id}/action`: exactly one action key; the route dispatches on it. */
export const VolumeActionBody = Type.Object({}, { additionalProperties: true, minProperties: 1, maxProperties: 1 })
export type VolumeActionBody = Static<typeof VolumeActionBody>
