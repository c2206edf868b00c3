/**
 * Just enough IPv6 for security group rules, whose ethertype may be IPv6 (Neutron's default group has
 * IPv6 rules) even though subnets and ports are IPv4 only.
 */

/** The address as a 128-bit integer, or null when `text` is not an IPv6 address (no zone, no embedded IPv4). */
export function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:]+$/.test(text)) return null
  const halves = text.split('::')
  if (halves.length > 2) return null
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'))
  const head = groupsOf(halves[0])
  const tail = halves.length === 2 ? groupsOf(halves[1]) : []
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail]
  let value = 0n
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null
    value = (value << 16n) | BigInt(`0x${group}`)
  }
  return value
}

/** RFC 5952 text: lowercase, leading zeros dropped, the longest run (≥ 2) of zero groups as `::`. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = []
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn))
  let bestStart = -1
  let bestLength = 1
  for (let start = 0; start < 8;) {
    if (groups[start] !== 0) { start++; continue }
    let end = start
    while (end < 8 && groups[end] === 0) end++
    if (end - start > bestLength) { bestStart = start; bestLength = end - start }
    start = end
  }
  const hex = groups.map((group) => group.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}

/** `addr/n` with the host bits cleared, in canonical text; null when invalid. */
export function normalizeIpv6Cidr(text: string): string | null {
  const slash = text.indexOf('/')
  if (slash < 0) return null
  const address = parseIpv6(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (address === null || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null
  const prefixLength = Number(prefixText)
  if (prefixLength > 128) return null
  const mask = prefixLength === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - prefixLength)) - 1n)
  return `${formatIpv6(address & mask)}/${prefixLength}`
}
