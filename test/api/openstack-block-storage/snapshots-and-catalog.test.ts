/**
 * Cinder snapshots, volume types, zones, limits, quota sets and extensions through HTTP on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { createTenant, demoTenant, type Tenant } from '../../support/openstack-tenants.ts'

describe.each(await testEngines())('Cinder snapshots and catalog (%s)', (engine) => {
  let t: TestGureum
  let demo: Tenant
  let other: Tenant
  const headers = (tenant: Tenant, version?: string) => ({
    'x-auth-token': tenant.token, 'content-type': 'application/json', ...(version ? { 'openstack-api-version': `volume ${version}` } : {}),
  })
  const url = (tenant: Tenant, path: string) => `/v3/${tenant.projectId}${path}`
  const get = (tenant: Tenant, path: string, version?: string) => t.inject('volume', { method: 'GET', url: url(tenant, path), headers: headers(tenant, version) })
  const createVolume = async (tenant: Tenant, size = 1) =>
    (await t.inject('volume', { method: 'POST', url: url(tenant, '/volumes'), headers: headers(tenant), payload: { volume: { size } } })).json().volume.id as string

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoTenant(t)
    other = await createTenant(t, 'snap-other')
  })
  afterAll(async () => t.close())

  it('creates a snapshot (202) as openstackclient asks and shows Cinder\'s snapshot document', async () => {
    const volumeId = await createVolume(demo, 2)
    const created = await t.inject('volume', {
      method: 'POST', url: url(demo, '/snapshots'), headers: headers(demo),
      payload: { snapshot: { volume_id: volumeId, force: false, name: 'snap', description: null, metadata: {} } },
    })
    expect(created.statusCode).toBe(202)
    const snapshot = created.json().snapshot
    expect(snapshot).toEqual({
      id: snapshot.id, name: 'snap', description: null, volume_id: volumeId, status: 'available', size: 2, metadata: {},
      created_at: '2026-11-28T00:00:00.000000', updated_at: '2026-11-28T00:00:00.000000',
      'os-extended-snapshot-attributes:progress': '100%', 'os-extended-snapshot-attributes:project_id': demo.projectId,
    })
    expect((await get(demo, `/snapshots/${snapshot.id}`)).json().snapshot).toEqual(snapshot)
    expect((await get(demo, `/snapshots/${snapshot.id}`, '3.14')).json().snapshot.group_snapshot_id).toBeNull()
    const plain = (await get(demo, '/snapshots')).json().snapshots.find((item: { id: string }) => item.id === snapshot.id)
    expect(plain).not.toHaveProperty('os-extended-snapshot-attributes:project_id')
    const detail = (await get(demo, `/snapshots/detail?volume_id=${volumeId}`)).json().snapshots
    expect(detail).toEqual([snapshot])

    const renamed = await t.inject('volume', { method: 'PUT', url: url(demo, `/snapshots/${snapshot.id}`), headers: headers(demo), payload: { snapshot: { name: 'renamed' } } })
    expect(renamed.json().snapshot.name).toBe('renamed')
    const fromSnapshot = await t.inject('volume', { method: 'POST', url: url(demo, '/volumes'), headers: headers(demo), payload: { volume: { snapshot_id: snapshot.id } } })
    expect(fromSnapshot.json().volume).toMatchObject({ size: 2, snapshot_id: snapshot.id })

    const deleted = await t.inject('volume', { method: 'DELETE', url: url(demo, `/snapshots/${snapshot.id}`), headers: headers(demo) })
    expect(deleted.statusCode).toBe(202)
    expect((await get(demo, `/snapshots/${snapshot.id}`)).statusCode).toBe(404)
  })

  it('refuses bad snapshot requests and hides other projects\' snapshots', async () => {
    const volumeId = await createVolume(demo)
    const cases: [unknown, number][] = [
      [{ snapshot: {} }, 400],
      [{ snapshot: { volume_id: volumeId, force: 'maybe' } }, 400],
      [{ snapshot: { volume_id: 'missing' } }, 404],
      [{ snapshot: { volume_id: volumeId, unknown: 1 } }, 400],
    ]
    for (const [payload, status] of cases) {
      const response = await t.inject('volume', { method: 'POST', url: url(demo, '/snapshots'), headers: headers(demo), payload: payload as object })
      expect(response.statusCode, JSON.stringify(payload)).toBe(status)
    }
    const mine = (await t.inject('volume', { method: 'POST', url: url(demo, '/snapshots'), headers: headers(demo), payload: { snapshot: { volume_id: volumeId } } })).json().snapshot.id
    expect((await get(other, `/snapshots/${mine}`)).statusCode).toBe(404)
    expect((await t.inject('volume', { method: 'DELETE', url: url(other, `/snapshots/${mine}`), headers: headers(other) })).statusCode).toBe(404)
    expect((await t.inject('volume', { method: 'POST', url: url(other, '/snapshots'), headers: headers(other), payload: { snapshot: { volume_id: volumeId } } })).statusCode).toBe(404)
    expect((await get(other, '/snapshots')).json().snapshots).toEqual([])
  })

  it('lists volume types (user-visible extra specs only) and shows one by id or name', async () => {
    const types = (await get(demo, '/types')).json().volume_types as { id: string; name: string }[]
    expect(types.map((type) => type.name)).toEqual(['General HDD', 'General SSD'])
    expect(types[0]).toEqual({
      id: types[0].id, name: 'General HDD', description: 'HDD volume', is_public: true, 'os-volume-type-access:is_public': true, extra_specs: {},
    })
    expect((await get(demo, `/types/${types[1].id}`)).json().volume_type.name).toBe('General SSD')
    expect((await get(demo, '/types/General%20SSD')).json().volume_type.id).toBe(types[1].id)
    expect((await get(demo, '/types/missing')).json().itemNotFound.code).toBe(404)
  })

  it('shows zones, limits and quota sets with usage; another project\'s quota is forbidden', async () => {
    const tenant = await createTenant(t, 'limits')
    await createVolume(tenant, 3)
    expect((await get(tenant, '/os-availability-zone')).json().availabilityZoneInfo[0]).toEqual({ zoneName: 'kr-pub-a', zoneState: { available: true } })
    expect((await get(tenant, '/limits')).json().limits.absolute).toMatchObject({ maxTotalVolumes: 10, totalVolumesUsed: 1, totalGigabytesUsed: 3 })
    const usage = (await get(tenant, `/os-quota-sets/${tenant.projectId}?usage=true`)).json().quota_set
    expect(usage).toMatchObject({ id: tenant.projectId, volumes: { limit: 10, in_use: 1, reserved: 0, allocated: 0 }, gigabytes: { limit: 1000, in_use: 3 } })
    expect((await get(tenant, `/os-quota-sets/${tenant.projectId}`)).json().quota_set.volumes).toBe(10)
    // cinderclient (openstackclient's `quota show`) sends Python's spelling.
    expect((await get(tenant, `/os-quota-sets/${tenant.projectId}?usage=False`)).json().quota_set.volumes).toBe(10)
    expect((await get(tenant, `/os-quota-sets/${tenant.projectId}?usage=True`)).json().quota_set.volumes).toMatchObject({ limit: 10, in_use: 1 })
    const invalid = await get(tenant, `/os-quota-sets/${tenant.projectId}?usage=maybe`)
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().badRequest.code).toBe(400)
    expect((await get(tenant, `/os-quota-sets/${tenant.projectId}/defaults`)).json().quota_set.snapshots).toBe(10)
    const forbidden = await get(tenant, `/os-quota-sets/${demo.projectId}`)
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.json().forbidden.code).toBe(403)
    expect((await get(tenant, '/extensions')).json()).toEqual({ extensions: [] })
  })
})
