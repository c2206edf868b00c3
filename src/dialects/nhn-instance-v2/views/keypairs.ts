/**
 * Keypairs: core Keypair → Nova bodies, by microversion: `type` from 2.2, limit/marker pages from 2.35,
 * and the success statuses Nova changed at 2.2 (create 200 → 201, delete 202 → 204).
 */
import type { FastifyRequest } from 'fastify'
import type { CreatedKeypair, KeypairCreateInput } from '../../../core/keypairs/keypair-service.ts'
import type { Keypair } from '../../../core/keypairs/keypair.ts'
import { badRequest } from '../../../core/shared/errors.ts'
import type { Page, PageRequest } from '../../../core/shared/page.ts'
import { nextPageLinks } from '../links.ts'
import { atLeast, type Microversion } from '../microversion.ts'
import { MAX_PAGE_SIZE, pageSize } from '../schemas/common.ts'
import type { KeypairCreateBody, KeypairCreated, KeypairDetail, KeypairList, KeypairListQuery } from '../schemas/keypairs.ts'
import { microsecondTime } from './time.ts'

const TYPE_FIELD = 2
const PAGINATION = 35

const typeField = (keypair: Keypair, version: Microversion) => (atLeast(version, TYPE_FIELD) ? { type: keypair.type } : {})

export function keypairDetail(keypair: Keypair, version: Microversion): KeypairDetail {
  return {
    public_key: keypair.publicKey,
    user_id: keypair.userId,
    name: keypair.name,
    deleted: keypair.deleted,
    created_at: microsecondTime(keypair.createdAt),
    updated_at: keypair.updatedAt,
    deleted_at: keypair.deletedAt,
    fingerprint: keypair.fingerprint,
    id: keypair.id,
    ...typeField(keypair, version),
  }
}

export function keypairList(request: FastifyRequest, tenantId: string, page: Page<Keypair>, version: Microversion): KeypairList {
  const last = page.items[page.items.length - 1]
  return {
    keypairs: page.items.map((keypair) => ({
      keypair: { name: keypair.name, public_key: keypair.publicKey, fingerprint: keypair.fingerprint, ...typeField(keypair, version) },
    })),
    ...(atLeast(version, PAGINATION) && page.hasMore && last
      ? { keypairs_links: nextPageLinks(request, tenantId, 'os-keypairs', last.name) }
      : {}),
  }
}

/** Before 2.35 Nova ignores limit and marker and lists every keypair (at most MAX_PAGE_SIZE here). */
export function keypairPage(query: KeypairListQuery, version: Microversion): PageRequest {
  if (!atLeast(version, PAGINATION)) return { limit: MAX_PAGE_SIZE, marker: null }
  return { limit: pageSize(query.limit), marker: query.marker ?? null }
}

export function keypairCreateInput(body: KeypairCreateBody, version: Microversion): KeypairCreateInput {
  const { name, public_key: publicKey, type } = body.keypair
  if (type !== undefined && !atLeast(version, TYPE_FIELD)) {
    throw badRequest("Invalid input for field/attribute keypair. Reason: Additional properties are not allowed ('type' was unexpected)", 'type')
  }
  return { name, publicKey, type }
}

export function keypairCreated(created: CreatedKeypair, version: Microversion): KeypairCreated {
  const { keypair, privateKey } = created
  return {
    keypair: {
      fingerprint: keypair.fingerprint,
      name: keypair.name,
      public_key: keypair.publicKey,
      ...(privateKey === null ? {} : { private_key: privateKey }),
      user_id: keypair.userId,
      ...typeField(keypair, version),
    },
  }
}

export const keypairCreatedStatus = (version: Microversion): 200 | 201 => (atLeast(version, TYPE_FIELD) ? 201 : 200)
export const keypairDeletedStatus = (version: Microversion): 202 | 204 => (atLeast(version, TYPE_FIELD) ? 204 : 202)
