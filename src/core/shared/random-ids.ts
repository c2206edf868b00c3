import { randomBytes, randomUUID } from 'node:crypto'
import type { IdGenerator } from '../ports/ids.ts'

/** Ids from the operating system's random source. */
export const randomIds: IdGenerator = {
  uuid: () => randomUUID(),
  hex: (length) => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length),
}
