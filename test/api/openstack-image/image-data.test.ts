/**
 * Image data through HTTP on both engines: an upload streamed in and downloaded back with Glance's
 * checksums, and the refusals (wrong media type, no formats, twice, too large) that leave no data.
 */
import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { createTenant, demoTenant, type Tenant } from '../../support/openstack-tenants.ts'

const LIMIT = 64 * 1024

describe.each(await testEngines())('Glance image data (%s)', (engine) => {
  let t: TestGureum
  let demo: Tenant
  let other: Tenant
  const headers = (tenant: Tenant) => ({ 'x-auth-token': tenant.token, accept: 'application/json' })
  const createImage = async (body: Record<string, unknown>) => (await t.inject('image', {
    method: 'POST', url: '/v2/images', headers: { ...headers(demo), 'content-type': 'application/json' }, payload: body,
  })).json().id as string
  const upload = (tenant: Tenant, id: string, payload: Buffer, contentType = 'application/octet-stream') =>
    t.inject('image', { method: 'PUT', url: `/v2/images/${id}/file`, headers: { ...headers(tenant), 'content-type': contentType }, payload })

  beforeAll(async () => {
    t = await buildTestGureum({ engine, config: { imageSizeLimitBytes: LIMIT } })
    demo = await demoTenant(t)
    other = await createTenant(t, 'data-other')
  })
  afterAll(async () => t.close())

  it('uploads (204) and downloads the same bytes with Content-MD5 and Glance\'s checksums', async () => {
    const id = await createImage({ name: 'data', disk_format: 'raw', container_format: 'bare' })
    const bytes = randomBytes(40_000)
    const md5 = createHash('md5').update(bytes).digest('hex')
    expect((await upload(demo, id, bytes)).statusCode).toBe(204)
    const image = (await t.inject('image', { method: 'GET', url: `/v2/images/${id}`, headers: headers(demo) })).json()
    expect(image).toMatchObject({
      status: 'active', size: bytes.length, checksum: md5, os_hash_algo: 'sha512',
      os_hash_value: createHash('sha512').update(bytes).digest('hex'),
    })
    const download = await t.inject('image', { method: 'GET', url: `/v2/images/${id}/file`, headers: headers(demo) })
    expect(download.statusCode).toBe(200)
    expect(download.headers['content-type']).toBe('application/octet-stream')
    expect(download.headers['content-md5']).toBe(md5)
    expect(Buffer.compare(download.rawPayload, bytes)).toBe(0)
    expect((await upload(demo, id, bytes)).statusCode).toBe(409)
  })

  it('answers 204 with no body for an image without data', async () => {
    const id = await createImage({ name: 'empty' })
    const response = await t.inject('image', { method: 'GET', url: `/v2/images/${id}/file`, headers: headers(demo) })
    expect(response.statusCode).toBe(204)
    expect(response.body).toBe('')
  })

  it('refuses uploads that cannot be stored and keeps the image queued', async () => {
    const noFormats = await createImage({ name: 'no formats' })
    expect((await upload(demo, noFormats, Buffer.from('x'))).statusCode).toBe(400)
    const id = await createImage({ name: 'refused', disk_format: 'raw', container_format: 'bare' })
    const wrongType = await upload(demo, id, Buffer.from('x'), 'application/json')
    expect(wrongType.statusCode).toBe(415)
    const tooLarge = await upload(demo, id, randomBytes(LIMIT + 1))
    expect(tooLarge.statusCode).toBe(413)
    expect(tooLarge.json().code).toBe('413 Request Entity Too Large')
    expect((await upload(other, id, Buffer.from('x'))).statusCode).toBe(404)
    const image = (await t.inject('image', { method: 'GET', url: `/v2/images/${id}`, headers: headers(demo) })).json()
    expect(image).toMatchObject({ status: 'queued', size: null, checksum: null })
    expect((await t.inject('image', { method: 'GET', url: `/v2/images/${id}/file`, headers: headers(demo) })).statusCode).toBe(204)
  })
})
