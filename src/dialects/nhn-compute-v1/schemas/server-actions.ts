/**
 * `POST …/servers/{serverId}/action`: the body's one key names the action (CATALOG §2.1.2). Keys this
 * API does not have pass the schema and are answered -7 Not supported by the route; a known key with a
 * malformed value, or several known keys, is -4.
 */
import { Type, type Static } from 'typebox'
import { successBody } from './common.ts'

const NoArguments = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: true })])
const Named = Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: true })

export const ServerActionBody = Type.Object({
  'os-start': Type.Optional(NoArguments),
  'os-stop': Type.Optional(NoArguments),
  // Nova accepts the type in any of these spellings; the seed writes "HARD" and "SOFT".
  reboot: Type.Optional(Type.Object({
    type: Type.Enum(['HARD', 'SOFT', 'Hard', 'Soft', 'hard', 'soft']),
  }, { additionalProperties: true })),
  resize: Type.Optional(Type.Object({ flavor: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: true })),
  uploadImage: Type.Optional(Named),
  addFloatingIp: Type.Optional(Type.Object({
    address: Type.String({ minLength: 1, maxLength: 64 }),
    /** The seed lists it; without it the floating IP goes to the server's first NIC, as Nova does. */
    ipAddress: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }, { additionalProperties: true })),
  removeFloatingIp: Type.Optional(Type.Object({ address: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: true })),
  addSecurityGroup: Type.Optional(Named),
  removeSecurityGroup: Type.Optional(Named),
}, { additionalProperties: true, minProperties: 1 })
export type ServerActionBody = Static<typeof ServerActionBody>

export const CreatedImageBody = successBody({
  createdImage: Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false }),
})
