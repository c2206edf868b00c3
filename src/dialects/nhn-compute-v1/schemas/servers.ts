/**
 * Server API bodies (seed 000, CATALOG §2.1.1, §2.1.3). Numbers are JSON numbers as the tables say,
 * though the examples quote their placeholders (§6 A7); on input `count` and the volume size may also
 * be digit strings, in the same range.
 * Request objects accept fields they do not know and ignore them (the seed's clients send only these).
 */
import { Type, type Static } from 'typebox'
import { V1_STATUSES } from '../status.ts'
import { successBody } from './common.ts'

/** CATALOG §2.1.1 V1-6: at most 10 servers per create. */
export const MAX_CREATE_COUNT = 10
/** Root disk sizes NHN allows (GB): Linux from 10, Windows from 50, at most 1 TB (CATALOG §6 A10, B7). */
export const MIN_ROOT_GB = 10
export const MAX_ROOT_GB = 1000

export const V1Status = Type.Enum([...V1_STATUSES])

export const ServerBrief = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: V1Status,
}, { additionalProperties: false })
export type ServerBrief = Static<typeof ServerBrief>

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

/** The seed's example quotes its numbers (`"count": "{Count}"`): a number, or the same range as digits. */
const Count = Type.Union([
  Type.Integer({ minimum: 1, maximum: MAX_CREATE_COUNT }),
  Type.String({ pattern: '^(?:[1-9]|10)$' }),
])
const RootSize = Type.Union([
  Type.Integer({ minimum: MIN_ROOT_GB, maximum: MAX_ROOT_GB }),
  Type.String({ pattern: '^(?:[1-9][0-9]{1,2}|1000)$' }),
])

export const ServerDetail = Type.Object({
  addresses: Type.Array(Type.Object({
    macAddress: Type.String(),
    ipAddress: Type.String(),
    version: Type.Literal(4),
    /** Only when a floating IP is associated with the NIC. */
    floatingIpAddress: Type.Optional(Type.String()),
  }, { additionalProperties: false })),
  availabilityZone: Type.String(),
  flavor: Type.Object({
    id: Type.String(),
    name: Type.String(),
    cpu: Type.Integer(),
    ram: Type.Integer(),
  }, { additionalProperties: false }),
  status: V1Status,
  id: Type.String(),
  name: Type.String(),
  /** Null for a server booted from a volume (made through another dialect). */
  image: Nullable(Type.String()),
  metadata: Type.Record(Type.String(), Type.String()),
  keyName: Nullable(Type.String()),
  volumes: Type.Object({
    root: Type.Object({ size: Type.Integer() }, { additionalProperties: false }),
    attachments: Type.Array(Type.Object({
      id: Type.String(),
      name: Type.String(),
      size: Type.Integer(),
    }, { additionalProperties: false })),
  }, { additionalProperties: false }),
  securityGroups: Type.Array(Type.Object({ name: Type.String() }, { additionalProperties: false })),
  /** Null until the server first boots. */
  launchedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { additionalProperties: false })
export type ServerDetail = Static<typeof ServerDetail>

export const ServerCreateBody = Type.Object({
  server: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 255 }),
    image: Type.String({ minLength: 1, maxLength: 255 }),
    flavor: Type.String({ minLength: 1, maxLength: 255 }),
    networks: Type.Optional(Type.Array(
      Type.Object({ id: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: true }),
      { minItems: 1 },
    )),
    availabilityZone: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    keyName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    count: Type.Optional(Count),
    /** Element 0 is the root disk; the seed gives later elements no meaning (CATALOG §6 A10). */
    volumes: Type.Optional(Type.Array(
      Type.Object({ size: RootSize }, { additionalProperties: true }),
      { minItems: 1 },
    )),
    securityGroups: Type.Optional(Type.Array(
      Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: true }),
    )),
    /** Not in the create table, but servers show it (CATALOG §6 A20). */
    metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
  }, { additionalProperties: true }),
}, { additionalProperties: true })
export type ServerCreateBody = Static<typeof ServerCreateBody>
export type ServerCreateRequest = ServerCreateBody['server']

export const ServerBriefListBody = successBody({ servers: Type.Array(ServerBrief) })
export const ServerDetailListBody = successBody({ servers: Type.Array(ServerDetail) })
export const ServerDetailBody = successBody({ server: ServerDetail })
export const ServerCreatedBody = successBody({ server: ServerBrief })
