/** The two timestamp forms the Nova API writes (CATALOG §1.5). */

/** `2020-02-07T03:46:48.000000`: microseconds and no zone (keypairs, `OS-SRV-USG:launched_at`); UTC. */
export function microsecondTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000`
}

/** `2020-02-25T01:15:46Z`: whole seconds in UTC (server `created`/`updated`, version `updated`). */
export function secondTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}
