/**
 * A flavor (Nova) is what NHN calls an instance type and SCP a server type: one row serves all three.
 * SCP server types use their name as id (`s1v1m2`, CATALOG X2); NHN flavors have UUID ids.
 */
export interface Flavor {
  readonly id: string
  readonly name: string
  readonly description: string | null
  readonly vcpus: number
  readonly ramMb: number
  /** Root disk on the host; 0 for volume-backed types, whose root disk is a block-storage volume. */
  readonly diskGb: number
  readonly ephemeralGb: number
  readonly swapMb: number
  readonly rxtxFactor: number
  readonly isPublic: boolean
  /** A disabled flavor still describes the servers that use it but cannot be chosen for new ones. */
  readonly disabled: boolean
  readonly extraSpecs: Readonly<Record<string, string>>
  readonly createdAt: Date
}

/** The extra spec NHN shows on its flavors (`{"flavor_type":"performance"}` in the guide examples). */
export const FLAVOR_TYPE_SPEC = 'flavor_type'

/**
 * Marks a flavor as an SCP server type; the value is the server type family (`s1`, `h1`). The SCP
 * dialect lists only these, the NHN dialects all the others (see FlavorCatalog).
 */
export const SCP_SERVER_TYPE_SPEC = 'scp:server_type'

/** Which vendor catalog a flavor belongs to, told apart by SCP_SERVER_TYPE_SPEC. */
export type FlavorCatalog = 'nhn' | 'scp'

/**
 * NHN's "U2" family runs on the host's local disk: servers boot from a local root disk of `diskGb`
 * (block_device_mapping_v2 destination_type `local`), may omit block_device_mapping_v2 on create, and
 * are the only ones the Nova createImage action may snapshot. The NHN guides never say how a client
 * can tell (CATALOG B14), so a flavor is U2 when its `flavor_type` extra spec is `u2` (any case) or
 * its name starts with `u2.`, as every NHN U2 type's does (an operator-made flavor needs only one).
 */
export function isLocalDiskFlavor(flavor: Pick<Flavor, 'name' | 'extraSpecs'>): boolean {
  return flavor.extraSpecs[FLAVOR_TYPE_SPEC]?.toLowerCase() === 'u2' || flavor.name.toLowerCase().startsWith('u2.')
}

export function isScpServerType(flavor: Pick<Flavor, 'extraSpecs'>): boolean {
  return flavor.extraSpecs[SCP_SERVER_TYPE_SPEC] !== undefined
}
