import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { adminCaller, compute, demoCaller, faultOf, keysOf, newTenant, type Caller } from './catalog-fixture.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

interface GroupBody { id: string; name: string; policies: string[]; members: string[]; [key: string]: unknown }

describe.each(await testEngines())('nhn-instance-v2 server groups (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let admin: Caller

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    admin = await adminCaller(t)
  })
  afterAll(async () => { await t.close() })

  const create = (caller: Caller, group: Record<string, unknown>, microversion?: string) =>
    compute(t, caller, { method: 'POST', path: '/os-server-groups', payload: { server_group: group }, microversion })
  const listed = async (caller: Caller, query = '') =>
    ((await compute(t, caller, { path: `/os-server-groups${query}` })).json().server_groups as GroupBody[]).map((group) => group.name)

  it('creates, shows, lists and deletes a group in Nova\'s pre-2.64 format', async () => {
    const created = await create(demo, { name: 'web', policies: ['anti-affinity'] })
    expect(created.statusCode).toBe(200)
    const group = created.json().server_group as GroupBody
    expect(group).toEqual({ id: expect.stringMatching(UUID), name: 'web', policies: ['anti-affinity'], members: [], metadata: {} })

    const shown = await compute(t, demo, { path: `/os-server-groups/${group.id}` })
    expect(shown.statusCode).toBe(200)
    expect(shown.json()).toEqual({ server_group: group })
    expect(await listed(demo)).toContain('web')

    const deleted = await compute(t, demo, { method: 'DELETE', path: `/os-server-groups/${group.id}` })
    expect(deleted.statusCode).toBe(204)
    expect(deleted.body).toBe('')
    const gone = await compute(t, demo, { path: `/os-server-groups/${group.id}` })
    expect(gone.statusCode).toBe(404)
    expect(faultOf(gone).name).toBe('itemNotFound')
    expect((await compute(t, demo, { method: 'DELETE', path: `/os-server-groups/${group.id}` })).statusCode).toBe(404)
  })

  it('shows the owning project and user from 2.13', async () => {
    const created = await create(demo, { name: 'owned', policies: ['affinity'] }, '2.13')
    expect(created.json().server_group).toMatchObject({ project_id: demo.tenantId, user_id: demo.userId, policies: ['affinity'] })
    const id = created.json().server_group.id
    expect(keysOf((await compute(t, demo, { path: `/os-server-groups/${id}`, microversion: '2.12' })).json().server_group))
      .toEqual(['id', 'members', 'metadata', 'name', 'policies'])
    await compute(t, demo, { method: 'DELETE', path: `/os-server-groups/${id}` })
  })

  it('shows members as they join through server create', async () => {
    const created = await create(demo, { name: 'with-member', policies: ['anti-affinity'] })
    const groupId = created.json().server_group.id as string
    const owner = (await t.gureum.services.identity.validateToken(demo.token)).owner
    const { keypair } = await t.gureum.services.keypairs.create(owner, { name: 'member-key' })
    const server = await compute(t, demo, {
      method: 'POST', path: '/servers',
      payload: {
        server: {
          name: 'member', imageRef: t.credentials.defaults.image_id, flavorRef: t.credentials.defaults.flavor_id,
          networks: [{ uuid: t.credentials.defaults.network_id }], key_name: keypair.name,
          block_device_mapping_v2: [{
            boot_index: 0, uuid: t.credentials.defaults.image_id, source_type: 'image', destination_type: 'volume', volume_size: 20,
          }],
        },
        'os:scheduler_hints': { group: groupId },
      },
    })
    expect(server.statusCode).toBe(202)
    const serverId = server.json().server.id as string
    expect((await compute(t, demo, { path: `/os-server-groups/${groupId}` })).json().server_group.members).toEqual([serverId])
  })

  it('pages with limit and offset (Nova) or marker, oldest first', async () => {
    const tenant = await newTenant(t)
    const ids: string[] = []
    for (const name of ['g1', 'g2', 'g3', 'g4']) {
      ids.push((await create(tenant, { name, policies: ['affinity'] })).json().server_group.id)
      // Oldest first: each group is created a moment after the previous one.
      t.clock.advance(1000)
    }
    expect(await listed(tenant)).toEqual(['g1', 'g2', 'g3', 'g4'])
    expect(await listed(tenant, '?limit=2')).toEqual(['g1', 'g2'])
    expect(await listed(tenant, '?limit=2&offset=1')).toEqual(['g2', 'g3'])
    expect(await listed(tenant, '?offset=3')).toEqual(['g4'])
    expect(await listed(tenant, '?offset=10')).toEqual([])
    expect(await listed(tenant, `?marker=${ids[1]}`)).toEqual(['g3', 'g4'])
    expect((await compute(t, tenant, { path: '/os-server-groups?marker=nope' })).statusCode).toBe(400)
    expect((await compute(t, tenant, { path: '/os-server-groups?offset=-1' })).statusCode).toBe(400)
    // all_projects is accepted and ignored: the list is the caller's project.
    expect(await listed(tenant, '?all_projects=True')).toEqual(['g1', 'g2', 'g3', 'g4'])
    demo = await demoCaller(t)
    admin = await adminCaller(t)
  })

  it('lists a group SCP made with its partition policy as it is', async () => {
    const tenant = await newTenant(t)
    const owner = (await t.gureum.services.identity.validateToken(tenant.token)).owner
    await t.gureum.services.serverGroups.create(owner, { name: 'scp-partition', policy: 'partition' })
    const [group] = (await compute(t, tenant, { path: '/os-server-groups' })).json().server_groups as GroupBody[]
    expect(group).toMatchObject({ name: 'scp-partition', policies: ['partition'] })
  })

  describe('errors', () => {
    it.each([
      ['SCP\'s partition policy', { payload: { server_group: { name: 'p', policies: ['partition'] } } }],
      ['a soft policy', { payload: { server_group: { name: 's', policies: ['soft-affinity'] } } }],
      ['two policies', { payload: { server_group: { name: 't', policies: ['affinity', 'anti-affinity'] } } }],
      ['no policy', { payload: { server_group: { name: 'n', policies: [] } } }],
      ['a policy string instead of a list', { payload: { server_group: { name: 'n', policies: 'affinity' } } }],
      ['a missing name', { payload: { server_group: { policies: ['affinity'] } } }],
      ['an empty name', { payload: { server_group: { name: '', policies: ['affinity'] } } }],
      ['a number for the name', { payload: { server_group: { name: 7, policies: ['affinity'] } } }],
      ['the 2.64 policy field', { payload: { server_group: { name: 'x', policy: 'affinity' } } }],
      ['an unknown field', { payload: { server_group: { name: 'x', policies: ['affinity'], rules: {} } } }],
      ['malformed JSON', { rawBody: '{"server_group": [' }],
      ['no body', {}],
    ])('refuses %s with 400 and creates nothing', async (_what, request) => {
      const before = await listed(demo)
      const response = await compute(t, demo, { method: 'POST', path: '/os-server-groups', ...request })
      expect(response.statusCode).toBe(400)
      expect(faultOf(response)).toMatchObject({ name: 'badRequest', code: 400 })
      expect(await listed(demo)).toEqual(before)
    })

    it('answers 403 when the server_groups quota is used up, and frees it on delete', async () => {
      const tenant = await newTenant(t)
      const adminOwner = (await t.gureum.services.identity.validateToken(admin.token)).owner
      await t.gureum.services.quotas.setLimits(adminOwner, tenant.tenantId, { server_groups: 1 })
      const first = await create(tenant, { name: 'one', policies: ['affinity'] })
      expect(first.statusCode).toBe(200)
      const over = await create(tenant, { name: 'two', policies: ['affinity'] })
      expect(over.statusCode).toBe(403)
      expect(faultOf(over).name).toBe('forbidden')
      expect(await listed(tenant)).toEqual(['one'])
      await compute(t, tenant, { method: 'DELETE', path: `/os-server-groups/${first.json().server_group.id}` })
      expect((await create(tenant, { name: 'two', policies: ['affinity'] })).statusCode).toBe(200)
    })

    it('lets readers list but not create or delete', async () => {
      const reader = await newTenant(t, 'reader')
      expect((await compute(t, reader, { path: '/os-server-groups' })).statusCode).toBe(200)
      expect((await create(reader, { name: 'r', policies: ['affinity'] })).statusCode).toBe(403)
    })
  })

  describe('tenant isolation', () => {
    it('never shows or deletes another project\'s group', async () => {
      const other = await newTenant(t)
      const theirs = (await create(other, { name: 'theirs', policies: ['affinity'] })).json().server_group.id as string
      expect(await listed(demo)).not.toContain('theirs')
      expect((await compute(t, demo, { path: `/os-server-groups/${theirs}` })).statusCode).toBe(404)
      expect((await compute(t, demo, { method: 'DELETE', path: `/os-server-groups/${theirs}` })).statusCode).toBe(404)
      expect((await compute(t, other, { path: `/os-server-groups/${theirs}` })).statusCode).toBe(200)
    })

    it('refuses a missing token and another tenant in the URL', async () => {
      expect((await t.inject('compute', { method: 'GET', url: `/v2/${demo.tenantId}/os-server-groups` })).statusCode).toBe(401)
      expect((await compute(t, { ...demo, tenantId: admin.tenantId }, { path: '/os-server-groups' })).statusCode).toBe(400)
    })
  })
})
