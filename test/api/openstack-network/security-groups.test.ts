import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import {
  buildNetworkFixture, expectAttributesWithin, expectNeutronError, sample, UUID, type NetworkFixture, type Tenant,
} from './network-fixture.ts'

describe.each(await testEngines())('Neutron security groups and rules (%s)', (engine) => {
  let n: NetworkFixture
  let other: Tenant

  beforeAll(async () => {
    n = await buildNetworkFixture(engine)
    other = await n.newTenant()
  })
  afterAll(async () => n?.close())

  const createGroup = (group: Record<string, unknown>, token?: string) =>
    n.call('POST', '/v2.0/security-groups', { payload: { security_group: group }, token })
  const createRule = (rule: Record<string, unknown>, token?: string) =>
    n.call('POST', '/v2.0/security-group-rules', { payload: { security_group_rule: rule }, token })
  const ruleCount = async (groupId: string) =>
    (await n.call('GET', `/v2.0/security-group-rules?security_group_id=${groupId}&fields=id`)).json().security_group_rules.length

  it('creates a group with its two egress rules, in Neutron\'s exact shape (the api-ref request)', async () => {
    const created = await createGroup({ name: 'new-webservers', description: 'security group for webservers', stateful: true })
    expect(created.statusCode).toBe(201)
    const group = created.json().security_group
    const egress = (ethertype: string) => ({
      id: expect.stringMatching(UUID), security_group_id: group.id, direction: 'egress', ethertype, protocol: null,
      port_range_min: null, port_range_max: null, remote_ip_prefix: null, remote_group_id: null, remote_address_group_id: null,
      description: '', tenant_id: n.demo.owner.projectId, project_id: n.demo.owner.projectId,
      created_at: '2026-11-28T00:00:00Z', updated_at: '2026-11-28T00:00:00Z', revision_number: 1,
    })
    expect(group).toEqual({
      id: expect.stringMatching(UUID), name: 'new-webservers', description: 'security group for webservers',
      tenant_id: n.demo.owner.projectId, project_id: n.demo.owner.projectId,
      security_group_rules: expect.arrayContaining([egress('IPv4'), egress('IPv6')]), stateful: true, shared: false,
      created_at: '2026-11-28T00:00:00Z', updated_at: '2026-11-28T00:00:00Z', revision_number: 1, tags: [],
    })
    expect(group.security_group_rules).toHaveLength(2)
    expectAttributesWithin(group, sample('security-group-create-response').security_group as object)
    // The group sample predates remote address groups; the rule sample has every rule attribute.
    expectAttributesWithin(group.security_group_rules[0], sample('security-group-rule-create-response').security_group_rule as object)
    expect((await n.call('GET', `/v2.0/security-groups/${group.id}`)).json()).toEqual({ security_group: group })
    const listed = (await n.call('GET', '/v2.0/security-groups?fields=id&fields=name&fields=description&fields=project_id&fields=tags')).json()
    expect(listed.security_groups).toContainEqual({
      id: group.id, name: 'new-webservers', description: 'security group for webservers', project_id: n.demo.owner.projectId, tags: [],
    })
    expect(listed.security_groups.map((entry: { name: string }) => entry.name)).toContain('default')
  })

  it('creates, shows, lists and deletes a rule (the api-ref request: ports as strings)', async () => {
    const group = (await createGroup({ name: 'web' })).json().security_group
    const created = await createRule({
      direction: 'ingress', port_range_min: '80', ethertype: 'IPv4', port_range_max: '80', protocol: 'tcp',
      remote_group_id: n.defaults.security_group_id, security_group_id: group.id,
    })
    expect(created.statusCode).toBe(201)
    const rule = created.json().security_group_rule
    expect(rule).toEqual({
      id: expect.stringMatching(UUID), security_group_id: group.id, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp',
      port_range_min: 80, port_range_max: 80, remote_ip_prefix: null, remote_group_id: n.defaults.security_group_id,
      remote_address_group_id: null, description: '', tenant_id: n.demo.owner.projectId, project_id: n.demo.owner.projectId,
      created_at: '2026-11-28T00:00:00Z', updated_at: '2026-11-28T00:00:00Z', revision_number: 1,
    })
    expectAttributesWithin(rule, sample('security-group-rule-create-response').security_group_rule as object)
    expect((await n.call('GET', `/v2.0/security-group-rules/${rule.id}`)).json()).toEqual({ security_group_rule: rule })
    expect((await n.call('GET', `/v2.0/security-groups/${group.id}`)).json().security_group.security_group_rules).toContainEqual(rule)
    const tcp = (await n.call('GET', `/v2.0/security-group-rules?security_group_id=${group.id}&protocol=tcp&direction=ingress`)).json()
    expect(tcp).toEqual({ security_group_rules: [rule] })
    expect((await n.call('DELETE', `/v2.0/security-group-rules/${rule.id}`)).statusCode).toBe(204)
    expectNeutronError(await n.call('GET', `/v2.0/security-group-rules/${rule.id}`), 404, 'SecurityGroupRuleNotFound',
      `Security group rule ${rule.id} does not exist`)
    expect(await ruleCount(group.id)).toBe(2)
  })

  it('refuses invalid rules with Neutron\'s exception names and adds nothing', async () => {
    const group = (await createGroup({ name: 'strict' })).json().security_group
    const base = { security_group_id: group.id, direction: 'ingress' }
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, protocol: 'tcp', port_range_min: 0, port_range_max: 22 }, 'SecurityGroupInvalidPortRange', /port 0/],
      [{ ...base, protocol: 'tcp', port_range_min: 30, port_range_max: 22 }, 'SecurityGroupInvalidPortRange', /port_range_min must be <= port_range_max/],
      [{ ...base, protocol: 'tcp', port_range_min: 22, port_range_max: 70000 }, 'SecurityGroupInvalidPortRange', /65535/],
      [{ ...base, port_range_min: 22, port_range_max: 22 }, 'SecurityGroupProtocolRequiredWithPorts', /Must also specify protocol/],
      [{ ...base, protocol: 'gre-ish' }, 'SecurityGroupRuleInvalidProtocol', /protocol gre-ish not supported/],
      [{ ...base, protocol: 'icmp', port_range_min: 300 }, 'SecurityGroupInvalidIcmpValue', /ICMP/],
      [{ ...base, protocol: 'icmp', port_range_max: 0 }, 'SecurityGroupMissingIcmpType', /ICMP type/],
      [{ ...base, remote_ip_prefix: '10.0.0.0/8', remote_group_id: group.id }, 'SecurityGroupRemoteGroupAndRemoteIpPrefix', /Only remote_ip_prefix or remote_group_id/],
      [{ ...base, ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' }, 'SecurityGroupRuleParameterConflict', /Conflicting value ethertype IPv6/],
      [{ ...base, direction: 'sideways' }, 'HTTPBadRequest', /^Invalid input for direction/],
      [{ ...base, remote_ip_prefix: 'not-a-cidr' }, 'HTTPBadRequest', /remote_ip_prefix/],
      [{ ...base, protocol: 'tcp', port_range_min: 'eighty', port_range_max: 80 }, 'HTTPBadRequest', /port_range_min/],
      [{ security_group_id: group.id }, 'HTTPBadRequest', /Required attribute 'direction'/],
      [{ ...base, remote_address_group_id: 'ag' }, 'HTTPBadRequest', /address groups/],
    ]
    for (const [rule, type, message] of cases) {
      expectNeutronError(await createRule(rule), 400, type, message)
    }
    expectNeutronError(await createRule({ ...base, security_group_id: 'no-such-group' }), 404, 'SecurityGroupNotFound',
      'Security group no-such-group does not exist')
    expectNeutronError(await createRule({ ...base, remote_group_id: 'no-such-group' }), 404, 'SecurityGroupNotFound')
    expect(await ruleCount(group.id)).toBe(2)
  })

  it('refuses a duplicate rule with 409 SecurityGroupRuleExists naming the first (tcp = 6, 0.0.0.0/0 = any)', async () => {
    const group = (await createGroup({ name: 'dupes' })).json().security_group
    const first = (await createRule({
      security_group_id: group.id, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22,
    })).json().security_group_rule
    for (const again of [
      { protocol: 'tcp', port_range_min: 22, port_range_max: 22 },
      { protocol: '6', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' },
      { protocol: 'TCP', port_range_min: '22', port_range_max: '22', ethertype: 'IPv4' },
    ]) {
      expectNeutronError(await createRule({ security_group_id: group.id, direction: 'ingress', ...again }), 409, 'SecurityGroupRuleExists',
        `Security group rule already exists. Rule id is ${first.id}.`)
    }
    expect(await ruleCount(group.id)).toBe(3)
  })

  it('updates a group; refuses renaming to or from default, deleting default, and deleting a group in use', async () => {
    const group = (await createGroup({ name: 'rename-me' })).json().security_group
    const updated = await n.call('PUT', `/v2.0/security-groups/${group.id}`, { payload: { security_group: { name: 'renamed', description: 'd' } } })
    expect(updated.json().security_group).toMatchObject({ name: 'renamed', description: 'd' })
    expectNeutronError(await n.call('PUT', `/v2.0/security-groups/${group.id}`, { payload: { security_group: { name: 'default' } } }), 409,
      'SecurityGroupDefaultAlreadyExists')
    expectNeutronError(await createGroup({ name: 'default' }), 409, 'SecurityGroupDefaultAlreadyExists')
    expectNeutronError(await n.call('PUT', `/v2.0/security-groups/${n.defaults.security_group_id}`, {
      payload: { security_group: { name: 'not-default' } },
    }), 409, 'SecurityGroupCannotUpdateDefault')
    expectNeutronError(await n.call('DELETE', `/v2.0/security-groups/${n.defaults.security_group_id}`), 409, 'SecurityGroupCannotRemoveDefault')
    expectNeutronError(await createGroup({ name: 'x', stateful: false }), 400, 'HTTPBadRequest', /stateful/)

    const { port } = (await n.call('POST', '/v2.0/ports', {
      payload: { port: { network_id: n.defaults.network_id, security_groups: [group.id] } },
    })).json()
    expectNeutronError(await n.call('DELETE', `/v2.0/security-groups/${group.id}`), 409, 'SecurityGroupInUse', `Security Group ${group.id} in use.`)
    await n.call('DELETE', `/v2.0/ports/${port.id}`)
    expect((await n.call('DELETE', `/v2.0/security-groups/${group.id}`)).statusCode).toBe(204)
    expectNeutronError(await n.call('GET', `/v2.0/security-groups/${group.id}`), 404, 'SecurityGroupNotFound')
  })

  it('keeps another project\'s groups and rules out of reach (404)', async () => {
    const theirs = await n.t.gureum.services.networks.createSecurityGroup(other.owner, { name: 'theirs' })
    const theirRule = theirs.rules[0]
    expectNeutronError(await n.call('GET', `/v2.0/security-groups/${theirs.id}`), 404, 'SecurityGroupNotFound')
    expectNeutronError(await n.call('PUT', `/v2.0/security-groups/${theirs.id}`, { payload: { security_group: { name: 'x' } } }), 404,
      'SecurityGroupNotFound')
    expectNeutronError(await n.call('DELETE', `/v2.0/security-groups/${theirs.id}`), 404, 'SecurityGroupNotFound')
    expectNeutronError(await n.call('GET', `/v2.0/security-group-rules/${theirRule.id}`), 404, 'SecurityGroupRuleNotFound')
    expectNeutronError(await n.call('DELETE', `/v2.0/security-group-rules/${theirRule.id}`), 404, 'SecurityGroupRuleNotFound')
    expectNeutronError(await createRule({ security_group_id: theirs.id, direction: 'ingress' }), 404, 'SecurityGroupNotFound')
    expect((await n.call('GET', `/v2.0/security-group-rules?security_group_id=${theirs.id}`)).json()).toEqual({ security_group_rules: [] })
    expect((await n.t.gureum.services.networks.getSecurityGroup(other.owner, theirs.id)).rules).toHaveLength(2)
  })

  it('answers over quota with 409 OverQuota', async () => {
    const tight = await n.newTenant({ quotaLimits: { security_groups: 1, security_group_rules: 5 } })
    expectNeutronError(await createGroup({ name: 'one-too-many' }, tight.token), 409, 'OverQuota', "Quota exceeded for resources: ['security_group'].")
    const groups = (await n.call('GET', '/v2.0/security-groups', { token: tight.token })).json().security_groups
    expect(groups.map((group: { name: string }) => group.name)).toEqual(['default'])
    expect((await createRule({ security_group_id: groups[0].id, direction: 'ingress', protocol: 'icmp' }, tight.token)).statusCode).toBe(201)
    expectNeutronError(await createRule({ security_group_id: groups[0].id, direction: 'ingress', protocol: 'udp' }, tight.token), 409,
      'OverQuota', "Quota exceeded for resources: ['security_group_rule'].")
  })
})
