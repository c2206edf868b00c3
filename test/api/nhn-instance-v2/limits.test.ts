import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { adminCaller, compute, demoCaller, faultOf, keysOf, newTenant, type Caller } from './catalog-fixture.ts'

const NOVA_DEFAULT_ABSOLUTE = {
  maxTotalInstances: 10, totalInstancesUsed: 0,
  maxTotalCores: 20, totalCoresUsed: 0,
  maxTotalRAMSize: 51200, totalRAMUsed: 0,
  maxTotalKeypairs: 100,
  maxServerMeta: 128, maxImageMeta: 128,
  maxPersonality: 5, maxPersonalitySize: 10240,
  maxServerGroups: 10, totalServerGroupsUsed: 0,
  maxServerGroupMembers: 10,
}
const NETWORK_ABSOLUTE = {
  maxSecurityGroups: 10, totalSecurityGroupsUsed: 1,
  maxSecurityGroupRules: 100,
  maxTotalFloatingIps: 50, totalFloatingIpsUsed: 0,
}
const QUOTA_DEFAULTS = {
  instances: 10, cores: 20, ram: 51200, key_pairs: 100, metadata_items: 128, server_groups: 10,
  server_group_members: 10, injected_files: 5, injected_file_content_bytes: 10240, injected_file_path_bytes: 255,
}
const NETWORK_QUOTA_DEFAULTS = { fixed_ips: -1, floating_ips: 50, security_groups: 10, security_group_rules: 100 }

