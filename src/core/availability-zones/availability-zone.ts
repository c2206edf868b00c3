/** An availability zone: a named set of hosts that servers and volumes are placed in. */
export interface AvailabilityZone {
  readonly name: string
  /** An unavailable zone is still listed but takes no new servers or volumes. */
  readonly available: boolean
  readonly createdAt: Date
}

/** A zone as listed: admins also learn which hosts are in it (null for everyone else, as NHN shows). */
export interface AvailabilityZoneInfo extends AvailabilityZone {
  readonly hostNames: readonly string[] | null
}
