/** Unpredictable strings and digests for credentials. Never seeded: credentials must not be replayable. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
export const UPPERCASE_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/**
 * `length` characters drawn uniformly from `alphabet`. Bytes at or above the largest multiple of the
 * alphabet size are discarded, since `byte % size` on them would favour the first characters.
 */
export function randomString(length: number, alphabet: string): string {
  if (alphabet.length < 2 || alphabet.length > 256) throw new RangeError('alphabet needs 2..256 characters')
  const unbiasedLimit = 256 - (256 % alphabet.length)
  let result = ''
  while (result.length < length) {
    for (const byte of randomBytes(Math.ceil((length - result.length) * 1.25) + 4)) {
      if (byte >= unbiasedLimit) continue
      result += alphabet[byte % alphabet.length]
      if (result.length === length) break
    }
  }
  return result
}

/** `bytes` random bytes as lowercase hex (twice as many characters). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/**
 * Whether two strings are equal, in time that depends on neither their content nor where they differ.
 * Digesting first gives timingSafeEqual two equal-length inputs, so a length mismatch is not an early exit.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest()
  const digestB = createHash('sha256').update(b, 'utf8').digest()
  return timingSafeEqual(digestA, digestB)
}
