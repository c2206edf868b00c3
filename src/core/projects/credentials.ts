/**
 * Stored credentials: tokens and SCP access keys. Neither the token string nor the secret key is ever
 * stored: a token is kept as its SHA-256, a secret key is re-derived from a master key and a per-key salt.
 */
import type { Project } from './project.ts'
import type { User } from './user.ts'

export interface TokenRecord {
  /** SHA-256 (lowercase hex) of the token string. */
  readonly idHash: string
  readonly userId: string
  readonly projectId: string
  /** Identifies the token in logs and audit records without revealing it (Keystone audit_ids). */
  readonly auditId: string
  readonly issuedAt: Date
  readonly expiresAt: Date
}

/** A token with the user and project it speaks for, read in one lookup. */
export interface TokenSession {
  readonly token: TokenRecord
  readonly user: User
  readonly project: Project
}

/** An SCP access key as listed: never carries the secret. */
export interface AccessKey {
  /** 20 uppercase alphanumeric characters, sent as Scp-Accesskey. */
  readonly accessKey: string
  readonly projectId: string
  readonly userId: string
  readonly description: string
  readonly enabled: boolean
  /** Null = never expires. */
  readonly expiresAt: Date | null
  readonly createdAt: Date
}

export interface AccessKeyRecord extends AccessKey {
  /** Random per-key salt (base64url) mixed into the secret's derivation. */
  readonly secretSalt: string
  /** SHA-256 (lowercase hex) of the secret key, to detect a re-derivation with the wrong master key. */
  readonly secretHash: string
}

export interface AccessKeySession {
  readonly key: AccessKeyRecord
  readonly user: User
  readonly project: Project
}
