import { Type, type Static } from 'typebox'

/** The Neutron quota resources Gureum counts (no routers, RBAC policies or subnet pools). */
export const NEUTRON_QUOTA_RESOURCES = ['floatingip', 'network', 'port', 'security_group', 'security_group_rule', 'subnet'] as const
export type NeutronQuotaResource = (typeof NEUTRON_QUOTA_RESOURCES)[number]

const perResource = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) =>
  Object.fromEntries(NEUTRON_QUOTA_RESOURCES.map((name) => [name, schema])) as Record<NeutronQuotaResource, T>

export const QuotaResponse = Type.Object({
  quota: Type.Object(perResource(Type.Integer()), { additionalProperties: false }),
}, { additionalProperties: false })

export const QuotaDetail = Type.Object({
  limit: Type.Integer(),
  used: Type.Integer(),
  reserved: Type.Integer(),
}, { additionalProperties: false })

export const QuotaDetailsResponse = Type.Object({
  quota: Type.Object(perResource(QuotaDetail), { additionalProperties: false }),
}, { additionalProperties: false })

export const QuotaUpdateBody = Type.Object({
  quota: Type.Object(perResource(Type.Optional(Type.Integer({ minimum: -1 }))), { additionalProperties: false }),
}, { additionalProperties: true })
export type QuotaUpdateBody = Static<typeof QuotaUpdateBody>

export const ProjectParams = Type.Object({
  project_id: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type ProjectParams = Static<typeof ProjectParams>
