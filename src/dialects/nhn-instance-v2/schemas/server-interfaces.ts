/** Nova's os-interface (port interfaces of a server); not in the seeds, used by openstackclient and novaclient. */
import { Type, type Static } from 'typebox'
import { ServerParams } from './servers.ts'

export const InterfaceParams = Type.Object({
  ...ServerParams.properties,
  portId: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type InterfaceParams = Static<typeof InterfaceParams>

export const InterfaceAttachment = Type.Object({
  fixed_ips: Type.Array(Type.Object({ ip_address: Type.String(), subnet_id: Type.String() }, { additionalProperties: false })),
  mac_addr: Type.String(),
  net_id: Type.String(),
  port_id: Type.String(),
  port_state: Type.String(),
}, { additionalProperties: false })
export type InterfaceAttachment = Static<typeof InterfaceAttachment>

export const InterfaceAttachmentList = Type.Object({ interfaceAttachments: Type.Array(InterfaceAttachment) }, { additionalProperties: false })
export type InterfaceAttachmentList = Static<typeof InterfaceAttachmentList>

export const InterfaceAttachmentShow = Type.Object({ interfaceAttachment: InterfaceAttachment }, { additionalProperties: false })
export type InterfaceAttachmentShow = Static<typeof InterfaceAttachmentShow>

export const InterfaceAttachmentCreateBody = Type.Object({
  interfaceAttachment: Type.Object({
    net_id: Type.Optional(Type.String({ minLength: 1 })),
    port_id: Type.Optional(Type.String({ minLength: 1 })),
    fixed_ips: Type.Optional(Type.Array(Type.Object({ ip_address: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 1 })),
    tag: Type.Optional(Type.String({ maxLength: 60 })),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type InterfaceAttachmentCreateBody = Static<typeof InterfaceAttachmentCreateBody>
