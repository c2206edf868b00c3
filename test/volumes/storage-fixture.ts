/**
 * Block storage and image services over a real test database with a frozen clock. Projects come from
 * the ProjectService (which sets their quota limits); image bytes go to a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ImageService } from '../../src/core/images/image-service.ts'
import { ProjectService } from '../../src/core/projects/project-service.ts'
import type { QuotaResource } from '../../src/core/quotas/quota-repository.ts'
import { ControllableClock } from '../../src/core/shared/controllable-clock.ts'
import type { Owner, Role } from '../../src/core/shared/owner.ts'
import { SnapshotService } from '../../src/core/volumes/snapshot-service.ts'
import { VolumeService } from '../../src/core/volumes/volume-service.ts'
import { ensureVolumeTypes } from '../../src/core/volumes/volume-types.ts'
import type { VolumeType } from '../../src/core/volumes/volume.ts'
import type { Store } from '../../src/core/ports/store.ts'
import type { Engine } from '../../src/store/database.ts'
import { LocalImageFileStore } from '../../src/store/image-files.ts'
import { createTestDatabase, type TestDatabase } from '../support/stores.ts'

// The area-neutral assertion helper the catalog tests already define.
export { expectKind } from '../compute-catalog/catalog-fixture.ts'

export const START = new Date('2024-03-01T00:00:00.000Z')
export const ZONE = 'nova'

export interface StorageFixture {
  readonly database: TestDatabase
  readonly store: Store
  readonly clock: ControllableClock
  readonly volumes: VolumeService
  readonly snapshots: SnapshotService
  readonly images: ImageService
  readonly files: LocalImageFileStore
  readonly imageDirectory: string
  /** HDD (the default), SSD, and a multi-attach type. */
  readonly types: { readonly hdd: VolumeType; readonly ssd: VolumeType; readonly shared: VolumeType }
  /** A new project with the default limits overridden by `quotaLimits`; its member (or other role). */
  newProject(options?: { quotaLimits?: Partial<Record<QuotaResource, number>>; roles?: Role[] }): Promise<Owner>
  inUse(owner: Owner, resource: QuotaResource): Promise<number>
  close(): Promise<void>
}

export async function createStorageFixture(
  engine: Engine,
  options: { maxImageSizeBytes?: number } = {},
): Promise<StorageFixture> {
  const database = await createTestDatabase(engine)
  const store = database.store
  const clock = new ControllableClock({ frozenAt: START })
  const imageDirectory = mkdtempSync(join(tmpdir(), 'gureum-images-'))
  const files = new LocalImageFileStore(imageDirectory)
  const projects = new ProjectService({ store, clock })
  const [hdd, ssd, shared] = await store.transaction((tx) => ensureVolumeTypes(tx, [
    { name: 'General HDD', description: 'default type', isDefault: true },
    { name: 'General SSD' },
    { name: 'Shared SSD', extraSpecs: { multiattach: '<is> True' } },
  ], clock.now()))
  let projectCount = 0
  return {
    database,
    store,
    clock,
    files,
    imageDirectory,
    types: { hdd, ssd, shared },
    volumes: new VolumeService({ store, clock, options: { defaultAvailabilityZone: ZONE } }),
    snapshots: new SnapshotService({ store, clock }),
    images: new ImageService({ store, clock, files, options: { maxImageSizeBytes: options.maxImageSizeBytes } }),
    async newProject(projectOptions = {}) {
      projectCount++
      const project = await projects.createProject({
        name: `storage-project-${projectCount}`, quotaLimits: projectOptions.quotaLimits,
      })
      return { projectId: project.id, userId: `user-of-${project.id}`, roles: projectOptions.roles ?? ['member'] }
    },
    async inUse(owner, resource) {
      const usage = (await store.quotas.list(owner.projectId)).find((quota) => quota.resource === resource)
      return usage?.inUse ?? 0
    },
    async close() {
      await database.close()
      rmSync(imageDirectory, { recursive: true, force: true })
    },
  }
}
