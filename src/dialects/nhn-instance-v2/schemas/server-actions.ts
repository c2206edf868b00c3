/**
 * `POST /servers/{id}/action` (N-18, CATALOG §2.2.3): the body's one key names the action. Each known
 * key has Nova's schema for its value; an unknown key passes validation so that the handler can answer
 * Nova's "There is no such action" (400).
 */
import { Type, type Static } from 'typebox'
import { ServerDetail, DiskConfig, Flag } from './servers.ts'

const Metadata = Type.Record(Type.String(), Type.String())
const Name = Type.String({ minLength: 1, maxLength: 255 })

export const ServerActionBody = Type.Object({
  'os-start': Type.Optional(Type.Unknown()),
  'os-stop': Type.Optional(Type.Unknown()),
  reboot: Type.Optional(Type.Object({
    type: Type.Enum(['SOFT', 'Soft', 'soft', 'HARD', 'Hard', 'hard']),
  }, { additionalProperties: false })),
  resize: Type.Optional(Type.Object({
    flavorRef: Type.Union([Type.String({ minLength: 1 }), Type.Integer()]),
    'OS-DCF:diskConfig': Type.Optional(DiskConfig),
  }, { additionalProperties: false })),
  confirmResize: Type.Optional(Type.Null()),
  revertResize: Type.Optional(Type.Null()),
  createImage: Type.Optional(Type.Object({
    name: Name,
    metadata: Type.Optional(Metadata),
  }, { additionalProperties: false })),
  addSecurityGroup: Type.Optional(Type.Object({ name: Name }, { additionalProperties: false })),
  removeSecurityGroup: Type.Optional(Type.Object({ name: Name }, { additionalProperties: false })),
  addFloatingIp: Type.Optional(Type.Object({
    address: Type.String({ minLength: 1 }),
    fixed_address: Type.Optional(Type.String({ minLength: 1 })),
  }, { additionalProperties: false })),
  removeFloatingIp: Type.Optional(Type.Object({ address: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
  rebuild: Type.Optional(Type.Object({
    imageRef: Type.String({ minLength: 1 }),
    name: Type.Optional(Name),
    metadata: Type.Optional(Metadata),
    user_data: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    key_name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()])),
    adminPass: Type.Optional(Type.String()),
    accessIPv4: Type.Optional(Type.String()),
    accessIPv6: Type.Optional(Type.String()),
    'OS-DCF:diskConfig': Type.Optional(DiskConfig),
    personality: Type.Optional(Type.Array(Type.Object({
      path: Type.String(), contents: Type.Optional(Type.String()), content: Type.Optional(Type.String()),
    }, { additionalProperties: false }))),
    preserve_ephemeral: Type.Optional(Flag),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  }, { additionalProperties: false })),
  pause: Type.Optional(Type.Null()),
  unpause: Type.Optional(Type.Null()),
  suspend: Type.Optional(Type.Null()),
  resume: Type.Optional(Type.Null()),
  lock: Type.Optional(Type.Union([Type.Null(), Type.Object({
    locked_reason: Type.Optional(Type.String({ maxLength: 255 })),
  }, { additionalProperties: false })])),
  unlock: Type.Optional(Type.Null()),
  'os-getConsoleOutput': Type.Optional(Type.Object({
    length: Type.Optional(Type.Union([Type.Integer({ minimum: -1 }), Type.String({ pattern: '^-?[0-9]+$' }), Type.Null()])),
  }, { additionalProperties: false })),
}, { additionalProperties: true, minProperties: 1 })
export type ServerActionBody = Static<typeof ServerActionBody>

/**
 * 202 bodies: createImage's `{image_id}` (seed 003; Nova ≥ 2.45) or rebuild's `{server}` (Nova); one
 * object with optional members, not a union (see ServerCreated).
 */
export const ServerActionAccepted = Type.Object({
  image_id: Type.Optional(Type.String()),
  server: Type.Optional(ServerDetail),
}, { additionalProperties: false })
export type ServerActionAccepted = Static<typeof ServerActionAccepted>

export const ConsoleOutput = Type.Object({ output: Type.String() }, { additionalProperties: false })
export type ConsoleOutput = Static<typeof ConsoleOutput>
