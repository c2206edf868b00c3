/**
 * Port MAC addresses, OpenStack style: the `fa:16:3e` prefix Neutron uses by default, then three random
 * bytes. The random source is injectable (an IdGenerator fits) so that seeded simulations replay.
 */
export const MAC_PREFIX = 'fa:16:3e'

export interface RandomHex {
  /** `length` lowercase hex characters. */
  hex(length: number): string
}

export const cryptoRandomHex: RandomHex = {
  hex(length) {
    const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(length / 2)))
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('').slice(0, length)
  },
}

export function generateMacAddress(random: RandomHex = cryptoRandomHex): string {
  const hex = random.hex(6).toLowerCase()
  if (!/^[0-9a-f]{6}$/.test(hex)) throw new Error(`random source returned ${JSON.stringify(hex)}, not 6 hex digits`)
  return `${MAC_PREFIX}:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`
}
