/** The cloud's own public images (the demo catalogue): active records owned by no project, without data. */
import type { Repositories } from '../ports/store.ts'
import { checkProperties } from './image-fields.ts'
import { imageRecord } from './image-records.ts'
import type { ContainerFormat, DiskFormat, Image, OsType } from './image.ts'

export interface PublicImageSeed {
  readonly id?: string
  readonly name: string
  readonly osType: OsType
  readonly properties?: Readonly<Record<string, string>>
  readonly minDiskGb: number
  readonly minRamMb: number
  readonly sizeBytes: number
  readonly diskFormat?: DiskFormat
  readonly containerFormat?: ContainerFormat
}

/**
 * Creates the image unless it exists (by id when given, else by name among the public seeded images);
 * an existing image is returned unchanged, so seeding on every start is harmless.
 */
export async function ensurePublicImage(tx: Repositories, seed: PublicImageSeed, now: Date): Promise<Image> {
  const existing = seed.id !== undefined ? await tx.images.get(seed.id) : await tx.images.findPublicByName(seed.name)
  if (existing) return existing
  const image = imageRecord({
    id: seed.id,
    name: seed.name,
    status: 'active',
    visibility: 'public',
    diskFormat: seed.diskFormat ?? 'qcow2',
    containerFormat: seed.containerFormat ?? 'bare',
    minDiskGb: seed.minDiskGb,
    minRamMb: seed.minRamMb,
    sizeBytes: seed.sizeBytes,
    properties: { ...checkProperties(seed.properties), os_type: seed.osType },
  }, now)
  await tx.images.insert(image)
  return (await tx.images.get(image.id)) ?? image
}
