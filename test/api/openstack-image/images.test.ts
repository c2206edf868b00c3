/**
 * Glance v2 through HTTP on both engines: version documents, the image document and its list, create,
 * JSON-patch updates, protection, tags, deactivation and every refusal in Glance's own error format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { createTenant, demoTenant, type Tenant } from '../../support/openstack-tenants.ts'

const PATCH = 'application/openstack-images-v2.1-json-patch'
const UBUNTU = '5396655e-166a-4875-80d2-ed8613aa054f'

describe.each(await testEngines())('Glance images (%s)', (engine) => {
  let t: TestGureum
  let demo: Tenant
  let other: Tenant
  const json = (tenant: Tenant) => ({ 'x-auth-token': tenant.token, accept: 'application/json' })
  const create = async (tenant: Tenant, body: Record<string, unknown>) =>
    t.inject('image', { method: 'POST', url: '/v2/images', headers: { ...json(tenant), 'content-type': 'application/json' }, payload: body })
  const patch = (tenant: Tenant, id: string, operations: unknown) =>
    t.inject('image', { method: 'PATCH', url: `/v2/images/${id}`, headers: { ...json(tenant), 'content-type': PATCH }, payload: JSON.stringify(operations) })
  const show = (tenant: Tenant, id: string) => t.inject('image', { method: 'GET', url: `/v2/images/${id}`, headers: json(tenant) })

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoTenant(t)
    other = await createTenant(t, 'other')
  })
  afterAll(async () => t.close())

  it('answers the version list without a token: 300 at the root, 200 at /versions', async () => {
    const root = await t.inject('image', { method: 'GET', url: '/' })
    expect(root.statusCode).toBe(300)
    const versions = root.json().versions as { id: string; status: string; links: { href: string }[] }[]
    expect(versions.find((version) => version.status === 'CURRENT')?.id).toBe('v2.5')
    expect(versions[0].links[0].href).toMatch(/\/v2\/$/)
    expect((await t.inject('image', { method: 'GET', url: '/versions' })).json()).toEqual(root.json())
  })

  it('refuses a missing, unknown or revoked token with keystonemiddleware\'s 401', async () => {
    for (const headers of [{}, { 'x-auth-token': 'not-a-token' }]) {
      const response = await t.inject('image', { method: 'GET', url: '/v2/images', headers })
      expect(response.statusCode).toBe(401)
      expect(response.json()).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } })
      expect(response.headers['www-authenticate']).toMatch(/^Keystone uri=/)
    }
    const revoked = await createTenant(t, 'revoked')
    await t.gureum.services.identity.revokeToken(revoked.token)
    expect((await t.inject('image', { method: 'GET', url: '/v2/schemas/image', headers: json(revoked) })).statusCode).toBe(401)
  })

  it('shows a seeded image with Glance\'s fields and the NHN metadata flattened at the top level', async () => {
    const response = await show(demo, UBUNTU)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      id: UBUNTU, name: 'Ubuntu Server 22.04 LTS (2024.11.19)', status: 'active', visibility: 'public', protected: false,
      os_hidden: false, tags: [], container_format: 'bare', disk_format: 'qcow2', min_disk: 10, min_ram: 0,
      size: 2_361_393_152, virtual_size: null, checksum: null, os_hash_algo: null, os_hash_value: null, owner: null,
      created_at: '2026-11-28T00:00:00Z', updated_at: '2026-11-28T00:00:00Z',
      self: `/v2/images/${UBUNTU}`, file: `/v2/images/${UBUNTU}/file`, schema: '/v2/schemas/image',
      os_distro: 'ubuntu', os_version: 'Server 22.04 LTS', os_type: 'linux', os_architecture: 'amd64',
      login_username: 'ubuntu', hypervisor_type: 'kvm', description: 'Ubuntu Server 22.04 LTS (2024.11.19)',
    })
  })

  it('lists with first/next links that walk every image once, and filters on additional properties', async () => {
    const seen: string[] = []
    let url: string | undefined = '/v2/images?limit=1&visibility=public'
    let first: string | undefined
    while (url) {
      const page = await t.inject('image', { method: 'GET', url, headers: json(demo) })
      expect(page.statusCode).toBe(200)
      const body = page.json() as { images: { id: string }[]; next?: string; first: string; schema: string }
      expect(body.schema).toBe('/v2/schemas/images')
      first ??= body.first
      seen.push(...body.images.map((image) => image.id))
      url = body.next
    }
    expect(first).toBe('/v2/images?limit=1&visibility=public')
    expect(seen).toHaveLength(3)
    expect(new Set(seen).size).toBe(3)
    const ubuntu = await t.inject('image', { method: 'GET', url: '/v2/images?os_distro=ubuntu', headers: json(demo) })
    expect(ubuntu.json().images.map((image: { id: string }) => image.id)).toEqual([UBUNTU])
    const byName = await t.inject('image', { method: 'GET', url: '/v2/images?name=Rocky%20Linux%208.10%20(2024.11.19)', headers: json(demo) })
    expect(byName.json().images).toHaveLength(1)
  })

  it('refuses list parameters it cannot honour with 400', async () => {
    for (const query of ['sort_key=name', 'sort=name:asc', 'size_min=1', 'status=bogus', 'limit=-1', 'marker=00000000-0000-0000-0000-000000000000']) {
      const response = await t.inject('image', { method: 'GET', url: `/v2/images?${query}`, headers: json(demo) })
      expect(response.statusCode, query).toBe(400)
      expect(response.json().code).toBe('400 Bad Request')
    }
  })

  it('creates a queued image (201, Location) with nulls for what is not known yet', async () => {
    const response = await create(demo, { name: 'mine', disk_format: 'qcow2', container_format: 'bare', min_disk: 1, tags: ['a', 'b'], os_distro: 'debian' })
    expect(response.statusCode).toBe(201)
    const image = response.json()
    expect(response.headers.location).toBe(`/v2/images/${image.id}`)
    expect(image).toMatchObject({
      name: 'mine', status: 'queued', visibility: 'shared', protected: false, tags: ['a', 'b'], min_disk: 1, min_ram: 0,
      size: null, checksum: null, os_hash_algo: null, os_hash_value: null, owner: demo.projectId, os_distro: 'debian',
    })
    expect(image.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })

  it('refuses bad creates in Glance\'s format and stores nothing', async () => {
    const before = (await t.inject('image', { method: 'GET', url: '/v2/images?visibility=shared', headers: json(demo) })).json().images.length
    const cases: [Record<string, unknown> | string, number][] = [
      [{ name: 'x', status: 'active' }, 403],
      [{ name: 'x', size: '12' }, 403],
      [{ name: 'x', os_glance_import: 'y' }, 403],
      [{ name: 'x', visibility: 'public' }, 403],
      [{ name: 'x', disk_format: 'floppy' }, 400],
      [{ name: 'x', min_ram: 'lots' }, 400],
      [{ name: 'x', custom: 12 }, 400],
      [{ name: 'x', disk_format: 'ami', container_format: 'bare' }, 400],
      ['{"name": ', 400],
    ]
    for (const [body, status] of cases) {
      const response = await t.inject('image', {
        method: 'POST', url: '/v2/images', headers: { ...json(demo), 'content-type': 'application/json' },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      })
      expect(response.statusCode, JSON.stringify(body)).toBe(status)
      expect(response.json().title).toBeTypeOf('string')
      expect(response.json().message).toMatch(/<br \/><br \/>/)
    }
    const after = (await t.inject('image', { method: 'GET', url: '/v2/images?visibility=shared', headers: json(demo) })).json().images.length
    expect(after).toBe(before)
  })

  it('answers errors as HTML unless JSON is asked for (webob negotiation)', async () => {
    const html = await t.inject('image', { method: 'GET', url: '/v2/images/missing', headers: { 'x-auth-token': demo.token } })
    expect(html.statusCode).toBe(404)
    expect(html.headers['content-type']).toMatch(/^text\/html/)
    expect(html.body).toContain('<title>404 Not Found</title>')
    expect(html.body).toContain('No image found with ID missing')
    const asJson = await t.inject('image', { method: 'GET', url: '/v2/images/missing', headers: json(demo) })
    expect(asJson.json()).toEqual({ message: 'No image found with ID missing<br /><br />\n\n', code: '404 Not Found', title: 'Not Found' })
  })

  it('applies a JSON-patch document: base attributes, tags and additional properties', async () => {
    const id = (await create(demo, { name: 'to-patch', keep: 'x', drop: 'y' })).json().id
    const response = await patch(demo, id, [
      { op: 'replace', path: '/name', value: 'patched' },
      { op: 'replace', path: '/min_ram', value: 512 },
      { op: 'replace', path: '/tags', value: ['t1'] },
      { op: 'add', path: '/new~1key', value: 'v' },
      { op: 'add', path: '/keep', value: 'overwritten' },
      { op: 'remove', path: '/drop' },
      { op: 'replace', path: '/disk_format', value: 'raw' },
    ])
    expect(response.statusCode).toBe(200)
    const image = response.json()
    expect(image).toMatchObject({ name: 'patched', min_ram: 512, tags: ['t1'], 'new/key': 'v', keep: 'overwritten', disk_format: 'raw' })
    expect(image).not.toHaveProperty('drop')
    expect((await show(demo, id)).json()).toEqual(image)
  })

  it('refuses bad patches and changes nothing', async () => {
    const created = (await create(demo, { name: 'stable', prop: 'v' })).json()
    const cases: [unknown, number, string?][] = [
      [[{ op: 'replace', path: '/status', value: 'active' }], 403],
      [[{ op: 'remove', path: '/name' }], 403],
      [[{ op: 'remove', path: '/absent' }], 409],
      [[{ op: 'replace', path: '/absent', value: 'x' }], 409],
      [[{ op: 'move', path: '/name', value: 'x' }], 400],
      [[{ op: 'replace', path: '/protected', value: 'yes' }], 400],
      [[{ op: 'replace', path: '/prop', value: 3 }], 400],
      [[{ op: 'replace', path: '/a/b', value: 'x' }], 400],
      [[{ op: 'replace', path: '/name', value: 'changed' }, { op: 'remove', path: '/absent' }], 409],
      [{ op: 'replace' }, 400],
    ]
    for (const [operations, status] of cases) {
      const response = await patch(demo, created.id, operations)
      expect(response.statusCode, JSON.stringify(operations)).toBe(status)
    }
    const json415 = await t.inject('image', {
      method: 'PATCH', url: `/v2/images/${created.id}`, headers: { ...json(demo), 'content-type': 'application/json' },
      payload: JSON.stringify([{ op: 'replace', path: '/name', value: 'x' }]),
    })
    expect(json415.statusCode).toBe(415)
    const malformed = await t.inject('image', { method: 'PATCH', url: `/v2/images/${created.id}`, headers: { ...json(demo), 'content-type': PATCH }, payload: '[{' })
    expect(malformed.statusCode).toBe(400)
    expect((await show(demo, created.id)).json()).toEqual(created)
    expect((await patch(other, UBUNTU, [{ op: 'replace', path: '/name', value: 'mine now' }])).statusCode).toBe(403)
  })

  it('protects a protected image from delete (403) until unprotected; then 204 and 404', async () => {
    const id = (await create(demo, { name: 'guarded', protected: true })).json().id
    const refused = await t.inject('image', { method: 'DELETE', url: `/v2/images/${id}`, headers: json(demo) })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().message).toContain('is protected')
    expect((await patch(demo, id, [{ op: 'replace', path: '/protected', value: false }])).statusCode).toBe(200)
    expect((await t.inject('image', { method: 'DELETE', url: `/v2/images/${id}`, headers: json(demo) })).statusCode).toBe(204)
    expect((await show(demo, id)).statusCode).toBe(404)
    expect((await t.inject('image', { method: 'DELETE', url: `/v2/images/${id}`, headers: json(demo) })).statusCode).toBe(404)
  })

  it('adds tags idempotently and removes them; a missing tag is 404', async () => {
    const id = (await create(demo, { name: 'tagged' })).json().id
    for (let round = 0; round < 2; round++) {
      expect((await t.inject('image', { method: 'PUT', url: `/v2/images/${id}/tags/blue`, headers: json(demo) })).statusCode).toBe(204)
    }
    expect((await show(demo, id)).json().tags).toEqual(['blue'])
    expect((await t.inject('image', { method: 'DELETE', url: `/v2/images/${id}/tags/blue`, headers: json(demo) })).statusCode).toBe(204)
    expect((await t.inject('image', { method: 'DELETE', url: `/v2/images/${id}/tags/blue`, headers: json(demo) })).statusCode).toBe(404)
    expect((await t.inject('image', { method: 'PUT', url: `/v2/images/${id}/tags/red`, headers: json(other) })).statusCode).toBe(404)
  })

  it('keeps another project\'s private image invisible (404 everywhere, never its data)', async () => {
    const id = (await create(other, { name: 'secret', visibility: 'private', disk_format: 'raw', container_format: 'bare' })).json().id
    for (const request of [
      { method: 'GET' as const, url: `/v2/images/${id}` },
      { method: 'GET' as const, url: `/v2/images/${id}/file` },
      { method: 'DELETE' as const, url: `/v2/images/${id}` },
      { method: 'GET' as const, url: `/v2/images/${id}/members` },
    ]) {
      const response = await t.inject('image', { ...request, headers: json(demo) })
      expect(response.statusCode, request.url).toBe(404)
      expect(response.body).not.toContain('secret')
    }
    const listed = (await t.inject('image', { method: 'GET', url: '/v2/images?visibility=all', headers: json(demo) })).json().images
    expect(listed.map((image: { id: string }) => image.id)).not.toContain(id)
  })

  it('deactivates (download forbidden) and reactivates an image', async () => {
    const id = (await create(demo, { name: 'toggled', disk_format: 'raw', container_format: 'bare' })).json().id
    await t.inject('image', { method: 'PUT', url: `/v2/images/${id}/file`, headers: { ...json(demo), 'content-type': 'application/octet-stream' }, payload: Buffer.from('data') })
    expect((await t.inject('image', { method: 'POST', url: `/v2/images/${id}/actions/deactivate`, headers: json(demo) })).statusCode).toBe(204)
    expect((await show(demo, id)).json().status).toBe('deactivated')
    expect((await t.inject('image', { method: 'GET', url: `/v2/images/${id}/file`, headers: json(demo) })).statusCode).toBe(403)
    expect((await t.inject('image', { method: 'POST', url: `/v2/images/${id}/actions/reactivate`, headers: json(demo) })).statusCode).toBe(204)
    expect((await t.inject('image', { method: 'GET', url: `/v2/images/${id}/file`, headers: json(demo) })).body).toBe('data')
    const queued = (await create(demo, { name: 'queued' })).json().id
    expect((await t.inject('image', { method: 'POST', url: `/v2/images/${queued}/actions/deactivate`, headers: json(demo) })).statusCode).toBe(403)
  })

  it('publishes the image schemas glanceclient validates with', async () => {
    const image = (await t.inject('image', { method: 'GET', url: '/v2/schemas/image', headers: json(demo) })).json()
    expect(image.name).toBe('image')
    expect(image.additionalProperties).toEqual({ type: 'string' })
    expect(image.properties.status.readOnly).toBe(true)
    expect(image.properties.disk_format.enum).toContain('qcow2')
    const images = (await t.inject('image', { method: 'GET', url: '/v2/schemas/images', headers: json(demo) })).json()
    expect(images.properties.images.items.name).toBe('image')
    expect((await t.inject('image', { method: 'GET', url: '/v2/schemas/member', headers: json(demo) })).json().name).toBe('member')
  })
})
