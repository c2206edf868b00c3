import { markerNotFound, requireValidLimit, requireWriter } from '../flavors/catalog-guards.ts'
import type { TransactionalRepositories } from '../flavors/compute-catalog-repositories.ts'
import type { Clock } from '../ports/clock.ts'
import type { QuotaRepository } from '../quotas/quota-repository.ts'
import { consumeQuotas, releaseQuotas } from '../quotas/quotas.ts'
import { badRequest, conflict, notFound } from '../shared/errors.ts'
import type { Owner } from '../shared/owner.ts'
import type { Page, PageRequest } from '../shared/page.ts'
import type { Keypair } from './keypair.ts'
import type { KeypairRepository } from './keypair-repository.ts'
import {
  fingerprintSha256, generateKeypair, parsePublicKey, validateKeypairName, type KeypairAlgorithm,
} from './ssh-keys.ts'

export interface KeypairRepositories {
  readonly keypairs: KeypairRepository
  readonly quotas: QuotaRepository
}

export interface KeypairCreateInput {
  readonly name: string
  /** An OpenSSH public key to import; absent to have a new pair generated. */
  readonly publicKey?: string
  /** Nova's `type`: only `ssh` (the default) is supported. */
  readonly type?: string
  /** For a generated pair; RSA 2048 by default, as Nova generates. */
  readonly algorithm?: KeypairAlgorithm
}

export interface CreatedKeypair {
  readonly keypair: Keypair
  /** The generated private key, handed out this once and never stored; null for an imported key. */
  readonly privateKey: string | null
}

const GENERATED_KEY_COMMENT = 'Generated-by-Gureum'

/** Keypairs are scoped per project (see Keypair); Nova scopes them per user. */
export class KeypairService {
  readonly #store: TransactionalRepositories<KeypairRepositories>
  readonly #clock: Clock

  constructor(deps: { readonly store: TransactionalRepositories<KeypairRepositories>; readonly clock: Clock }) {
    this.#store = deps.store
    this.#clock = deps.clock
  }

  async create(owner: Owner, input: KeypairCreateInput): Promise<CreatedKeypair> {
    requireWriter(owner)
    const name = validateKeypairName(input.name)
    if (input.type !== undefined && input.type !== 'ssh') {
      throw badRequest(`Keypair type ${input.type} is not supported; only ssh keys are.`, 'type')
    }
    // Outside the transaction: generating an RSA key is slow, and a retried transaction must not
    // hand out a different key than it stored.
    let publicKey: string
    let fingerprint: string
    let privateKey: string | null = null
    if (input.publicKey === undefined) {
      const generated = generateKeypair(input.algorithm ?? 'rsa', GENERATED_KEY_COMMENT)
      publicKey = generated.publicKey
      fingerprint = generated.fingerprint
      privateKey = generated.privateKey
    } else {
      const parsed = parsePublicKey(input.publicKey)
      publicKey = parsed.normalized
      fingerprint = fingerprintSha256(parsed.blob)
    }
    const createdAt = this.#clock.now()
    const keypair = await this.#store.transaction(async (tx) => {
      await consumeQuotas(tx.quotas, owner.projectId, { key_pairs: 1 })
      const created = await tx.keypairs.insert({
        projectId: owner.projectId, userId: owner.userId, name, type: 'ssh', publicKey, fingerprint, createdAt,
      })
      if (created === null) throw conflict('keypair', `Key pair '${name}' already exists.`, name)
      return created
    })
    return { keypair, privateKey }
  }

  async get(owner: Owner, name: string): Promise<Keypair> {
    const keypair = await this.#store.keypairs.get(owner.projectId, name)
    if (keypair === null) throw notFound('keypair', name)
    return keypair
  }

  /** Names ascending, `marker` being the last name of the previous page (Nova ≥ 2.35). */
  async list(owner: Owner, page: PageRequest): Promise<Page<Keypair>> {
    requireValidLimit(page)
    if (page.marker !== null && (await this.#store.keypairs.get(owner.projectId, page.marker)) === null) {
      throw markerNotFound(page.marker)
    }
    return this.#store.keypairs.list(owner.projectId, { afterName: page.marker, limit: page.limit })
  }

  /** Servers keep the key they were built with: it was injected at build time. */
  async delete(owner: Owner, name: string): Promise<void> {
    requireWriter(owner)
    await this.#store.transaction(async (tx) => {
      if (!(await tx.keypairs.delete(owner.projectId, name))) throw notFound('keypair', name)
      await releaseQuotas(tx.quotas, owner.projectId, { key_pairs: 1 })
    })
  }
}

/**
 * For server create and rebuild, inside their transaction: the keypair the request names. Nova answers
 * 400 "Invalid key_name provided." since the name is an input, not the resource addressed.
 */
export async function requireKeypair(
  repos: Pick<KeypairRepositories, 'keypairs'>, owner: Owner, name: string,
): Promise<Keypair> {
  const keypair = await repos.keypairs.get(owner.projectId, name)
  if (keypair === null) throw badRequest(`Invalid key_name provided: keypair ${name} could not be found.`, 'key_name')
  return keypair
}
