import { Type, type Static } from 'typebox'
import { Link, PageQuery, TenantParams } from './common.ts'

export const KeypairParams = Type.Object({
  ...TenantParams.properties,
  keypairName: Type.String({ minLength: 1, maxLength: 255 }),
}, { additionalProperties: false })
export type KeypairParams = Static<typeof KeypairParams>

/** limit/marker count from 2.35 (Nova); other parameters (2.10's admin `user_id`) are ignored. */
export const KeypairListQuery = Type.Object({ ...PageQuery }, { additionalProperties: true })
export type KeypairListQuery = Static<typeof KeypairListQuery>

/** `type` from microversion 2.2. */
const keypairType = { type: Type.Optional(Type.String()) }

export const KeypairSummary = Type.Object({
  name: Type.String(),
  public_key: Type.String(),
  fingerprint: Type.String(),
  ...keypairType,
}, { additionalProperties: false })
export type KeypairSummary = Static<typeof KeypairSummary>

export const KeypairList = Type.Object({
  keypairs: Type.Array(Type.Object({ keypair: KeypairSummary }, { additionalProperties: false })),
  /** From 2.35, when another page follows. */
  keypairs_links: Type.Optional(Type.Array(Link)),
}, { additionalProperties: false })
export type KeypairList = Static<typeof KeypairList>

/** Seeds 001–003 N-5; the three soft-delete fields are always `false`/null (keypairs are hard-deleted). */
export const KeypairDetail = Type.Object({
  public_key: Type.String(),
  user_id: Type.String(),
  name: Type.String(),
  deleted: Type.Boolean(),
  /** `YYYY-MM-DDThh:mm:ss.ffffff`, UTC without a zone (CATALOG §1.5). */
  created_at: Type.String(),
  updated_at: Type.Union([Type.String(), Type.Null()]),
  deleted_at: Type.Union([Type.String(), Type.Null()]),
  fingerprint: Type.String(),
  id: Type.Integer(),
  ...keypairType,
}, { additionalProperties: false })
export type KeypairDetail = Static<typeof KeypairDetail>

export const KeypairShow = Type.Object({ keypair: KeypairDetail }, { additionalProperties: false })
export type KeypairShow = Static<typeof KeypairShow>

/**
 * Seeds 001–003 N-6: omit `public_key` to have a pair generated. `type` is accepted from 2.2 (only `ssh`
 * keys are supported); Nova's 2.10 admin `user_id` is not (keypairs belong to the project here).
 */
export const KeypairCreateBody = Type.Object({
  keypair: Type.Object({
    name: Type.String(),
    public_key: Type.Optional(Type.String()),
    type: Type.Optional(Type.Enum(['ssh', 'x509'])),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type KeypairCreateBody = Static<typeof KeypairCreateBody>

export const KeypairCreated = Type.Object({
  keypair: Type.Object({
    fingerprint: Type.String(),
    name: Type.String(),
    public_key: Type.String(),
    /** Only for a generated pair, and only in this answer. */
    private_key: Type.Optional(Type.String()),
    user_id: Type.String(),
    ...keypairType,
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type KeypairCreated = Static<typeof KeypairCreated>
