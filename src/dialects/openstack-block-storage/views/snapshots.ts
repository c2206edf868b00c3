/** Snapshots between the core and Cinder. */
import type { FastifyRequest } from 'fastify'
import type { Snapshot, SnapshotStatus } from '../../../core/volumes/volume.ts'
import type { SnapshotCreateInput, SnapshotListQuery as CoreSnapshotListQuery, SnapshotUpdate } from '../../../core/volumes/snapshot-service.ts'
import { atLeast } from '../microversion.ts'
import type { SnapshotCreateBody, SnapshotDetail, SnapshotListQuery, SnapshotUpdateBody } from '../schemas/snapshots.ts'
import { booleanOf, cinderTime, pageOf, sortDirectionOf } from './common.ts'

/** `detailed` adds the extended attributes Cinder shows on show and detail lists, not on the plain list. */
export function snapshotView(request: FastifyRequest, snapshot: Snapshot, detailed = true): SnapshotDetail {
  const view: SnapshotDetail = {
    id: snapshot.id,
    name: snapshot.name === '' ? null : snapshot.name,
    description: snapshot.description === '' ? null : snapshot.description,
    volume_id: snapshot.volumeId,
    status: snapshot.status,
    size: snapshot.sizeGb,
    metadata: { ...snapshot.metadata },
    created_at: cinderTime(snapshot.createdAt),
    updated_at: cinderTime(snapshot.updatedAt),
  }
  if (detailed) {
    view['os-extended-snapshot-attributes:progress'] = snapshot.status === 'available' ? '100%' : '0%'
    view['os-extended-snapshot-attributes:project_id'] = snapshot.projectId
  }
  if (atLeast(request.volumeApiVersion, 14)) view.group_snapshot_id = null
  return view
}

export function snapshotListInput(query: SnapshotListQuery): CoreSnapshotListQuery {
  return {
    ...pageOf(query),
    name: query.name,
    status: query.status as SnapshotStatus | undefined,
    volumeId: query.volume_id,
    direction: sortDirectionOf(query),
  }
}

export function snapshotCreateInput(body: SnapshotCreateBody): SnapshotCreateInput {
  const snapshot = body.snapshot
  return {
    volumeId: snapshot.volume_id,
    force: snapshot.force === undefined || snapshot.force === null ? false : booleanOf(snapshot.force, 'force'),
    name: snapshot.name ?? snapshot.display_name ?? undefined,
    description: snapshot.description ?? snapshot.display_description ?? undefined,
    metadata: snapshot.metadata ?? undefined,
  }
}

export function snapshotUpdateInput(body: SnapshotUpdateBody): SnapshotUpdate {
  const snapshot = body.snapshot
  return {
    name: snapshot.name ?? snapshot.display_name ?? (snapshot.name === null ? '' : undefined),
    description: snapshot.description ?? snapshot.display_description ?? (snapshot.description === null ? '' : undefined),
  }
}
