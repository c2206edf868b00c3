import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto'
import type { JsonWebKey } from 'node:crypto'
import { badRequest } from '../shared/errors.ts'

export type KeypairAlgorithm = 'rsa' | 'ed25519'

export interface GeneratedKeypair {
  /** OpenSSH one-line public key, ready for authorized_keys. */
  readonly publicKey: string
  /** PEM private key: PKCS#1 for RSA (what Nova hands back), PKCS#8 for ed25519. */
  readonly privateKey: string
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string
  readonly type: KeypairAlgorithm
}

export interface ParsedPublicKey {
  /** The SSH key type name, e.g. `ssh-rsa`. */
  readonly type: string
  /** The decoded wire-format blob that fingerprints are computed over. */
  readonly blob: Buffer
  readonly comment: string | null
  /** `<type> <base64>[ <comment>]` with surrounding and separating whitespace collapsed. */
  readonly normalized: string
}

export const SUPPORTED_PUBLIC_KEY_TYPES = [
  'ssh-rsa',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-dss',
] as const

const RSA_MIN_BITS = 1024
// OpenSSH refuses RSA moduli above this (SSHBUF_MAX_BIGNUM); bigger ones are either hostile or useless.
const RSA_MAX_BITS = 16384
const DSA_MIN_BITS = 1024
// A 16384-bit RSA key is ~2.8 KB of base64; anything far beyond that is not a public key worth parsing.
const MAX_PUBLIC_KEY_LENGTH = 16 * 1024

const EC_CURVES: Readonly<Record<string, { readonly jwkCurve: string; readonly coordinateBytes: number }>> = {
  nistp256: { jwkCurve: 'P-256', coordinateBytes: 32 },
  nistp384: { jwkCurve: 'P-384', coordinateBytes: 48 },
  nistp521: { jwkCurve: 'P-521', coordinateBytes: 66 },
}

export function generateKeypair(type: KeypairAlgorithm = 'rsa', comment?: string): GeneratedKeypair {
  let blob: Buffer
  let privateKey: string
  if (type === 'rsa') {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
    const jwk = pair.publicKey.export({ format: 'jwk' })
    blob = Buffer.concat([
      sshString(Buffer.from('ssh-rsa')),
      sshMpint(jwkBytes(jwk, 'e')),
      sshMpint(jwkBytes(jwk, 'n')),
    ])
    privateKey = pair.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()
  } else if (type === 'ed25519') {
    const pair = generateKeyPairSync('ed25519')
    const jwk = pair.publicKey.export({ format: 'jwk' })
    blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(jwkBytes(jwk, 'x'))])
    privateKey = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  } else {
    throw badRequest(`Keypair type ${String(type)} is not supported; use rsa or ed25519.`, 'type')
  }
  const sshType = type === 'rsa' ? 'ssh-rsa' : 'ssh-ed25519'
  // The comment lands on an authorized_keys line, so a line break in it would forge a second entry.
  const cleanComment = comment?.replace(/\s+/g, ' ').trim()
  const publicKey = [sshType, blob.toString('base64'), cleanComment].filter(Boolean).join(' ')
  return { publicKey, privateKey, fingerprint: fingerprintSha256(blob), type }
}

export function parsePublicKey(text: string): ParsedPublicKey {
  if (typeof text !== 'string') throw invalidKey('the public key must be a string')
  // A trailing newline from `cat key.pub` is normal; anything line-like inside is not.
  const line = text.trim()
  if (line === '') throw invalidKey('the public key is empty')
  if (line.length > MAX_PUBLIC_KEY_LENGTH) throw invalidKey('the public key is too long')
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(line) || line.startsWith('PuTTY-User-Key-File-')) {
    throw invalidKey('this is a private key; paste the public key (the .pub file) instead')
  }
  if (line.startsWith('-----BEGIN') || line.startsWith('---- BEGIN SSH2')) {
    throw invalidKey('only OpenSSH one-line public keys are accepted, not PEM or RFC 4716 blocks')
  }
  if (/[\r\n]/.test(line)) throw invalidKey('the public key must be a single line')

  const [type, encoded, ...rest] = line.split(/[ \t]+/)
  if (!(SUPPORTED_PUBLIC_KEY_TYPES as readonly string[]).includes(type)) {
    throw invalidKey(`unsupported key type '${truncate(type)}'; expected one of ${SUPPORTED_PUBLIC_KEY_TYPES.join(', ')}`)
  }
  if (encoded === undefined) throw invalidKey('the key data after the type is missing')
  const blob = decodeBase64Strict(encoded)
  validateBlob(type, blob)

  const comment = rest.length > 0 ? rest.join(' ') : null
  const normalized = comment === null ? `${type} ${encoded}` : `${type} ${encoded} ${comment}`
  return { type, blob, comment, normalized }
}

export function fingerprintSha256(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')
}

export function fingerprintMd5(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':')
}

export function validateKeypairName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 255) {
    throw badRequest('Keypair name must be string and between 1 and 255 characters long', 'name')
  }
  if (name.trim() === '') throw badRequest('Keypair name must not consist only of whitespace', 'name')
  if (!/^[A-Za-z0-9 _.@-]+$/.test(name)) {
    throw badRequest(
      "Keypair name contains unsafe characters; allowed are letters, digits, spaces and '_', '-', '.', '@'",
      'name',
    )
  }
  return name
}

function invalidKey(reason: string) {
  return badRequest(`Keypair data is invalid: ${reason}`, 'public_key')
}

