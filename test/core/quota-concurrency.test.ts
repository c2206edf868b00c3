import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../support/build-app.ts'
import { testEngines } from '../support/stores.ts'
import type { Owner } from '../../src/core/shared/owner.ts'

describe.each(await testEngines())('quotas under 200 concurrent requests (%s)', (engine) => {
  let t: TestGureum
  let owner: Owner

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    owner = (await t.gureum.services.identity.authenticate({ username: 'demo', password: t.credentials.user.password })).owner
    const admin = (await t.gureum.services.identity.authenticate({ username: 'admin', password: t.credentials.admin.password })).owner
    await t.gureum.services.quotas.setLimits(admin, owner.projectId, { instances: 37, cores: 1000, ram: 10_000_000, ports: 1000 })
  })
  afterAll(async () => t?.close())

  it('accepts exactly as many servers as the instances quota allows and refuses the rest with quota_exceeded', async () => {
    const flavor = (await t.gureum.services.flavors.list(owner, {}, { limit: 100, marker: null })).items
      .find((candidate) => candidate.diskGb > 0 || candidate.name.startsWith('u2.'))!
    const attempts = await Promise.allSettled(Array.from({ length: 200 }, (_, index) => t.gureum.services.servers.create(owner, {
      name: `q-${index}`, imageId: t.credentials.defaults.image_id, flavorId: flavor.id,
      networks: [{ networkId: t.credentials.defaults.network_id }], keyName: null, securityGroups: [], userData: null,
      metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1, blockDevices: [], serverGroupId: null, strictNhn: false,
    })))
    const accepted = attempts.filter((attempt) => attempt.status === 'fulfilled')
    const refused = attempts.filter((attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected')
    expect(accepted).toHaveLength(37)
    expect(refused).toHaveLength(163)
    for (const failure of refused) expect(failure.reason).toMatchObject({ kind: 'quota_exceeded', quota: 'instances' })

    const usage = await t.gureum.services.quotas.usage(owner)
    expect(usage.find((quota) => quota.resource === 'instances')?.inUse).toBe(37)
    expect(usage.find((quota) => quota.resource === 'cores')?.inUse).toBe(37 * flavor.vcpus)
    expect(usage.find((quota) => quota.resource === 'ports')?.inUse).toBe(37)
    const listed = await t.gureum.services.servers.list(owner, { limit: 1000, marker: null })
    expect(listed.items).toHaveLength(37)
  })
})
