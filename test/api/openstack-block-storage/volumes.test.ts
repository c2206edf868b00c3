/**
 * Cinder volumes through HTTP on both engines: versions and microversions, auth and project checks,
 * the exact volume document, lists and pages, create/update/delete rules, actions, metadata, quota and
 * isolation, each refusal in Cinder's fault format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { createTenant, demoTenant, type Tenant } from '../../support/openstack-tenants.ts'

const UBUNTU = '5396655e-166a-4875-80d2-ed8613aa054f'

/** What cinderclient sends for `openstack volume create --size 1 NAME`: every key, null when unset. */
const cinderclientBody = (name: string, size: number | string = 1) => ({
  volume: {
    size, consistencygroup_id: null, snapshot_id: null, name, description: null, volume_type: null,
    availability_zone: null, metadata: {}, imageRef: null, source_volid: null, backup_id: null,
  },
})

describe.each(await testEngines())('Cinder volumes (%s)', (engine) => {
  let t: TestGureum
  let demo: Tenant
  let other: Tenant
  const headers = (tenant: Tenant, version?: string) => ({
    'x-auth-token': tenant.token, 'content-type': 'application/json', ...(version ? { 'openstack-api-version': `volume ${version}` } : {}),
  })
  const url = (tenant: Tenant, path: string, api = 'v3') => `/${api}/${tenant.projectId}${path}`
  const createVolume = async (tenant: Tenant, body: unknown = cinderclientBody('vol')) => {
    const response = await t.inject('volume', { method: 'POST', url: url(tenant, '/volumes'), headers: headers(tenant), payload: body as object })
    expect(response.statusCode, response.body).toBe(202)
    return response.json().volume as Record<string, unknown> & { id: string }
  }
  const action = (tenant: Tenant, id: string, body: unknown, version?: string) =>
    t.inject('volume', { method: 'POST', url: url(tenant, `/volumes/${id}/action`), headers: headers(tenant, version), payload: body as object })
  const showVolume = async (tenant: Tenant, id: string) =>
    (await t.inject('volume', { method: 'GET', url: url(tenant, `/volumes/${id}`), headers: headers(tenant) })).json().volume

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoTenant(t)
    other = await createTenant(t, 'cinder-other')
  })
  afterAll(async () => t.close())

  it('lists both API versions at the root (300) without a token', async () => {
    const response = await t.inject('volume', { method: 'GET', url: '/' })
    expect(response.statusCode).toBe(300)
    const [v3, v2] = response.json().versions
    expect(v3).toMatchObject({ id: 'v3.0', status: 'CURRENT', version: '3.59', min_version: '3.0' })
    expect(v2).toMatchObject({ id: 'v2.0', version: '' })
    expect((await t.inject('volume', { method: 'GET', url: '/v3/' })).json().versions).toHaveLength(1)
  })

  it('parses and echoes the microversion; refuses bad ones', async () => {
    const list = (version?: string) => t.inject('volume', { method: 'GET', url: url(demo, '/volumes'), headers: headers(demo, version) })
    expect((await list()).headers['openstack-api-version']).toBe('volume 3.0')
    expect((await list('3.42')).headers['openstack-api-version']).toBe('volume 3.42')
    expect((await list('latest')).headers['openstack-api-version']).toBe('volume 3.59')
    const invalid = await list('three')
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().badRequest.code).toBe(400)
    const tooNew = await list('3.70')
    expect(tooNew.statusCode).toBe(406)
    expect(tooNew.json().computeFault.message).toContain('3.59')
  })

  it('refuses a missing or bad token (401, Keystone body) and a URL naming another project (400)', async () => {
    for (const token of [undefined, 'bogus']) {
      const response = await t.inject('volume', { method: 'GET', url: url(demo, '/volumes'), headers: token ? { 'x-auth-token': token } : {} })
      expect(response.statusCode).toBe(401)
      expect(response.json().error).toMatchObject({ code: 401, title: 'Unauthorized' })
    }
    const foreign = await t.inject('volume', { method: 'GET', url: `/v3/${other.projectId}/volumes`, headers: headers(demo) })
    expect(foreign.statusCode).toBe(400)
    expect(foreign.json()).toEqual({ badRequest: { code: 400, message: 'Malformed request url' } })
  })

  it('creates a volume as cinderclient asks and shows Cinder\'s exact volume document', async () => {
    const volume = await createVolume(demo, cinderclientBody('exact', '2'))
    expect(volume).toEqual({
      id: volume.id, name: 'exact', description: null, status: 'available', size: 2, availability_zone: 'kr-pub-a',
      created_at: '2026-11-28T00:00:00.000000', updated_at: '2026-11-28T00:00:00.000000', attachments: [],
      volume_type: 'General HDD', snapshot_id: null, source_volid: null, metadata: {},
      links: [
        { href: `http://localhost:80/v3/${demo.projectId}/volumes/${volume.id}`, rel: 'self' },
        { href: `http://localhost:80/${demo.projectId}/volumes/${volume.id}`, rel: 'bookmark' },
      ],
      user_id: expect.any(String), bootable: 'false', encrypted: false, replication_status: 'disabled',
      consistencygroup_id: null, multiattach: false, 'os-vol-tenant-attr:tenant_id': demo.projectId,
    })
    expect(await showVolume(demo, volume.id)).toEqual(volume)
    const v2 = await t.inject('volume', { method: 'GET', url: url(demo, `/volumes/${volume.id}`, 'v2'), headers: headers(demo) })
    expect(v2.json().volume.links[0].href).toContain('/v2/')
    const newer = await t.inject('volume', { method: 'GET', url: url(demo, `/volumes/${volume.id}`), headers: headers(demo, '3.48') })
    expect(newer.json().volume).toMatchObject({ group_id: null, shared_targets: false, service_uuid: expect.any(String) })
  })

  it('creates a bootable volume from an image and copies from a volume with its size', async () => {
    const fromImage = await createVolume(demo, { volume: { size: 10, imageRef: UBUNTU, name: 'boot' } })
    expect(fromImage).toMatchObject({ bootable: 'true', volume_image_metadata: { image_id: UBUNTU } })
    const copy = await createVolume(demo, { volume: { source_volid: fromImage.id } })
    expect(copy).toMatchObject({ size: 10, source_volid: fromImage.id, bootable: 'true' })
    const tooSmall = await t.inject('volume', { method: 'POST', url: url(demo, '/volumes'), headers: headers(demo), payload: { volume: { size: 1, imageRef: UBUNTU } } })
    expect(tooSmall.statusCode).toBe(400)
  })

  it('refuses bad creates with badRequest/itemNotFound and creates nothing', async () => {
    const before = (await t.inject('volume', { method: 'GET', url: url(demo, '/volumes'), headers: headers(demo) })).json().volumes.length
    const cases: [unknown, number][] = [
      [{ volume: { name: 'no size' } }, 400],
      [{ volume: { size: 0 } }, 400],
      [{ volume: { size: 'big' } }, 400],
      [{ volume: { size: 1, volume_type: 'Platinum' } }, 404],
      [{ volume: { size: 1, snapshot_id: 'missing' } }, 404],
      [{ volume: { size: 1, consistencygroup_id: 'cg' } }, 400],
      [{ volume: { size: 1, metadata: { k: { nested: true } } } }, 400],
      [{ size: 1 }, 400],
      [{ volume: { size: 1, availability_zone: 'kr-pub-z' } }, 400],
    ]
    for (const [payload, status] of cases) {
      const response = await t.inject('volume', { method: 'POST', url: url(demo, '/volumes'), headers: headers(demo), payload: payload as object })
      expect(response.statusCode, JSON.stringify(payload)).toBe(status)
      expect(Object.keys(response.json())).toEqual([status === 404 ? 'itemNotFound' : 'badRequest'])
    }
    const unknownZone = await t.inject('volume', { method: 'POST', url: url(demo, '/volumes'), headers: headers(demo), payload: { volume: { size: 1, availability_zone: 'kr-pub-z' } } })
    expect(unknownZone.json().badRequest.message).toContain('kr-pub-z')
    const malformed = await t.inject('volume', { method: 'POST', url: url(demo, '/volumes'), headers: headers(demo), payload: '{"volume":' })
    expect(malformed.json()).toEqual({ badRequest: { code: 400, message: 'Malformed request body' } })
    expect((await t.inject('volume', { method: 'GET', url: url(demo, '/volumes'), headers: headers(demo) })).json().volumes.length).toBe(before)
  })

  it('pages lists newest first with volumes_links, filters by name, and refuses unserved sorts', async () => {
    const tenant = await createTenant(t, 'pager')
    const ids: string[] = []
    for (let index = 0; index < 3; index++) {
      t.clock.advance(1000)
      ids.push((await createVolume(tenant, cinderclientBody(`page-${index}`))).id)
    }
    const seen: string[] = []
    let next: string | undefined = url(tenant, '/volumes/detail?limit=2')
    while (next) {
      const page = await t.inject('volume', { method: 'GET', url: next.replace(/^http:\/\/localhost:80/, ''), headers: headers(tenant) })
      const body = page.json() as { volumes: { id: string }[]; volumes_links?: { href: string; rel: string }[] }
      seen.push(...body.volumes.map((volume) => volume.id))
      next = body.volumes_links?.[0].href
    }
    expect(seen).toEqual([...ids].reverse())
    const ascending = await t.inject('volume', { method: 'GET', url: url(tenant, '/volumes?sort=created_at:asc'), headers: headers(tenant) })
    expect(ascending.json().volumes.map((volume: { id: string }) => volume.id)).toEqual(ids)
    expect(ascending.json().volumes[0]).toEqual({ id: ids[0], name: 'page-0', links: expect.any(Array) })
    const named = await t.inject('volume', { method: 'GET', url: url(tenant, '/volumes/detail?name=page-1'), headers: headers(tenant) })
    expect(named.json().volumes.map((volume: { id: string }) => volume.id)).toEqual([ids[1]])
    expect((await t.inject('volume', { method: 'GET', url: url(tenant, '/volumes?sort=size:asc'), headers: headers(tenant) })).statusCode).toBe(400)
    expect((await t.inject('volume', { method: 'GET', url: url(tenant, '/volumes?marker=nope'), headers: headers(tenant) })).statusCode).toBe(400)
  })

  it('updates name, description and metadata; metadata routes merge, replace and delete', async () => {
    const volume = await createVolume(demo)
    const updated = await t.inject('volume', { method: 'PUT', url: url(demo, `/volumes/${volume.id}`), headers: headers(demo), payload: { volume: { name: 'renamed', description: 'about' } } })
    expect(updated.json().volume).toMatchObject({ name: 'renamed', description: 'about' })
    expect((await t.inject('volume', { method: 'PUT', url: url(demo, `/volumes/${volume.id}`), headers: headers(demo), payload: { volume: {} } })).statusCode).toBe(400)
    const metadata = (method: 'POST' | 'PUT', body: Record<string, string>) =>
      t.inject('volume', { method, url: url(demo, `/volumes/${volume.id}/metadata`), headers: headers(demo), payload: { metadata: body } })
    expect((await metadata('POST', { a: '1' })).json()).toEqual({ metadata: { a: '1' } })
    expect((await metadata('POST', { b: '2' })).json()).toEqual({ metadata: { a: '1', b: '2' } })
    expect((await metadata('PUT', { c: '3' })).json()).toEqual({ metadata: { c: '3' } })
    const item = await t.inject('volume', { method: 'PUT', url: url(demo, `/volumes/${volume.id}/metadata/d`), headers: headers(demo), payload: { meta: { d: '4' } } })
    expect(item.json()).toEqual({ meta: { d: '4' } })
    expect((await t.inject('volume', { method: 'PUT', url: url(demo, `/volumes/${volume.id}/metadata/d`), headers: headers(demo), payload: { meta: { e: '4' } } })).statusCode).toBe(400)
    expect((await t.inject('volume', { method: 'GET', url: url(demo, `/volumes/${volume.id}/metadata/d`), headers: headers(demo) })).json()).toEqual({ meta: { d: '4' } })
    const deleted = await t.inject('volume', { method: 'DELETE', url: url(demo, `/volumes/${volume.id}/metadata/d`), headers: headers(demo) })
    expect(deleted.statusCode).toBe(200)
    expect(deleted.body).toBe('')
    expect((await t.inject('volume', { method: 'GET', url: url(demo, `/volumes/${volume.id}/metadata/d`), headers: headers(demo) })).statusCode).toBe(404)
    expect((await showVolume(demo, volume.id)).metadata).toEqual({ c: '3' })
  })

  it('extends, sets bootable and the read-only flag; refuses unknown and attach-bookkeeping actions', async () => {
    const volume = await createVolume(demo)
    const extended = await action(demo, volume.id, { 'os-extend': { new_size: 3 } })
    expect(extended.statusCode).toBe(202)
    expect(extended.body).toBe('')
    expect((await showVolume(demo, volume.id)).size).toBe(3)
    const shrink = await action(demo, volume.id, { 'os-extend': { new_size: 2 } })
    expect(shrink.statusCode).toBe(400)
    expect((await action(demo, volume.id, { 'os-extend': { new_size: 'x' } })).statusCode).toBe(400)
    expect((await action(demo, volume.id, { 'os-set_bootable': { bootable: 'True' } })).statusCode).toBe(200)
    expect((await action(demo, volume.id, { 'os-update_readonly_flag': { readonly: true } })).statusCode).toBe(202)
    expect(await showVolume(demo, volume.id)).toMatchObject({ bootable: 'true', metadata: { readonly: 'True' } })
    expect((await action(demo, volume.id, { 'os-frobnicate': {} })).json()).toEqual({ badRequest: { code: 400, message: 'There is no such action: os-frobnicate' } })
    const reserve = await action(demo, volume.id, { 'os-reserve': {} })
    expect(reserve.statusCode).toBe(501)
    expect(reserve.json().notImplemented.message).toContain('os-volume_attachments')
    expect((await action(demo, volume.id, { 'os-extend': { new_size: 4 }, 'os-set_bootable': { bootable: true } })).statusCode).toBe(400)
    expect((await action(other, volume.id, { 'os-reserve': {} })).statusCode).toBe(404)
    expect((await t.inject('volume', { method: 'POST', url: url(other, `/volumes/${volume.id}/action`), headers: headers(other), payload: { 'os-extend': { new_size: 9 } } })).statusCode).toBe(404)
    expect((await showVolume(demo, volume.id)).size).toBe(3)
  })

  it('never shows another project\'s volume (404) nor changes it', async () => {
    const volume = await createVolume(demo)
    for (const request of [
      { method: 'GET' as const, url: url(other, `/volumes/${volume.id}`) },
      { method: 'PUT' as const, url: url(other, `/volumes/${volume.id}`), payload: { volume: { name: 'taken' } } },
      { method: 'DELETE' as const, url: url(other, `/volumes/${volume.id}`) },
      { method: 'GET' as const, url: url(other, `/volumes/${volume.id}/metadata`) },
    ]) {
      const response = await t.inject('volume', { ...request, headers: headers(other) })
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(404)
      expect(response.json().itemNotFound.code).toBe(404)
    }
    const listed = (await t.inject('volume', { method: 'GET', url: url(other, '/volumes'), headers: headers(other) })).json().volumes
    expect(listed.map((item: { id: string }) => item.id)).not.toContain(volume.id)
    expect((await showVolume(demo, volume.id)).name).toBe('vol')
  })

  it('answers 413 overLimit with Retry-After when the volumes quota is used up', async () => {
    const tenant = await createTenant(t, 'quota')
    await t.gureum.services.quotas.setLimits({ projectId: tenant.projectId, userId: 'admin', roles: ['admin'] }, tenant.projectId, { volumes: 1 })
    await createVolume(tenant)
    const refused = await t.inject('volume', { method: 'POST', url: url(tenant, '/volumes'), headers: headers(tenant), payload: cinderclientBody('second') })
    expect(refused.statusCode).toBe(413)
    expect(refused.headers['retry-after']).toBe('0')
    expect(refused.json().overLimit.code).toBe(413)
    expect((await t.inject('volume', { method: 'GET', url: url(tenant, '/volumes'), headers: headers(tenant) })).json().volumes).toHaveLength(1)
  })

  it('deletes an available volume (202, then 404) and refuses one with snapshots unless cascading', async () => {
    const volume = await createVolume(demo)
    await t.inject('volume', { method: 'POST', url: url(demo, '/snapshots'), headers: headers(demo), payload: { snapshot: { volume_id: volume.id } } })
    const refused = await t.inject('volume', { method: 'DELETE', url: url(demo, `/volumes/${volume.id}`), headers: headers(demo) })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().badRequest.message).toContain('snapshots')
    const cascaded = await t.inject('volume', { method: 'DELETE', url: url(demo, `/volumes/${volume.id}?cascade=true`), headers: headers(demo) })
    expect(cascaded.statusCode).toBe(202)
    expect((await t.inject('volume', { method: 'GET', url: url(demo, `/volumes/${volume.id}`), headers: headers(demo) })).statusCode).toBe(404)
  })
})
