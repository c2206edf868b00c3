import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../support/build-app.ts'
import { testEngines } from '../support/stores.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import type { CreateServersCommand } from '../../src/core/servers/server-commands.ts'

describe.each(await testEngines())('server lifecycle through the core (%s)', (engine) => {
  let t: TestGureum
  let owner: Owner
  let base: CreateServersCommand

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    const auth = await t.gureum.services.identity.authenticate({ username: 'demo', password: t.credentials.user.password })
    owner = auth.owner
    await t.gureum.services.keypairs.create(owner, { name: 'k1' })
    base = {
      name: 'web', imageId: t.credentials.defaults.image_id, flavorId: t.credentials.defaults.flavor_id,
      networks: [{ networkId: t.credentials.defaults.network_id }], keyName: 'k1', securityGroups: [], userData: null,
      metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1,
      blockDevices: [{ sourceType: 'image', sourceId: t.credentials.defaults.image_id, destinationType: 'volume', sizeGb: 20,
        volumeType: null, deleteOnTermination: true, bootIndex: 0, deviceName: 'vda' }],
      serverGroupId: null, strictNhn: true,
    }
  })
  afterAll(async () => t?.close())

  it('builds to active, stops, starts, reboots, resizes and deletes, releasing everything', async () => {
    const servers = t.gureum.services.servers
    const created = await servers.create(owner, base)
    expect(created.serverIds).toHaveLength(1)
    const id = created.serverIds[0]
    expect((await servers.get(owner, id)).vmState).toBe('building')
    await t.drain()
    let server = await servers.get(owner, id)
    expect(server).toMatchObject({ vmState: 'active', taskState: null, powerState: 1 })
    expect(server.hostId).not.toBeNull()
    expect(server.bootVolumeId).not.toBeNull()

    await servers.stop(owner, id)
    expect((await servers.get(owner, id)).taskState).toBe('powering-off')
    await expect(servers.start(owner, id)).rejects.toMatchObject({ kind: 'invalid_state' })
    await t.drain()
    expect(await servers.get(owner, id)).toMatchObject({ vmState: 'stopped', powerState: 4 })
    await servers.start(owner, id)
    await t.drain()
    await servers.reboot(owner, id, 'hard')
    await t.drain()
    expect(await servers.get(owner, id)).toMatchObject({ vmState: 'active', taskState: null })

    const bigger = (await t.gureum.services.flavors.list(owner, {}, { limit: 100, marker: null })).items
      .find((flavor) => flavor.vcpus === 2 && flavor.diskGb === 0)!
    await servers.resize(owner, id, { flavorId: bigger.id })
    await t.drain()
    expect(await servers.get(owner, id)).toMatchObject({ vmState: 'resized', flavorId: bigger.id })
    await servers.confirmResize(owner, id)
    await t.drain()
    expect(await servers.get(owner, id)).toMatchObject({ vmState: 'active', previousFlavorId: null })

    const quotasBefore = await t.gureum.services.quotas.usage(owner)
    expect(quotasBefore.find((q) => q.resource === 'instances')?.inUse).toBe(1)
    expect(quotasBefore.find((q) => q.resource === 'cores')?.inUse).toBe(2)
    await servers.delete(owner, id)
    await t.drain()
    await expect(servers.get(owner, id)).rejects.toMatchObject({ kind: 'not_found' })
    const quotas = await t.gureum.services.quotas.usage(owner)
    for (const resource of ['instances', 'cores', 'ram', 'ports', 'volumes', 'gigabytes']) {
      expect(quotas.find((q) => q.resource === resource)?.inUse, resource).toBe(0)
    }
    const hosts = await t.gureum.services.hosts.list()
    expect(hosts.every((host) => host.vcpusUsed === 0 && host.serverCount === 0)).toBe(true)
  })
})
