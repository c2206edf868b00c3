import type { Page } from '../shared/page.ts'
import type { Keypair, KeypairType } from './keypair.ts'

export interface NewKeypair {
  readonly projectId: string
  readonly userId: string
  readonly name: string
  readonly type: KeypairType
  readonly publicKey: string
  readonly fingerprint: string
  readonly createdAt: Date
}

export interface KeypairRepository {
  /** Null when the project already has a keypair of that name (nothing is written then). */
  insert(keypair: NewKeypair): Promise<Keypair | null>
  get(projectId: string, name: string): Promise<Keypair | null>
  /** Names ascending, after `afterName` (Nova ≥ 2.35 paginates keypairs by name). */
  list(projectId: string, query: { readonly afterName: string | null; readonly limit: number }): Promise<Page<Keypair>>
  delete(projectId: string, name: string): Promise<boolean>
}
