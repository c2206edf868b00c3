/** Cinder snapshots. */
import { Type, type Static } from 'typebox'
import { Link, Metadata, PageQuery, ProjectParams } from './common.ts'
import { BooleanLike } from './volumes.ts'

const NullableString = Type.Union([Type.String(), Type.Null()])

export const SnapshotDetail = Type.Object({
  id: Type.String(),
  name: NullableString,
  description: NullableString,
  volume_id: Type.String(),
  status: Type.String(),
  size: Type.Integer(),
  metadata: Metadata,
  created_at: Type.String(),
  updated_at: Type.Union([Type.String(), Type.Null()]),
  'os-extended-snapshot-attributes:progress': Type.Optional(Type.String()),
  'os-extended-snapshot-attributes:project_id': Type.Optional(Type.String()),
  group_snapshot_id: Type.Optional(Type.Null()),
}, { additionalProperties: false })
export type SnapshotDetail = Static<typeof SnapshotDetail>

export const SnapshotBody = Type.Object({ snapshot: SnapshotDetail }, { additionalProperties: false })

export const SnapshotList = Type.Object({
  snapshots: Type.Array(SnapshotDetail),
  snapshots_links: Type.Optional(Type.Array(Link)),
}, { additionalProperties: false })

export const SnapshotListQuery = Type.Object({
  ...PageQuery,
  name: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  volume_id: Type.Optional(Type.String()),
  all_tenants: Type.Optional(Type.String()),
}, { additionalProperties: true })
export type SnapshotListQuery = Static<typeof SnapshotListQuery>

export const SnapshotParams = Type.Object({ ...ProjectParams.properties, snapshotId: Type.String({ minLength: 1 }) }, { additionalProperties: false })
export type SnapshotParams = Static<typeof SnapshotParams>

export const SnapshotCreateBody = Type.Object({
  snapshot: Type.Object({
    volume_id: Type.String({ minLength: 1 }),
    force: Type.Optional(Type.Union([BooleanLike, Type.Null()])),
    name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    display_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    display_description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type SnapshotCreateBody = Static<typeof SnapshotCreateBody>

export const SnapshotUpdateBody = Type.Object({
  snapshot: Type.Object({
    name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    display_name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
    display_description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  }, { additionalProperties: false, minProperties: 1 }),
}, { additionalProperties: false })
export type SnapshotUpdateBody = Static<typeof SnapshotUpdateBody>
