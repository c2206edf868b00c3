import { fingerprintMd5, parsePublicKey } from './ssh-keys.ts'

/** Nova also knows `x509`; Gureum stores SSH keys only. */
export type KeypairType = 'ssh'

/**
 * An SSH public key a project registers by name. Keypairs belong to the project, not to the user as in
 * Nova: NHN and SCP consoles show one keypair list per project, and a server created by one member must
 * stay manageable by the others. `userId` records who created it.
 *
 * Keypairs are hard-deleted; the three Nova soft-delete fields exist so that views can show them as
 * Nova does (`deleted: false`, `updated_at`/`deleted_at` null).
 */
export interface Keypair {
  readonly id: number
  readonly projectId: string
  readonly userId: string
  readonly name: string
  readonly type: KeypairType
  /** The OpenSSH one-line public key. */
  readonly publicKey: string
  /** `SHA256:…`, as NHN's documents and `ssh-keygen -l` show it. */
  readonly fingerprint: string
  readonly createdAt: Date
  readonly updatedAt: null
  readonly deletedAt: null
  readonly deleted: false
}

/** The colon-separated MD5 form that TOAST v2.1 and SCP show (CATALOG X7), derived from the public key. */
export function keypairFingerprintMd5(keypair: Pick<Keypair, 'publicKey'>): string {
  return fingerprintMd5(parsePublicKey(keypair.publicKey).blob)
}