describe.each(await testEngines())('nhn-instance-v2 limits and quota sets (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let admin: Caller

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    admin = await adminCaller(t)
  })
  afterAll(async () => { await t.close() })

  describe('GET /limits', () => {
    it('reports the project\'s absolute limits and usage with no rate limits', async () => {
      const response = await compute(t, demo, { path: '/limits' })
      expect(response.statusCode).toBe(200)
      // The demo project starts with its default security group, hence one security group in use.
      expect(response.json()).toEqual({ limits: { rate: [], absolute: { ...NOVA_DEFAULT_ABSOLUTE, ...NETWORK_ABSOLUTE } } })
    })

    it('leaves out the network limits from 2.36', async () => {
      const response = await compute(t, demo, { path: '/limits', microversion: '2.36' })
      expect(response.json().limits.absolute).toEqual(NOVA_DEFAULT_ABSOLUTE)
    })

    it('follows usage: server groups in use, and limits an admin changed', async () => {
      const tenant = await newTenant(t)
      const group = await compute(t, tenant, {
        method: 'POST', path: '/os-server-groups', payload: { server_group: { name: 'g', policies: ['affinity'] } },
      })
      expect(group.statusCode).toBe(200)
      const changed = await compute(t, admin, {
        method: 'PUT', path: `/os-quota-sets/${tenant.tenantId}`, payload: { quota_set: { cores: 64, instances: 3 } },
      })
      expect(changed.statusCode).toBe(200)
      const absolute = (await compute(t, tenant, { path: '/limits' })).json().limits.absolute
      expect(absolute).toMatchObject({ totalServerGroupsUsed: 1, maxTotalCores: 64, maxTotalInstances: 3 })
    })

    it('lets an admin read another project\'s limits with tenant_id, but not a project', async () => {
      const tenant = await newTenant(t)
      await compute(t, admin, { method: 'PUT', path: `/os-quota-sets/${tenant.tenantId}`, payload: { quota_set: { ram: 1024 } } })
      const asAdmin = await compute(t, admin, { path: `/limits?tenant_id=${tenant.tenantId}` })
      expect(asAdmin.statusCode).toBe(200)
      expect(asAdmin.json().limits.absolute.maxTotalRAMSize).toBe(1024)
      const asProject = await compute(t, demo, { path: `/limits?tenant_id=${tenant.tenantId}` })
      expect(asProject.statusCode).toBe(403)
      expect(faultOf(asProject).name).toBe('forbidden')
      const unknown = await compute(t, admin, { path: '/limits?tenant_id=0123456789abcdef0123456789abcdef' })
      expect(unknown.statusCode).toBe(404)
      const own = await compute(t, demo, { path: `/limits?tenant_id=${demo.tenantId}` })
      expect(own.statusCode).toBe(200)
    })

    it('needs a token of the URL\'s tenant', async () => {
      expect((await t.inject('compute', { method: 'GET', url: `/v2/${demo.tenantId}/limits` })).statusCode).toBe(401)
      expect((await compute(t, { ...demo, tenantId: admin.tenantId }, { path: '/limits' })).statusCode).toBe(400)
    })
  })

  describe('os-quota-sets', () => {
    it('shows the project\'s quotas with its id, the network ones only before 2.36', async () => {
      const response = await compute(t, demo, { path: `/os-quota-sets/${demo.tenantId}` })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({ quota_set: { id: demo.tenantId, ...QUOTA_DEFAULTS, ...NETWORK_QUOTA_DEFAULTS } })
      const modern = await compute(t, demo, { path: `/os-quota-sets/${demo.tenantId}`, microversion: '2.36' })
      expect(modern.json()).toEqual({ quota_set: { id: demo.tenantId, ...QUOTA_DEFAULTS } })
    })

    it('shows usage in the detail and the defaults', async () => {
      const detail = await compute(t, demo, { path: `/os-quota-sets/${demo.tenantId}/detail` })
      expect(detail.statusCode).toBe(200)
      const quotaSet = detail.json().quota_set
      expect(keysOf(quotaSet)).toEqual(keysOf({ id: 1, ...QUOTA_DEFAULTS, ...NETWORK_QUOTA_DEFAULTS }))
      expect(quotaSet.cores).toEqual({ in_use: 0, limit: 20, reserved: 0 })
      expect(quotaSet.security_groups).toEqual({ in_use: 1, limit: 10, reserved: 0 })
      const defaults = await compute(t, demo, { path: `/os-quota-sets/${demo.tenantId}/defaults`, microversion: '2.36' })
      expect(defaults.json()).toEqual({ quota_set: { id: demo.tenantId, ...QUOTA_DEFAULTS } })
    })

    it('keeps another project\'s quotas from a project (403) and reports unknown projects to admins (404)', async () => {
      const other = await newTenant(t)
      for (const path of [`/os-quota-sets/${other.tenantId}`, `/os-quota-sets/${other.tenantId}/detail`]) {
        const response = await compute(t, demo, { path })
        expect(response.statusCode).toBe(403)
      }
      expect((await compute(t, admin, { path: `/os-quota-sets/${other.tenantId}` })).statusCode).toBe(200)
      const unknown = await compute(t, admin, { path: '/os-quota-sets/0123456789abcdef0123456789abcdef' })
      expect(unknown.statusCode).toBe(404)
      expect(faultOf(unknown).name).toBe('itemNotFound')
    })

    it('lets admins change limits (PUT answers without id) and revert them to the defaults (DELETE)', async () => {
      const tenant = await newTenant(t)
      const updated = await compute(t, admin, {
        method: 'PUT', path: `/os-quota-sets/${tenant.tenantId}`,
        payload: { quota_set: { instances: 50, key_pairs: -1, force: true } },
      })
      expect(updated.statusCode).toBe(200)
      expect(updated.json()).toEqual({
        quota_set: { ...QUOTA_DEFAULTS, ...NETWORK_QUOTA_DEFAULTS, instances: 50, key_pairs: -1 },
      })
      expect((await compute(t, tenant, { path: `/os-quota-sets/${tenant.tenantId}` })).json().quota_set)
        .toMatchObject({ id: tenant.tenantId, instances: 50, key_pairs: -1 })

      const reverted = await compute(t, admin, { method: 'DELETE', path: `/os-quota-sets/${tenant.tenantId}` })
      expect(reverted.statusCode).toBe(202)
      expect(reverted.body).toBe('')
      expect((await compute(t, tenant, { path: `/os-quota-sets/${tenant.tenantId}` })).json().quota_set)
        .toMatchObject({ instances: 10, key_pairs: 100 })
    })

    it('refuses changes from projects and bad bodies, changing nothing', async () => {
      const tenant = await newTenant(t)
      const path = `/os-quota-sets/${tenant.tenantId}`
      const forbidden = await compute(t, tenant, { method: 'PUT', path, payload: { quota_set: { cores: 99 } } })
      expect(forbidden.statusCode).toBe(403)
      expect((await compute(t, tenant, { method: 'DELETE', path })).statusCode).toBe(403)

      const bad: [string, { payload?: unknown; rawBody?: string; microversion?: string }][] = [
        ['malformed JSON', { rawBody: '{"quota_set":' }],
        ['no quota_set', { payload: { cores: 5 } }],
        ['a limit below -1', { payload: { quota_set: { cores: -2 } } }],
        ['a string limit', { payload: { quota_set: { cores: 'many' } } }],
        ['a fractional limit', { payload: { quota_set: { cores: 1.5 } } }],
        ['an unknown quota', { payload: { quota_set: { gpus: 1 } } }],
        ['a quota Gureum does not count', { payload: { quota_set: { injected_files: 10 } } }],
        ['a network quota at 2.36', { payload: { quota_set: { floating_ips: 10 } }, microversion: '2.36' }],
      ]
      for (const [what, request] of bad) {
        const response = await compute(t, admin, { method: 'PUT', path, ...request })
        expect(response.statusCode, what).toBe(400)
        expect(faultOf(response).name, what).toBe('badRequest')
      }
      expect((await compute(t, tenant, { path })).json().quota_set).toMatchObject({ cores: 20, floating_ips: 50 })

      const unknown = await compute(t, admin, {
        method: 'PUT', path: '/os-quota-sets/0123456789abcdef0123456789abcdef', payload: { quota_set: { cores: 1 } },
      })
      expect(unknown.statusCode).toBe(404)
    })
  })
})
