/**
 * Seed 000's two date forms (CATALOG §1.5, §6.1 A8): `expires` and the server times as
 * YYYY-MM-DDThh:mm:ssZ; `issued_at` as the example writes it, with microseconds and no zone.
 */
export function secondsUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}

export function microsecondsNoZone(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000`
}

export function secondsUtcOrNull(date: Date | null): string | null {
  return date === null ? null : secondsUtc(date)
}
