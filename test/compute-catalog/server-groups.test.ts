import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  joinServerGroup, leaveServerGroup, placementGroupFor, placementGroupOfServer, serverGroupOf,
  type JoinServerGroupInput,
} from '../../src/core/server-groups/server-group-service.ts'
import type { ServerGroupWithMembers } from '../../src/core/server-groups/server-group.ts'
import { isDomainError } from '../../src/core/shared/errors.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import { testEngines } from '../support/stores.ts'
import { createCatalogFixture, expectKind, START, type CatalogFixture } from './catalog-fixture.ts'

describe.each(await testEngines())('server groups on %s', (engine) => {
  let fx: CatalogFixture
  let alice: Owner

  beforeEach(async () => {
    fx = await createCatalogFixture(engine)
    alice = await fx.newProject({ quotaLimits: { server_groups: 3, server_group_members: 3 } })
  })
  afterEach(async () => {
    await fx.close()
  })

  const join = (owner: Owner, input: Omit<JoinServerGroupInput, 'now'>) =>
    fx.database.store.transaction((tx) => joinServerGroup(tx, owner, { ...input, now: fx.clock.now() }))
  const inUse = async (owner: Owner, resource: string) =>
    (await fx.database.store.quotas.list(owner.projectId)).find((quota) => quota.resource === resource)?.inUse

  describe('create', () => {
    it('creates each policy; partition groups default to the region maximum', async () => {
      const affinity = await fx.serverGroups.create(alice, { name: 'web', policy: 'affinity' })
      expect(affinity).toEqual({
        id: affinity.id, projectId: alice.projectId, userId: alice.userId, name: 'web', policy: 'affinity',
        partitionSize: null, createdAt: START, memberIds: [],
      })
      const spread = await fx.serverGroups.create(alice, { name: 'db', policy: 'anti-affinity' })
      expect(spread.partitionSize).toBeNull()
      const partitioned = await fx.serverGroups.create(alice, { name: 'kafka', policy: 'partition' })
      expect(partitioned.partitionSize).toBe(fx.serverGroups.maxPartitionSize)
      expect(await fx.serverGroups.get(alice, partitioned.id)).toEqual(partitioned)
      expect(await inUse(alice, 'server_groups')).toBe(3)
    })

    it('validates policy, name and partition size', async () => {
      await expectKind(fx.serverGroups.create(alice, { name: 'g', policy: 'soft-affinity' }), 'bad_request')
      await expectKind(fx.serverGroups.create(alice, { name: '', policy: 'affinity' }), 'bad_request')
      await expectKind(fx.serverGroups.create(alice, { name: ' g', policy: 'affinity' }), 'bad_request')
      await expectKind(fx.serverGroups.create(alice, { name: 'g', policy: 'affinity', partitionSize: 2 }), 'bad_request')
      await expectKind(fx.serverGroups.create(alice, { name: 'g', policy: 'partition', partitionSize: 0 }), 'bad_request')
      const max = fx.serverGroups.maxPartitionSize
      await expectKind(fx.serverGroups.create(alice, { name: 'g', policy: 'partition', partitionSize: max + 1 }), 'bad_request')
      expect((await fx.serverGroups.create(alice, { name: 'g', policy: 'partition', partitionSize: 2 })).partitionSize).toBe(2)
      expect(await inUse(alice, 'server_groups')).toBe(1)
    })

    it('enforces the server_groups quota and gives it back on delete', async () => {
      const groups: ServerGroupWithMembers[] = []
      for (const name of ['a', 'b', 'c']) groups.push(await fx.serverGroups.create(alice, { name, policy: 'affinity' }))
      const refused = await expectKind(fx.serverGroups.create(alice, { name: 'd', policy: 'affinity' }), 'quota_exceeded')
      expect(refused.quota).toBe('server_groups')
      await fx.serverGroups.delete(alice, groups[1].id)
      expect(await inUse(alice, 'server_groups')).toBe(2)
      await fx.serverGroups.create(alice, { name: 'd', policy: 'affinity' })
    })

    it('lets readers look but not change', async () => {
      const group = await fx.serverGroups.create(alice, { name: 'g', policy: 'affinity' })
      const reader: Owner = { ...alice, roles: ['reader'] }
      expect((await fx.serverGroups.get(reader, group.id)).name).toBe('g')
      await expectKind(fx.serverGroups.create(reader, { name: 'r', policy: 'affinity' }), 'forbidden')
      await expectKind(fx.serverGroups.delete(reader, group.id), 'forbidden')
    })
  })

  it('lists oldest first with an id marker, members included, one project only', async () => {
    const roomy = await fx.newProject()
    const created: string[] = []
    for (const name of ['one', 'two', 'three', 'four', 'five']) {
      created.push((await fx.serverGroups.create(roomy, { name, policy: 'anti-affinity' })).id)
      // Two groups share each timestamp, so the id settles their order.
      if (created.length % 2 === 0) fx.clock.advance(1000)
    }
    const expected = [created[0], created[1]].sort().concat([created[2], created[3]].sort(), [created[4]])
    await join(roomy, { groupId: created[2], serverId: 'server-x' })

    const seen: ServerGroupWithMembers[] = []
    let marker: string | null = null
    for (;;) {
      const page = await fx.serverGroups.list(roomy, { limit: 2, marker })
      seen.push(...page.items)
      if (!page.hasMore) break
      marker = page.items[page.items.length - 1].id
    }
    expect(seen.map((group) => group.id)).toEqual(expected)
    expect(seen.find((group) => group.id === created[2])?.memberIds).toEqual(['server-x'])

    await expectKind(fx.serverGroups.list(roomy, { limit: 2, marker: 'nope' }), 'bad_request')
    await expectKind(fx.serverGroups.list(alice, { limit: 2, marker: created[0] }), 'bad_request')
    expect((await fx.serverGroups.list(alice, { limit: 10, marker: null })).items).toEqual([])
    await expectKind(fx.serverGroups.get(alice, created[0]), 'not_found')
    await expectKind(fx.serverGroups.delete(alice, created[0]), 'not_found')
    await expectKind(join(alice, { groupId: created[0], serverId: 'server-y' }), 'not_found')
  })

  describe('membership', () => {
    it('adds and removes members; a server is in at most one group', async () => {
      const group = await fx.serverGroups.create(alice, { name: 'g', policy: 'anti-affinity' })
      const other = await fx.serverGroups.create(alice, { name: 'h', policy: 'affinity' })
      const { memberIds: _, ...plainGroup } = group
      expect(await join(alice, { groupId: group.id, serverId: 's1' }))
        .toEqual({ group: plainGroup, serverId: 's1', partitionNumber: null })
      fx.clock.advance(1)
      await join(alice, { groupId: group.id, serverId: 's2' })
      expect((await fx.serverGroups.get(alice, group.id)).memberIds).toEqual(['s1', 's2'])
      await expectKind(join(alice, { groupId: other.id, serverId: 's1' }), 'conflict')
      await expectKind(join(alice, { groupId: 'no-such-group', serverId: 's3' }), 'not_found')
      await expectKind(join(alice, { groupId: group.id, serverId: 's3', partitionNumber: 1 }), 'bad_request')

      expect((await serverGroupOf(fx.database.store, 's2'))?.group.id).toBe(group.id)
      await fx.database.store.transaction((tx) => leaveServerGroup(tx, 's1'))
      await fx.database.store.transaction((tx) => leaveServerGroup(tx, 'never-joined'))
      expect((await fx.serverGroups.get(alice, group.id)).memberIds).toEqual(['s2'])
      expect(await serverGroupOf(fx.database.store, 's1')).toBeNull()
      await join(alice, { groupId: other.id, serverId: 's1' })
    })

    it('limits members per group by the server_group_members quota, not per project', async () => {
      const first = await fx.serverGroups.create(alice, { name: 'first', policy: 'anti-affinity' })
      const second = await fx.serverGroups.create(alice, { name: 'second', policy: 'anti-affinity' })
      for (const server of ['a', 'b', 'c']) await join(alice, { groupId: first.id, serverId: server })
      const refused = await expectKind(join(alice, { groupId: first.id, serverId: 'd' }), 'quota_exceeded')
      expect(refused.quota).toBe('server_group_members')
      expect(await serverGroupOf(fx.database.store, 'd')).toBeNull()
      for (const server of ['d', 'e', 'f']) await join(alice, { groupId: second.id, serverId: server })

      // A member whose server is deleted no longer counts, even before it leaves.
      await fx.insertServer({ id: 'a', projectId: alice.projectId, deleted: true })
      await join(alice, { groupId: first.id, serverId: 'g' })
      expect((await fx.serverGroups.get(alice, first.id)).memberIds).toEqual(['b', 'c', 'g'])
    })

    it('never overfills a group under concurrent joins', async () => {
      const group = await fx.serverGroups.create(alice, { name: 'busy', policy: 'anti-affinity' })
      const outcomes = await Promise.allSettled(
        ['p', 'q', 'r', 's', 't', 'u'].map((server) => join(alice, { groupId: group.id, serverId: server })))
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected')
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3)
      for (const outcome of refused) {
        const reason = (outcome as PromiseRejectedResult).reason
        expect(isDomainError(reason) && reason.kind).toBe('quota_exceeded')
      }
      expect((await fx.serverGroups.get(alice, group.id)).memberIds).toHaveLength(3)
    })

    it('validates partition numbers and spreads unnumbered members over the partitions', async () => {
      const roomy = await fx.newProject({ quotaLimits: { server_group_members: 10 } })
      const group = await fx.serverGroups.create(roomy, { name: 'kafka', policy: 'partition', partitionSize: 3 })
      await expectKind(join(roomy, { groupId: group.id, serverId: 'x', partitionNumber: 0 }), 'bad_request')
      await expectKind(join(roomy, { groupId: group.id, serverId: 'x', partitionNumber: 4 }), 'bad_request')
      await expectKind(join(roomy, { groupId: group.id, serverId: 'x', partitionNumber: 1.5 }), 'bad_request')

      expect((await join(roomy, { groupId: group.id, serverId: 'n2', partitionNumber: 2 })).partitionNumber).toBe(2)
      const assigned: Array<number | null> = []
      for (const server of ['a1', 'a2', 'a3', 'a4']) {
        assigned.push((await join(roomy, { groupId: group.id, serverId: server })).partitionNumber)
      }
      expect(assigned).toEqual([1, 3, 1, 2])
      expect(await serverGroupOf(fx.database.store, 'a2')).toMatchObject({ serverId: 'a2', partitionNumber: 3 })
    })
  })

  describe('placement', () => {
    it('reports where the other members run, skipping unplaced and deleted servers', async () => {
      const roomy = await fx.newProject({ quotaLimits: { server_group_members: 10 } })
      const group = await fx.serverGroups.create(roomy, { name: 'spread', policy: 'anti-affinity' })
      const servers = [
        { id: 's1', hostId: 'host-a' }, { id: 's2', hostId: 'host-a' }, { id: 's3', hostId: 'host-b' },
        { id: 's4', hostId: null }, { id: 's5', hostId: 'host-c', deleted: true }, { id: 'new', hostId: null },
      ]
      for (const server of servers) {
        await fx.insertServer({ ...server, projectId: roomy.projectId })
        await join(roomy, { groupId: group.id, serverId: server.id })
      }
      const placement = await placementGroupFor(fx.database.store, group.id, 'new')
      expect(placement).toEqual({
        id: group.id, policy: 'anti-affinity', partitionNumber: null,
        memberHosts: new Map([['host-a', 2], ['host-b', 1]]), memberPartitions: new Map(),
      })
      // A member being moved (resize, migration) is left out of its own constraints.
      expect((await placementGroupFor(fx.database.store, group.id, 's3')).memberHosts)
        .toEqual(new Map([['host-a', 2]]))
      expect(await placementGroupOfServer(fx.database.store, 'new')).toEqual(placement)
      expect(await placementGroupOfServer(fx.database.store, 'in-no-group')).toBeNull()
      await expectKind(placementGroupFor(fx.database.store, 'no-such-group', 'new'), 'not_found')
    })

    it('gives partition groups the partitions per host and the new server’s partition', async () => {
      const roomy = await fx.newProject({ quotaLimits: { server_group_members: 10 } })
      const group = await fx.serverGroups.create(roomy, { name: 'parts', policy: 'partition', partitionSize: 3 })
      for (const [id, hostId, partitionNumber] of [
        ['p1', 'host-a', 1], ['p2', 'host-a', 1], ['p3', 'host-b', 2], ['p4', 'host-b', 3], ['new', null, 2],
      ] as const) {
        await fx.insertServer({ id, hostId, projectId: roomy.projectId })
        await join(roomy, { groupId: group.id, serverId: id, partitionNumber })
      }
      expect(await placementGroupFor(fx.database.store, group.id, 'new')).toEqual({
        id: group.id, policy: 'partition', partitionNumber: 2,
        memberHosts: new Map([['host-a', 2], ['host-b', 2]]),
        memberPartitions: new Map([['host-a', new Set([1])], ['host-b', new Set([2, 3])]]),
      })
    })
  })

  it('deletes a group with members: the servers stay, the grouping goes', async () => {
    const group = await fx.serverGroups.create(alice, { name: 'g', policy: 'affinity' })
    await fx.insertServer({ id: 'kept', projectId: alice.projectId, hostId: 'host-a' })
    await join(alice, { groupId: group.id, serverId: 'kept' })
    await fx.serverGroups.delete(alice, group.id)
    await expectKind(fx.serverGroups.get(alice, group.id), 'not_found')
    expect(await serverGroupOf(fx.database.store, 'kept')).toBeNull()
    expect(await fx.db.selectFrom('servers').select('id').where('id', '=', 'kept').executeTakeFirst()).toEqual({ id: 'kept' })
    expect(await inUse(alice, 'server_groups')).toBe(0)
  })
})
