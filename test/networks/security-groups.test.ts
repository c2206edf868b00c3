import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Owner } from '../../src/core/shared/owner.ts'
import type { SeededNetwork } from '../../src/core/networks/network-seed.ts'
import {
  addServerSecurityGroup, allocateServerPorts, ensureDefaultSecurityGroup, removeServerSecurityGroup,
  resolveSecurityGroups, serverSecurityGroupNames,
} from '../../src/core/networks/server-networking.ts'
import { testEngines } from '../support/stores.ts'
import { createNetworkFixture, expectKind, type NetworkFixture } from './network-fixture.ts'

const FIRST_PAGE = { limit: 100, marker: null }

describe.each(await testEngines())('security groups on %s', (engine) => {
  let fx: NetworkFixture
  let owner: Owner
  let net: SeededNetwork

  beforeEach(async () => {
    fx = await createNetworkFixture(engine)
    owner = await fx.newProject()
    net = await fx.projectNetwork(owner)
  })
  afterEach(async () => {
    await fx.close()
  })

  const ensureDefault = (who: Owner = owner) => fx.store.transaction((tx) => ensureDefaultSecurityGroup(tx, who.projectId, fx.env))
  const resolve = (names: string[], who: Owner = owner) => fx.store.transaction((tx) => resolveSecurityGroups(tx, who, names))

  it('creates the default group once, with Neutron\'s default rules, counted in the quotas', async () => {
    const id = await ensureDefault()
    expect(await ensureDefault()).toBe(id)
    const group = await fx.networks.getSecurityGroup(owner, id)
    expect(group.name).toBe('default')
    const rules = group.rules.map((rule) => [rule.direction, rule.ethertype, rule.protocol, rule.remoteIpPrefix, rule.remoteGroupId])
    expect(rules).toEqual(expect.arrayContaining([
      ['egress', 'IPv4', null, null, null], ['egress', 'IPv6', null, null, null],
      ['ingress', 'IPv4', null, null, id], ['ingress', 'IPv6', null, null, id],
    ]))
    expect(rules).toHaveLength(4)
    expect(await fx.inUse(owner, 'security_groups')).toBe(1)
    expect(await fx.inUse(owner, 'security_group_rules')).toBe(4)
  })

  it('creates exactly one default group when first callers race', async () => {
    await fx.warmPool()
    const ids = await Promise.all(Array.from({ length: 16 }, () => ensureDefault()))
    expect(new Set(ids).size).toBe(1)
    const listed = await fx.networks.listSecurityGroups(owner, { name: 'default' }, FIRST_PAGE)
    expect(listed.items.map((group) => group.id)).toEqual([ids[0]])
    expect(await fx.inUse(owner, 'security_groups')).toBe(1)
  })

  it('lists the default group even before anything created it, and gives new groups egress rules', async () => {
    const web = await fx.networks.createSecurityGroup(owner, { name: 'web', description: 'http' })
    expect(web.rules.map((rule) => [rule.direction, rule.ethertype])).toEqual(expect.arrayContaining([['egress', 'IPv4'], ['egress', 'IPv6']]))
    expect(web.rules).toHaveLength(2)
    const listed = await fx.networks.listSecurityGroups(owner, {}, FIRST_PAGE)
    expect(listed.items.map((group) => group.name).sort()).toEqual(['default', 'web'])
    await expectKind(fx.networks.createSecurityGroup(owner, { name: 'default' }), 'conflict')
    expect(await fx.inUse(owner, 'security_groups')).toBe(2)
    expect(await fx.inUse(owner, 'security_group_rules')).toBe(6)
  })

  it('validates rules, refuses duplicates, and counts them', async () => {
    const web = await fx.networks.createSecurityGroup(owner, { name: 'web' })
    const ssh = await fx.networks.createSecurityGroupRule(owner, {
      securityGroupId: web.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0',
    })
    expect(ssh).toMatchObject({ securityGroupId: web.id, protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, ethertype: 'IPv4' })
    const duplicate = await expectKind(fx.networks.createSecurityGroupRule(owner, {
      securityGroupId: web.id, direction: 'ingress', protocol: '6', portRangeMin: 22, portRangeMax: 22,
    }), 'conflict')
    expect(duplicate.message).toContain(ssh.id)

    const invalid = [
      { direction: 'sideways' },
      { direction: 'ingress', ethertype: 'IPX' },
      { direction: 'ingress', protocol: 'tcp', portRangeMin: 100, portRangeMax: 90 },
      { direction: 'ingress', protocol: 'tcp', portRangeMin: 1, portRangeMax: 70000 },
      { direction: 'ingress', protocol: 'icmp', portRangeMin: 300 },
      { direction: 'ingress', protocol: 300 },
      { direction: 'ingress', remoteIpPrefix: '10.0.0.0/40' },
    ]
    for (const input of invalid) await expectKind(fx.networks.createSecurityGroupRule(owner, { securityGroupId: web.id, ...input }), 'bad_request')
    await expectKind(fx.networks.createSecurityGroupRule(owner, { securityGroupId: 'missing', direction: 'ingress' }), 'not_found')
    await expectKind(fx.networks.createSecurityGroupRule(owner, {
      securityGroupId: web.id, direction: 'ingress', remoteGroupId: 'missing',
    }), 'not_found')

    const fromDefault = await fx.networks.createSecurityGroupRule(owner, {
      securityGroupId: web.id, direction: 'ingress', protocol: 'icmp', remoteGroupId: await ensureDefault(),
    })
    expect(fromDefault.remoteGroupId).not.toBeNull()
    expect(await fx.inUse(owner, 'security_group_rules')).toBe(2 + 2 + 4)

    await fx.networks.deleteSecurityGroupRule(owner, ssh.id)
    await expectKind(fx.networks.getSecurityGroupRule(owner, ssh.id), 'not_found')
    expect(await fx.inUse(owner, 'security_group_rules')).toBe(2 + 1 + 4)
    const rules = await fx.networks.listSecurityGroupRules(owner, { securityGroupId: web.id, direction: 'ingress' }, FIRST_PAGE)
    expect(rules.items.map((rule) => rule.id)).toEqual([fromDefault.id])
  })

  it('creates one rule when identical rules are created at once', async () => {
    const web = await fx.networks.createSecurityGroup(owner, { name: 'web' })
    await fx.warmPool()
    const outcomes = await Promise.allSettled(Array.from({ length: 16 }, () => fx.networks.createSecurityGroupRule(owner, {
      securityGroupId: web.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 443, portRangeMax: 443,
    })))
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
    expect((await fx.networks.getSecurityGroup(owner, web.id)).rules).toHaveLength(3)
  })

  it('refuses to delete the default group or one in use, and deletes a free one with its rules', async () => {
    const defaultId = await ensureDefault()
    await expectKind(fx.networks.deleteSecurityGroup(owner, defaultId), 'conflict')
    await expectKind(fx.networks.updateSecurityGroup(owner, defaultId, { name: 'renamed' }), 'conflict')
    expect((await fx.networks.updateSecurityGroup(owner, defaultId, { description: 'still default' })).description).toBe('still default')

    const web = await fx.networks.createSecurityGroup(owner, { name: 'web' })
    const db = await fx.networks.createSecurityGroup(owner, { name: 'db' })
    await fx.networks.createSecurityGroupRule(owner, { securityGroupId: db.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteGroupId: web.id })
    const port = await fx.networks.createPort(owner, { networkId: net.network.id, securityGroupIds: [web.id] })
    const inUse = await expectKind(fx.networks.deleteSecurityGroup(owner, web.id), 'conflict')
    expect(inUse.message).toContain('in use')

    await fx.networks.updatePort(owner, port.id, { securityGroupIds: [] })
    const rulesBefore = await fx.inUse(owner, 'security_group_rules')
    await fx.networks.deleteSecurityGroup(owner, web.id)
    await expectKind(fx.networks.getSecurityGroup(owner, web.id), 'not_found')
    expect((await fx.networks.getSecurityGroup(owner, db.id)).rules.filter((rule) => rule.remoteGroupId === web.id)).toEqual([])
    expect(await fx.inUse(owner, 'security_group_rules')).toBe(rulesBefore - 3)
    expect(await fx.inUse(owner, 'security_groups')).toBe(2)
  })

  it('resolves names and ids, refusing unknown and ambiguous ones', async () => {
    const web = await fx.networks.createSecurityGroup(owner, { name: 'web' })
    await fx.networks.createSecurityGroup(owner, { name: 'twin' })
    await fx.networks.createSecurityGroup(owner, { name: 'twin' })
    expect(await resolve(['web', web.id, 'default'])).toEqual([web.id, expect.any(String)])
    await expectKind(resolve(['nope']), 'not_found')
    await expectKind(resolve(['twin']), 'conflict')
  })

  it('adds and removes a group on every port of a server, as Nova does with Neutron', async () => {
    const second = await fx.projectNetwork(owner, '192.168.9.0/24', 'second')
    const defaultId = await ensureDefault()
    await fx.store.transaction((tx) => allocateServerPorts(tx, owner, 'vm',
      [{ networkId: net.network.id }, { networkId: second.network.id }], [defaultId], fx.env))
    await fx.networks.createSecurityGroup(owner, { name: 'web' })
    const add = (group: string, serverId = 'vm') => fx.store.transaction((tx) => addServerSecurityGroup(tx, owner, serverId, group))
    const remove = (group: string, serverId = 'vm') => fx.store.transaction((tx) => removeServerSecurityGroup(tx, owner, serverId, group))

    await add('web')
    await add('web')
    expect((await serverSecurityGroupNames(fx.store, ['vm', 'bare'])).get('vm')).toEqual(['default', 'web'])
    const ports = await fx.networks.listPorts(owner, { deviceId: 'vm' }, FIRST_PAGE)
    for (const port of ports.items) expect(port.securityGroupIds).toHaveLength(2)

    await remove('default')
    expect((await serverSecurityGroupNames(fx.store, ['vm'])).get('vm')).toEqual(['web'])
    await expectKind(remove('default'), 'not_found')
    await expectKind(add('unknown'), 'not_found')
    await expectKind(add('web', 'server-without-ports'), 'not_found')
    expect((await serverSecurityGroupNames(fx.store, ['bare'])).get('bare')).toEqual([])
  })

  it('applies the requested groups to every new port, and refuses another project\'s group', async () => {
    const other = await fx.newProject()
    const theirs = await fx.networks.createSecurityGroup(other, { name: 'theirs' })
    const mine = await fx.networks.createSecurityGroup(owner, { name: 'mine' })
    await expectKind(fx.store.transaction((tx) =>
      allocateServerPorts(tx, owner, 'vm', [{ networkId: net.network.id }], [theirs.id], fx.env)), 'not_found')
    await fx.store.transaction((tx) => allocateServerPorts(tx, owner, 'vm', [{ networkId: net.network.id }], [mine.id], fx.env))
    expect((await serverSecurityGroupNames(fx.store, ['vm'])).get('vm')).toEqual(['mine'])

    await expectKind(fx.networks.getSecurityGroup(other, mine.id), 'not_found')
    await expectKind(fx.networks.deleteSecurityGroup(other, mine.id), 'not_found')
    await expectKind(fx.networks.createSecurityGroupRule(other, { securityGroupId: mine.id, direction: 'ingress' }), 'not_found')
    await expectKind(fx.networks.createSecurityGroupRule(owner, {
      securityGroupId: mine.id, direction: 'ingress', remoteGroupId: theirs.id,
    }), 'not_found')
    await expectKind(resolve(['mine'], other), 'not_found')
    expect((await fx.networks.listSecurityGroups(other, {}, FIRST_PAGE)).items.map((group) => group.name).sort()).toEqual(['default', 'theirs'])
  })
})
