/** Volume types: lookups by id or name, the default type, and idempotent seeding. */
import type { Repositories } from '../ports/store.ts'
import { notFound } from '../shared/errors.ts'
import { isAdmin, type Owner } from '../shared/owner.ts'
import type { VolumeType } from './volume.ts'

export interface VolumeTypeSeed {
  readonly id?: string
  readonly name: string
  readonly description?: string
  readonly isDefault?: boolean
  readonly isPublic?: boolean
  readonly extraSpecs?: Readonly<Record<string, string>>
}

/**
 * Creates the types that do not exist yet (by name) and leaves existing ones untouched. A seed marked
 * default becomes the default only while no type is, so a default chosen later survives restarts.
 */
export async function ensureVolumeTypes(tx: Repositories, seeds: readonly VolumeTypeSeed[], now: Date): Promise<VolumeType[]> {
  const types: VolumeType[] = []
  for (const seed of seeds) {
    await tx.volumeTypes.insert({
      id: seed.id ?? crypto.randomUUID(),
      name: seed.name,
      description: seed.description ?? '',
      isDefault: false,
      isPublic: seed.isPublic ?? true,
      extraSpecs: seed.extraSpecs ?? {},
      createdAt: now,
    })
    const type = await tx.volumeTypes.getByName(seed.name)
    if (!type) throw new Error(`volume type ${seed.name} vanished while seeding`)
    types.push(type)
  }
  const wanted = seeds.findIndex((seed) => seed.isDefault)
  if (wanted >= 0 && !(await tx.volumeTypes.getDefault())) {
    await tx.volumeTypes.setDefault(types[wanted].id)
    types[wanted] = { ...types[wanted], isDefault: true }
  }
  return types
}

/** A type the owner may use, by id or by name; private types only for admins. */
export async function findVolumeType(repos: Repositories, owner: Owner, ref: string): Promise<VolumeType> {
  const type = (await repos.volumeTypes.get(ref)) ?? (await repos.volumeTypes.getByName(ref))
  if (!type || (!type.isPublic && !isAdmin(owner))) throw notFound('volume_type', ref)
  return type
}

/** Cinder marks multi-attach capable types with the extra spec `multiattach="<is> True"`. */
export function typeAllowsMultiattach(type: VolumeType): boolean {
  return /^<is>\s*true$/i.test(type.extraSpecs.multiattach ?? '')
}
