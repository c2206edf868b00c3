/**
 * Servers booted from an existing volume or from a snapshot, as `openstack server create --volume` and
 * block_device_mapping_v2 without volume_size ask: the root disk is that volume's (or snapshot's) size,
 * which NHN's strict rules (root ≥ 10 GB) then check, and an unknown source is a 400 that creates nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../support/build-app.ts'
import { testEngines } from '../support/stores.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import type { BlockDeviceRequest, CreateServersCommand } from '../../src/core/servers/server-commands.ts'

describe.each(await testEngines())('servers booted from an existing volume or a snapshot (%s)', (engine) => {
  let t: TestGureum
  let owner: Owner
  let base: CreateServersCommand

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    owner = (await t.gureum.services.identity.authenticate({ username: 'demo', password: t.credentials.user.password })).owner
    await t.gureum.services.keypairs.create(owner, { name: 'k1' })
    base = {
      name: 'from-source', imageId: null, flavorId: t.credentials.defaults.flavor_id,
      networks: [{ networkId: t.credentials.defaults.network_id }], keyName: 'k1', securityGroups: [], userData: null,
      metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1, blockDevices: [], serverGroupId: null, strictNhn: true,
    }
  })
  afterAll(async () => t?.close())

  const rootFrom = (sourceType: 'volume' | 'snapshot', sourceId: string, sizeGb: number | null = null): BlockDeviceRequest => ({
    sourceType, sourceId, destinationType: 'volume', sizeGb, volumeType: null, deleteOnTermination: false, bootIndex: 0, deviceName: null,
  })
  const bootableVolume = async (name: string, sizeGb: number) => {
    const volume = await t.gureum.services.volumes.create(owner, { name, sizeGb, imageId: t.credentials.defaults.image_id })
    await t.drain()
    return volume.id
  }

  it('boots from an existing bootable volume without volume_size: the root disk is the volume', async () => {
    const volumeId = await bootableVolume('boot-me', 30)
    const { serverIds: [id] } = await t.gureum.services.servers.create(owner, { ...base, blockDevices: [rootFrom('volume', volumeId)] })
    await t.drain()
    expect(await t.gureum.services.servers.get(owner, id)).toMatchObject({ vmState: 'active', rootGb: 30, bootVolumeId: volumeId })
    expect(await t.gureum.services.volumes.get(owner, volumeId)).toMatchObject({ status: 'in-use', sizeGb: 30 })
  })

  it('boots from a snapshot without volume_size: the new root volume has the snapshot\'s size', async () => {
    const volumeId = await bootableVolume('snap-source', 25)
    const snapshot = await t.gureum.services.snapshots.create(owner, { volumeId, name: 'root-snap' })
    await t.drain()
    const { serverIds: [id] } = await t.gureum.services.servers.create(owner, {
      ...base, name: 'from-snapshot', blockDevices: [rootFrom('snapshot', snapshot.id)],
    })
    await t.drain()
    const server = await t.gureum.services.servers.get(owner, id)
    expect(server).toMatchObject({ vmState: 'active', rootGb: 25 })
    expect(await t.gureum.services.volumes.get(owner, server.bootVolumeId!)).toMatchObject({ status: 'in-use', sizeGb: 25 })
  })

  it('refuses an unknown volume or snapshot with a 400 naming it, creating nothing', async () => {
    const before = (await t.gureum.services.servers.list(owner, { limit: 100, marker: null })).items.length
    for (const sourceType of ['volume', 'snapshot'] as const) {
      const missing = crypto.randomUUID()
      await expect(t.gureum.services.servers.create(owner, { ...base, name: 'nothing', blockDevices: [rootFrom(sourceType, missing)] }))
        .rejects.toMatchObject({ kind: 'bad_request', message: `Block Device Mapping is Invalid: failed to get ${sourceType} ${missing}.` })
    }
    expect((await t.gureum.services.servers.list(owner, { limit: 100, marker: null })).items).toHaveLength(before)
  })

  it('still applies the strict root size rule to the volume\'s own size', async () => {
    const small = await t.gureum.services.volumes.create(owner, { name: 'too-small', sizeGb: 5 })
    await t.gureum.services.volumes.setBootable(owner, small.id, true)
    await t.drain()
    await expect(t.gureum.services.servers.create(owner, { ...base, name: 'small-root', blockDevices: [rootFrom('volume', small.id, 50)] }))
      .rejects.toMatchObject({ kind: 'bad_request', message: 'A Linux root disk must be at least 10 GB.' })
  })
})
