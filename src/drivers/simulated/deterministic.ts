/**
 * Seeded, order-independent pseudo-randomness: a value depends only on the seed and the parts that
 * name it, never on how many other values were drawn before, so interleaved operations replay alike.
 */
export function unitHash(seed: number, ...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0)
  const text = parts.join('\u0000')
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  // FNV alone clusters on similar inputs; the murmur3 finaliser spreads the bits.
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return (hash >>> 0) / 0x1_0000_0000
}

/** An integer in [min, max], drawn like unitHash. */
export function intHash(seed: number, min: number, max: number, ...parts: readonly (string | number)[]): number {
  return min + Math.floor(unitHash(seed, ...parts) * (max - min + 1))
}
