/** The timestamp forms Keystone writes; every time is UTC and JavaScript dates carry milliseconds. */

/** Keystone v3 (`expires_at`, `issued_at`): `2026-11-28T12:00:00.000000Z`. */
export function v3Time(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`
}

/** Keystone v2.0 `expires`: whole seconds with a zone, `2026-11-28T12:00:00Z` (gophercloud requires the zone). */
export function v2Expires(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}

/** Keystone v2.0 `issued_at`: microseconds and no zone, `2026-11-28T00:00:00.000000` (NHN's form too). */
export function v2IssuedAt(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000`
}
