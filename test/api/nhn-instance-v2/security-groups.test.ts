import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { compute, demoCaller, newTenant, type Caller } from './catalog-fixture.ts'
import { accepted, activeServer, deleteServer, ensureKeypair, ownerOf, raiseQuotas } from './server-fixture.ts'

interface Group { id: string; name: string; description: string; tenant_id: string; rules: Record<string, unknown>[] }

describe.each(await testEngines())('nhn-instance-v2 os-security-groups proxy (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let web: { id: string }

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    await ensureKeypair(t, demo)
    await raiseQuotas(t, demo.tenantId)
    const owner = await ownerOf(t, demo)
    web = await t.gureum.services.networks.createSecurityGroup(owner, { name: 'web', description: 'HTTP in' })
    const defaultGroup = (await t.gureum.services.networks.listSecurityGroups(owner, { name: 'default' }, { limit: 1, marker: null })).items[0]
    await t.gureum.services.networks.createSecurityGroupRule(owner, {
      securityGroupId: web.id, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', portRangeMin: 80, portRangeMax: 80,
      remoteIpPrefix: '203.0.113.0/24',
    })
    await t.gureum.services.networks.createSecurityGroupRule(owner, {
      securityGroupId: web.id, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', remoteGroupId: defaultGroup.id,
    })
  })
  afterAll(async () => { await t.close() })

  it('lists the project\'s groups with their ingress rules in Nova\'s form, and shows one by id or by name', async () => {
    const listed = await compute(t, demo, { path: '/os-security-groups' })
    expect(listed.statusCode, listed.body).toBe(200)
    const groups = (listed.json() as { security_groups: Group[] }).security_groups
    expect(groups.map((group) => group.name).sort()).toEqual(['default', 'web'])
    const group = groups.find((candidate) => candidate.name === 'web')!
    expect(group).toMatchObject({ id: web.id, description: 'HTTP in', tenant_id: demo.tenantId })
    expect(group.rules).toEqual(expect.arrayContaining([
      { id: expect.any(String), parent_group_id: web.id, ip_protocol: 'tcp', from_port: 80, to_port: 80, ip_range: { cidr: '203.0.113.0/24' }, group: {} },
      { id: expect.any(String), parent_group_id: web.id, ip_protocol: 'tcp', from_port: 1, to_port: 65535, ip_range: {}, group: { name: 'default', tenant_id: demo.tenantId } },
    ]))
    // Neutron's default egress rules are not Nova rules.
    expect(group.rules).toHaveLength(2)
    for (const ref of [web.id, 'web']) {
      const shown = await compute(t, demo, { path: `/os-security-groups/${ref}` })
      expect(shown.statusCode).toBe(200)
      expect((shown.json() as { security_group: Group }).security_group).toEqual(group)
    }
    expect((await compute(t, demo, { path: '/os-security-groups/nope' })).statusCode).toBe(404)
    const first = await compute(t, demo, { path: '/os-security-groups?limit=1' })
    const [one] = (first.json() as { security_groups: Group[] }).security_groups
    const rest = await compute(t, demo, { path: `/os-security-groups?marker=${one.id}` })
    expect((rest.json() as { security_groups: Group[] }).security_groups.map((g) => g.id)).toEqual(groups.map((g) => g.id).filter((id) => id !== one.id))
    expect((await compute(t, demo, { path: `/os-security-groups?marker=${crypto.randomUUID()}` })).statusCode).toBe(400)
  })

  it('lists a server\'s groups, and follows openstackclient\'s add-group lookup (by name, then addSecurityGroup)', async () => {
    const id = await activeServer(t, demo, { name: 'sg' })
    const lookup = await compute(t, demo, { path: '/os-security-groups/web' })
    const groupId = (lookup.json() as { security_group: Group }).security_group.id
    await accepted(t, demo, id, { addSecurityGroup: { name: groupId } })
    const response = await compute(t, demo, { path: `/servers/${id}/os-security-groups` })
    expect(response.statusCode).toBe(200)
    expect((response.json() as { security_groups: Group[] }).security_groups.map((group) => group.name).sort()).toEqual(['default', 'web'])
    await deleteServer(t, demo, id)
  })

  it('answers 404 from 2.36 (Nova removed its network proxies) and never shows another project\'s groups', async () => {
    for (const path of ['/os-security-groups', `/os-security-groups/${web.id}`]) {
      expect((await compute(t, demo, { path, microversion: '2.36' })).statusCode, path).toBe(404)
      expect((await compute(t, demo, { path, microversion: '2.35' })).statusCode, path).toBe(200)
    }
    const other = await newTenant(t)
    expect((await compute(t, other, { path: `/os-security-groups/${web.id}` })).statusCode).toBe(404)
    const theirs = (await compute(t, other, { path: '/os-security-groups' })).json() as { security_groups: Group[] }
    expect(theirs.security_groups.map((group) => group.tenant_id)).toEqual([other.tenantId])
  })
})