function truncate(text: string): string {
  return text.length > 40 ? text.slice(0, 40) + '…' : text
}

function decodeBase64Strict(encoded: string): Buffer {
  // Buffer.from(…, 'base64') silently skips junk and stops early, so a cut-off paste would still decode.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw invalidKey('the key data is not valid base64 (truncated or corrupted?)')
  }
  const blob = Buffer.from(encoded, 'base64')
  if (blob.toString('base64') !== encoded) {
    throw invalidKey('the key data is not valid base64 (truncated or corrupted?)')
  }
  return blob
}

function validateBlob(type: string, blob: Buffer): void {
  const reader = new WireReader(blob)
  const innerType = reader.string('key type').toString('latin1')
  if (innerType !== type) {
    throw invalidKey(`the key says '${type}' but its data is a '${truncate(innerType)}' key`)
  }
  switch (type) {
    case 'ssh-rsa': {
      const e = reader.mpint('RSA exponent')
      const n = reader.mpint('RSA modulus')
      if (e.length === 0 || (e[e.length - 1] & 1) === 0 || (e.length === 1 && e[0] < 3)) {
        throw invalidKey('the RSA public exponent is not a valid odd integer ≥ 3')
      }
      const bits = bitLength(n)
      if (bits < RSA_MIN_BITS) throw invalidKey(`the RSA modulus has ${bits} bits; at least ${RSA_MIN_BITS} are required`)
      if (bits > RSA_MAX_BITS) throw invalidKey(`the RSA modulus has ${bits} bits; at most ${RSA_MAX_BITS} are allowed`)
      break
    }
    case 'ssh-ed25519': {
      const key = reader.string('ed25519 key')
      if (key.length !== 32) throw invalidKey(`an ed25519 key is 32 bytes, this one is ${key.length}`)
      break
    }
    case 'ssh-dss': {
      const p = reader.mpint('DSA p')
      const q = reader.mpint('DSA q')
      const g = reader.mpint('DSA g')
      const y = reader.mpint('DSA y')
      if (q.length === 0 || g.length === 0 || y.length === 0) throw invalidKey('the DSA parameters are incomplete')
      const bits = bitLength(p)
      if (bits < DSA_MIN_BITS) throw invalidKey(`the DSA prime has ${bits} bits; at least ${DSA_MIN_BITS} are required`)
      break
    }
    default: {
      const curveName = type.slice('ecdsa-sha2-'.length)
      const curve = EC_CURVES[curveName]
      const innerCurve = reader.string('ECDSA curve').toString('latin1')
      if (innerCurve !== curveName) {
        throw invalidKey(`the key says curve ${curveName} but its data names '${truncate(innerCurve)}'`)
      }
      const point = reader.string('ECDSA point')
      if (point.length !== 1 + 2 * curve.coordinateBytes || point[0] !== 0x04) {
        throw invalidKey(`the ECDSA point is not an uncompressed ${curveName} point`)
      }
      // Only OpenSSL can tell whether the point really lies on the curve; a random point is an invalid key.
      try {
        createPublicKey({
          key: {
            kty: 'EC',
            crv: curve.jwkCurve,
            x: point.subarray(1, 1 + curve.coordinateBytes).toString('base64url'),
            y: point.subarray(1 + curve.coordinateBytes).toString('base64url'),
          },
          format: 'jwk',
        })
      } catch {
        throw invalidKey(`the ECDSA point is not on curve ${curveName}`)
      }
    }
  }
  if (!reader.atEnd()) throw invalidKey('the key data has unexpected trailing bytes')
}

/** Reads RFC 4251 `string` and `mpint` fields, refusing to run past the end of the blob. */
class WireReader {
  readonly #buffer: Buffer
  #offset = 0

  constructor(buffer: Buffer) {
    this.#buffer = buffer
  }

  string(what: string): Buffer {
    if (this.#offset + 4 > this.#buffer.length) throw invalidKey(`the key data ends before the ${what}`)
    const length = this.#buffer.readUInt32BE(this.#offset)
    const start = this.#offset + 4
    if (length > this.#buffer.length - start) throw invalidKey(`the key data is truncated inside the ${what}`)
    this.#offset = start + length
    return this.#buffer.subarray(start, start + length)
  }

  /** Returns the magnitude without leading zero bytes; negative values are rejected. */
  mpint(what: string): Buffer {
    const raw = this.string(what)
    if (raw.length > 0 && (raw[0] & 0x80) !== 0) throw invalidKey(`the ${what} is negative`)
    let start = 0
    while (start < raw.length && raw[start] === 0) start++
    return raw.subarray(start)
  }

  atEnd(): boolean {
    return this.#offset === this.#buffer.length
  }
}

function bitLength(magnitude: Buffer): number {
  if (magnitude.length === 0) return 0
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]))
}

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  return Buffer.concat([length, data])
}

/** RFC 4251 mpint from an unsigned big-endian magnitude: minimal, with a 0x00 pad when the top bit is set. */
function sshMpint(magnitude: Buffer): Buffer {
  let start = 0
  while (start < magnitude.length && magnitude[start] === 0) start++
  const trimmed = magnitude.subarray(start)
  const body = trimmed.length > 0 && (trimmed[0] & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed
  return sshString(body)
}

function jwkBytes(jwk: JsonWebKey, member: 'e' | 'n' | 'x'): Buffer {
  const value = jwk[member]
  if (typeof value !== 'string') throw new Error(`node:crypto JWK export lacks '${member}'`)
  return Buffer.from(value, 'base64url')
}
