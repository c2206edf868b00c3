import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import {
  adminCaller, compute, demoCaller, faultOf, keysOf, newTenant, sample, shapeOf, type Caller,
} from './catalog-fixture.ts'

/** A real OpenSSH ed25519 public key (`ssh-ed25519 <base64> <comment>`). */
function sshPublicKey(comment: string): string {
  const { publicKey } = generateKeyPairSync('ed25519')
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  const type = Buffer.from('ssh-ed25519')
  const blob = Buffer.concat([u32(type.length), type, u32(raw.length), raw])
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4)
  buffer.writeUInt32BE(value)
  return buffer
}

const MICROSECOND_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/

describe.each(await testEngines())('nhn-instance-v2 keypairs (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let admin: Caller

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    admin = await adminCaller(t)
  })
  afterAll(async () => { await t.close() })

  const create = (caller: Caller, keypair: Record<string, unknown>, microversion?: string) =>
    compute(t, caller, { method: 'POST', path: '/os-keypairs', payload: { keypair }, microversion })
  const names = async (caller: Caller, query = '', microversion?: string) =>
    ((await compute(t, caller, { path: `/os-keypairs${query}`, microversion })).json().keypairs as { keypair: { name: string } }[])
      .map((entry) => entry.keypair.name)

  describe('doc-verified: the seeds\' request examples', () => {
    it('imports the guide\'s keypair (N-6) and answers in the shape of seeds 001/002 with a SHA256 fingerprint', async () => {
      const request = sample<{ keypair: { name: string; public_key: string } }>('keypair-create-request.json')
      // The guide elides the key ("ssh-rsa ... Generated-by-Nova"); a real one takes its place.
      const publicKey = sshPublicKey('Generated-by-Nova')
      const response = await create(demo, { ...request.keypair, public_key: publicKey })
      expect(response.statusCode).toBe(200)
      const { keypair } = response.json()
      expect(shapeOf(response.json())).toEqual(shapeOf(sample('keypair-create-response.json')))
      expect(keysOf(keypair)).toEqual(keysOf(sample<{ keypair: object }>('keypair-create-response.legacy.json').keypair))
      expect(keypair).toEqual({
        fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/),
        name: 'keypair-d20a3d59-9433-4b79-8726-20b431d89c78',
        public_key: publicKey,
        user_id: demo.userId,
      })
    })

    it('lists (N-4) and shows (N-5) it in the guides\' shapes', async () => {
      const list = await compute(t, demo, { path: '/os-keypairs' })
      expect(list.statusCode).toBe(200)
      expect(shapeOf(list.json())).toEqual(shapeOf(sample('keypairs-list.json')))

      const name = 'keypair-d20a3d59-9433-4b79-8726-20b431d89c78'
      const shown = await compute(t, demo, { path: `/os-keypairs/${name}` })
      expect(shown.statusCode).toBe(200)
      expect(shapeOf(shown.json())).toEqual(shapeOf(sample('keypair-show.json')))
      const { keypair } = shown.json()
      expect(keypair).toMatchObject({
        name, user_id: demo.userId, deleted: false, updated_at: null, deleted_at: null,
        // The test clock is frozen at 2026-11-28T00:00:00Z.
        created_at: '2026-11-28T00:00:00.000000',
        fingerprint: list.json().keypairs[0].keypair.fingerprint,
        public_key: list.json().keypairs[0].keypair.public_key,
      })
      expect(keypair.created_at).toMatch(MICROSECOND_TIME)
      expect(Number.isInteger(keypair.id)).toBe(true)
    })

    it('deletes it (N-7) with 202 and no body', async () => {
      const response = await compute(t, demo, { method: 'DELETE', path: '/os-keypairs/keypair-d20a3d59-9433-4b79-8726-20b431d89c78' })
      expect(response.statusCode).toBe(202)
      expect(response.body).toBe('')
      expect(await names(demo)).not.toContain('keypair-d20a3d59-9433-4b79-8726-20b431d89c78')
    })
  })

  it('generates a pair when public_key is omitted, handing out the private key only once', async () => {
    const response = await create(demo, { name: 'generated' })
    expect(response.statusCode).toBe(200)
    const { keypair } = response.json()
    expect(keysOf(keypair)).toEqual(['fingerprint', 'name', 'private_key', 'public_key', 'user_id'])
    expect(keypair.private_key).toMatch(/^-----BEGIN (RSA )?PRIVATE KEY-----\n/)
    expect(keypair.public_key).toMatch(/^ssh-rsa AAAA/)
    const shown = (await compute(t, demo, { path: '/os-keypairs/generated' })).json().keypair
    expect(shown).not.toHaveProperty('private_key')
    expect(shown.fingerprint).toBe(keypair.fingerprint)
    expect(shown.public_key).toBe(keypair.public_key)
    await compute(t, demo, { method: 'DELETE', path: '/os-keypairs/generated' })
  })

  describe('microversions', () => {
    it('answers 201 with `type` from 2.2, lists and shows `type`, and deletes with 204', async () => {
      const created = await create(demo, { name: 'typed', public_key: sshPublicKey('typed'), type: 'ssh' }, '2.2')
      expect(created.statusCode).toBe(201)
      expect(created.json().keypair.type).toBe('ssh')
      expect(created.headers['openstack-api-version']).toBe('compute 2.2')
      const list = (await compute(t, demo, { path: '/os-keypairs', microversion: '2.10' })).json()
      expect(list.keypairs.find((entry: { keypair: { name: string } }) => entry.keypair.name === 'typed').keypair.type).toBe('ssh')
      expect((await compute(t, demo, { path: '/os-keypairs/typed', microversion: '2.2' })).json().keypair.type).toBe('ssh')
      expect((await compute(t, demo, { path: '/os-keypairs/typed' })).json().keypair).not.toHaveProperty('type')
      const deleted = await compute(t, demo, { method: 'DELETE', path: '/os-keypairs/typed', microversion: '2.2' })
      expect(deleted.statusCode).toBe(204)
      expect(deleted.body).toBe('')
    })

    it('refuses `type` below 2.2 and x509 keys at any version', async () => {
      const early = await create(demo, { name: 'early', type: 'ssh' })
      expect(early.statusCode).toBe(400)
      const x509 = await create(demo, { name: 'cert', public_key: sshPublicKey('c'), type: 'x509' }, '2.2')
      expect(x509.statusCode).toBe(400)
      expect(await names(demo)).not.toContain('early')
      expect(await names(demo)).not.toContain('cert')
    })

    it('pages with limit and marker from 2.35 only, linking the next page', async () => {
      const tenant = await newTenant(t)
      for (const name of ['k1', 'k2', 'k3', 'k4', 'k5']) {
        expect((await create(tenant, { name, public_key: sshPublicKey(name) })).statusCode).toBe(200)
      }
      expect(await names(tenant, '?limit=2')).toEqual(['k1', 'k2', 'k3', 'k4', 'k5'])

      const first = (await compute(t, tenant, { path: '/os-keypairs?limit=2', microversion: '2.35' })).json()
      expect(first.keypairs.map((entry: { keypair: { name: string } }) => entry.keypair.name)).toEqual(['k1', 'k2'])
      expect(first.keypairs_links).toEqual([
        { href: `http://localhost:80/v2/${tenant.tenantId}/os-keypairs?limit=2&marker=k2`, rel: 'next' },
      ])
      expect(await names(tenant, '?limit=2&marker=k2', '2.35')).toEqual(['k3', 'k4'])
      const last = (await compute(t, tenant, { path: '/os-keypairs?limit=2&marker=k4', microversion: '2.35' })).json()
      expect(last.keypairs.map((entry: { keypair: { name: string } }) => entry.keypair.name)).toEqual(['k5'])
      expect(last).not.toHaveProperty('keypairs_links')

      const badMarker = await compute(t, tenant, { path: '/os-keypairs?marker=nope', microversion: '2.35' })
      expect(badMarker.statusCode).toBe(400)
      const badLimit = await compute(t, tenant, { path: '/os-keypairs?limit=1.5', microversion: '2.35' })
      expect(badLimit.statusCode).toBe(400)
    })
  })

  describe('errors', () => {
    it('answers a duplicate name with 409 conflictingRequest and keeps the first key', async () => {
      const first = sshPublicKey('first')
      expect((await create(demo, { name: 'dup', public_key: first })).statusCode).toBe(200)
      const again = await create(demo, { name: 'dup' })
      expect(again.statusCode).toBe(409)
      expect(faultOf(again)).toMatchObject({ name: 'conflictingRequest', code: 409 })
      expect((await compute(t, demo, { path: '/os-keypairs/dup' })).json().keypair.public_key).toBe(first)
      await compute(t, demo, { method: 'DELETE', path: '/os-keypairs/dup' })
    })

    it.each([
      ['malformed JSON', { rawBody: '{"keypair": ' }],
      ['no body', {}],
      ['no keypair object', { payload: { name: 'x' } }],
      ['a missing name', { payload: { keypair: { public_key: 'ssh-ed25519 AAAA' } } }],
      ['a number for the name', { payload: { keypair: { name: 123 } } }],
      ['an empty name', { payload: { keypair: { name: '' } } }],
      ['unsafe characters in the name', { payload: { keypair: { name: 'a/b' } } }],
      ['an unknown field', { payload: { keypair: { name: 'x', color: 'red' } } }],
      ['an invalid public key', { payload: { keypair: { name: 'x', public_key: 'ssh-rsa not-base64!' } } }],
      ['a private key for the public one', { payload: { keypair: { name: 'x', public_key: '-----BEGIN OPENSSH PRIVATE KEY-----' } } }],
    ])('refuses %s with 400 badRequest and creates nothing', async (_what, request) => {
      const before = await names(demo)
      const response = await compute(t, demo, { method: 'POST', path: '/os-keypairs', ...request })
      expect(response.statusCode).toBe(400)
      expect(faultOf(response)).toMatchObject({ name: 'badRequest', code: 400 })
      expect(await names(demo)).toEqual(before)
    })

    it('answers unknown names with 404 itemNotFound', async () => {
      for (const method of ['GET', 'DELETE'] as const) {
        const response = await compute(t, demo, { method, path: '/os-keypairs/missing' })
        expect(response.statusCode).toBe(404)
        expect(faultOf(response)).toEqual({ name: 'itemNotFound', code: 404, message: 'Keypair missing could not be found.' })
      }
    })

    it('answers 403 when the key_pairs quota is used up', async () => {
      const tenant = await newTenant(t)
      const adminOwner = (await t.gureum.services.identity.validateToken(admin.token)).owner
      await t.gureum.services.quotas.setLimits(adminOwner, tenant.tenantId, { key_pairs: 1 })
      expect((await create(tenant, { name: 'one', public_key: sshPublicKey('one') })).statusCode).toBe(200)
      const over = await create(tenant, { name: 'two', public_key: sshPublicKey('two') })
      expect(over.statusCode).toBe(403)
      expect(faultOf(over).name).toBe('forbidden')
      expect(faultOf(over).message).toContain('key_pairs')
      expect(await names(tenant)).toEqual(['one'])
      // Deleting gives the quota back.
      await compute(t, tenant, { method: 'DELETE', path: '/os-keypairs/one' })
      expect((await create(tenant, { name: 'two', public_key: sshPublicKey('two') })).statusCode).toBe(200)
    })

    it('lets readers look but not create or delete (403)', async () => {
      const reader = await newTenant(t, 'reader')
      expect((await compute(t, reader, { path: '/os-keypairs' })).statusCode).toBe(200)
      expect((await create(reader, { name: 'r', public_key: sshPublicKey('r') })).statusCode).toBe(403)
      expect((await compute(t, reader, { method: 'DELETE', path: '/os-keypairs/r' })).statusCode).toBe(403)
    })

    it('handles names with spaces and dots in the URL', async () => {
      expect((await create(demo, { name: 'my key.v2@home', public_key: sshPublicKey('x') })).statusCode).toBe(200)
      const shown = await compute(t, demo, { path: `/os-keypairs/${encodeURIComponent('my key.v2@home')}` })
      expect(shown.statusCode).toBe(200)
      expect(shown.json().keypair.name).toBe('my key.v2@home')
      expect((await compute(t, demo, { method: 'DELETE', path: '/os-keypairs/my%20key.v2%40home' })).statusCode).toBe(202)
    })
  })

  describe('tenant isolation', () => {
    it('never shows, deletes or collides with another project\'s keypair', async () => {
      const other = await newTenant(t)
      expect((await create(other, { name: 'theirs', public_key: sshPublicKey('theirs') })).statusCode).toBe(200)
      expect(await names(demo)).not.toContain('theirs')
      expect((await compute(t, demo, { path: '/os-keypairs/theirs' })).statusCode).toBe(404)
      expect((await compute(t, demo, { method: 'DELETE', path: '/os-keypairs/theirs' })).statusCode).toBe(404)
      // The same name is free in this project.
      expect((await create(demo, { name: 'theirs', public_key: sshPublicKey('mine') })).statusCode).toBe(200)
      expect((await compute(t, other, { path: '/os-keypairs/theirs' })).json().keypair.public_key).toMatch(/ theirs$/)
      await compute(t, demo, { method: 'DELETE', path: '/os-keypairs/theirs' })
    })

    it('refuses another tenant in the URL (400) and a missing token (401)', async () => {
      const other = await newTenant(t)
      const mismatch = await compute(t, { ...demo, tenantId: other.tenantId }, { path: '/os-keypairs' })
      expect(mismatch.statusCode).toBe(400)
      const anonymous = await t.inject('compute', {
        method: 'POST', url: `/v2/${demo.tenantId}/os-keypairs`,
        headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ keypair: { name: 'anon' } }),
      })
      expect(anonymous.statusCode).toBe(401)
      expect(await names(demo)).not.toContain('anon')
    })
  })
})
