import { Type, type Static } from 'typebox'

/** Nova's per-service entry under a host in `os-availability-zone/detail`. */
export const ZoneHostService = Type.Object({
  available: Type.Boolean(),
  active: Type.Boolean(),
  updated_at: Type.Union([Type.String(), Type.Null()]),
}, { additionalProperties: false })

export const AvailabilityZoneInfo = Type.Object({
  zoneName: Type.String(),
  zoneState: Type.Object({ available: Type.Boolean() }, { additionalProperties: false }),
  /** null in the plain list (seed 003: "null for normal users"); host → service → state in the detail. */
  hosts: Type.Union([Type.Null(), Type.Record(Type.String(), Type.Record(Type.String(), ZoneHostService))]),
}, { additionalProperties: false })
export type AvailabilityZoneInfo = Static<typeof AvailabilityZoneInfo>

export const AvailabilityZoneList = Type.Object({
  availabilityZoneInfo: Type.Array(AvailabilityZoneInfo),
}, { additionalProperties: false })
export type AvailabilityZoneList = Static<typeof AvailabilityZoneList>
