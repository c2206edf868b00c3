import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import type { Owner } from '../../../src/core/shared/owner.ts'
import {
  buildV1, expectFailure, expectShape, expectSuccess, fillSample, projectState, sample, type V1Answer, type V1Fixture,
} from './v1-fixture.ts'

const WINDOWS_IMAGE = '8a3e6c1f-4b2d-4f57-9a0e-2d6f1b9c7e34'
const BIG_FLAVOR = '31fa632d-aeec-4f12-8a57-ce9d146228e5'
const SECONDS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

describe.each(await testEngines())('NHN v1.0 Server API (%s)', (engine) => {
  let v1: V1Fixture
  let defaults: V1Fixture['t']['credentials']['defaults']
  let other: Owner
  let otherServerId: string
  let otherNetworkId: string

  beforeAll(async () => {
    v1 = await buildV1(engine)
    defaults = v1.t.credentials.defaults
    const { services } = v1.t.gureum
    await services.keypairs.create(v1.owner, { name: 'k1' })
    const project = await services.projects.createProject({ name: 'servers-other', strictNhn: false })
    const user = await services.identity.createUser({ projectId: project.id, name: 'servers-other-user', password: 'secret-pass-1', role: 'member' })
    other = { projectId: project.id, userId: user.id, roles: ['member'] }
    const network = await services.networks.createNetwork(other, { name: 'private' })
    await services.networks.createSubnet(other, { networkId: network.id, cidr: '10.9.0.0/24' })
    otherNetworkId = network.id
    otherServerId = (await services.servers.create(other, {
      name: 'theirs', imageId: defaults.image_id, flavorId: defaults.flavor_id, networks: [{ networkId: network.id }],
      keyName: null, securityGroups: [], userData: null, metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1,
      blockDevices: [], serverGroupId: null, strictNhn: false,
    })).serverIds[0]
    await v1.t.drain()
  })
  afterAll(async () => v1?.close())

  const createBody = (values: Record<string, unknown> = {}) => fillSample('server-create.request', {
    'Server Name': 'web', 'Image ID': defaults.image_id, 'Flavor ID': defaults.flavor_id, 'Network ID': defaults.network_id,
    'Availability Zone': 'kr-pub-a', 'Key Name': 'k1', Count: 1, 'Volume Size': 20, 'Security Group Name': 'default', ...values,
  })
  const create = (body: unknown) => v1.call('PUT', `${v1.base}/servers`, { payload: body })
  /** Applies a change to the seed's create body's `server` object. */
  const createWith = (change: (server: Record<string, unknown>) => void) => {
    const body = createBody() as { server: Record<string, unknown> }
    change(body.server)
    return create(body)
  }

  it('doc-verified: creates a server with PUT (count and size quoted, as the seed writes them) and the core sees it', async () => {
    const answer = await create(createBody({ 'Server Name': 'doc-web', Count: '1', 'Volume Size': '20' }))
    expectSuccess(answer)
    expectShape(answer, sample('server-create.response'))
    expect(answer.server).toMatchObject({ name: 'doc-web', status: 'BUILD' })
    const { servers, volumes } = v1.t.gureum.services
    const server = await servers.get(v1.owner, answer.server.id)
    expect(server).toMatchObject({ name: 'doc-web', vmState: 'building', imageId: defaults.image_id, flavorId: defaults.flavor_id,
      keyName: 'k1', availabilityZone: 'kr-pub-a', rootGb: 20 })
    const root = (await servers.volumeAttachments(v1.owner, server.id)).find((attachment) => attachment.bootIndex === 0)!
    expect((await volumes.get(v1.owner, root.volumeId)).sizeGb).toBe(20)
    await v1.t.drain()
    expect((await servers.get(v1.owner, server.id)).vmState).toBe('active')
  })

  it('creates count servers in one reservation and answers with the first', async () => {
    const answer = await create(createBody({ 'Server Name': 'pair', Count: 2 }))
    expectSuccess(answer)
    const first = await v1.t.gureum.services.servers.get(v1.owner, answer.server.id)
    expect(first).toMatchObject({ name: 'pair-1', launchIndex: 0 })
    const batch = await v1.t.gureum.services.servers.list(v1.owner, { reservationId: first.reservationId, limit: 10, marker: null })
    expect(batch.items.map((server) => server.name).sort()).toEqual(['pair-1', 'pair-2'])
    await v1.t.drain()
  })

  it('doc-verified: lists servers briefly (with the header the seed example omits) and in detail', async () => {
    const brief = await v1.call('GET', `${v1.base}/servers`)
    expectSuccess(brief)
    expectShape(brief, sample('servers-brief.response'), { extra: ['header'] })
    const ours = await v1.t.gureum.services.servers.list(v1.owner, { limit: 100, marker: null })
    expect(brief.servers.map((server: { id: string }) => server.id)).toEqual(ours.items.map((server) => server.id))
    expect(brief.servers.map((server: { id: string }) => server.id)).not.toContain(otherServerId)
    expect(new Set(brief.servers.map((server: { status: string }) => server.status))).toEqual(new Set(['ACTIVE']))

    const detail = await v1.call('GET', `${v1.base}/servers/detail`)
    expectSuccess(detail)
    expectShape(detail, sample('servers-detail.response'), { optional: ['floatingIpAddress'] })
    expect(detail.servers.map((server: { id: string }) => server.id)).toEqual(ours.items.map((server) => server.id))
  })

  it('doc-verified: shows one server with the seed\'s fields, numbers as numbers, times as YYYY-MM-DDThh:mm:ssZ', async () => {
    const id = (await create(createBody({ 'Server Name': 'shown' }))).server.id as string
    await v1.t.drain()
    const answer = await v1.call('GET', `${v1.base}/servers/${id}`)
    expectSuccess(answer)
    expectShape(answer, sample('server-show.response'), { renames: { updateAt: 'updatedAt' }, optional: ['floatingIpAddress'] })
    const { networks, servers } = v1.t.gureum.services
    const server = await servers.get(v1.owner, id)
    const [port] = (await networks.listPorts(v1.owner, { deviceId: id }, { limit: 10, marker: null })).items
    expect(answer.server).toEqual({
      addresses: [{ macAddress: port.macAddress, ipAddress: port.ipAddress, version: 4 }],
      availabilityZone: 'kr-pub-a',
      flavor: { id: defaults.flavor_id, name: 'm2.c1m2', cpu: 1, ram: 2048 },
      status: 'ACTIVE',
      id,
      name: 'shown',
      image: defaults.image_id,
      metadata: server.metadata,
      keyName: 'k1',
      volumes: { root: { size: 20 }, attachments: [] },
      securityGroups: [{ name: 'default' }],
      launchedAt: '2026-11-28T00:00:00Z',
      createdAt: '2026-11-28T00:00:00Z',
      updatedAt: expect.stringMatching(SECONDS_UTC),
    })
  })

  it('shows servers made through the core (the shared model) like its own', async () => {
    const created = await v1.t.gureum.services.servers.create(v1.owner, {
      name: 'from-core', imageId: defaults.image_id, flavorId: defaults.flavor_id, networks: [{ networkId: defaults.network_id }],
      keyName: 'k1', securityGroups: [], userData: null, metadata: { role: 'db' }, availabilityZone: null, minCount: 1, maxCount: 1,
      blockDevices: [{ sourceType: 'image', sourceId: defaults.image_id, destinationType: 'volume', sizeGb: 30, volumeType: null,
        deleteOnTermination: true, bootIndex: 0, deviceName: 'vda' }],
      serverGroupId: null, strictNhn: true,
    })
    const answer = await v1.call('GET', `${v1.base}/servers/${created.serverIds[0]}`)
    expect(answer.server).toMatchObject({ name: 'from-core', status: 'BUILD', volumes: { root: { size: 30 } } })
    expect(answer.server.metadata.role).toBe('db')
    await v1.t.drain()
  })

  it('deletes: DELETING until the task ran, then -5 here and gone from the core', async () => {
    const id = (await create(createBody({ 'Server Name': 'doomed' }))).server.id as string
    await v1.t.drain()
    const answer = await v1.call('DELETE', `${v1.base}/servers/${id}`)
    expectSuccess(answer)
    expectShape(answer, sample('header-only.response'))
    expect((await v1.call('GET', `${v1.base}/servers/${id}`)).server.status).toBe('DELETING')
    await v1.t.drain()
    expectFailure(await v1.call('GET', `${v1.base}/servers/${id}`), -5, /^Nonexistent: /)
    expectFailure(await v1.call('DELETE', `${v1.base}/servers/${id}`), -5)
    await expect(v1.t.gureum.services.servers.get(v1.owner, id)).rejects.toMatchObject({ kind: 'not_found' })
  })

  it('answers -5 for unknown servers and for another project\'s, never showing them', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', otherServerId]) {
      expectFailure(await v1.call('GET', `${v1.base}/servers/${id}`), -5, /^Nonexistent: /)
      expectFailure(await v1.call('DELETE', `${v1.base}/servers/${id}`), -5)
    }
    expect((await v1.t.gureum.services.servers.get(other, otherServerId)).vmState).toBe('active')
  })

  describe('refused creates change nothing', () => {
    const cases: [string, () => Promise<V1Answer>, number, RegExp][] = [
      ['malformed JSON', () => v1.call('PUT', `${v1.base}/servers`, { rawBody: '{"server": {"name": "x",}}' }), -8, /^JSON parsing error: /],
      ['no body', () => v1.call('PUT', `${v1.base}/servers`), -4, /^Invalid parameters: /],
      ['no server object', () => create({ name: 'x' }), -4, /server/],
      ['a missing name', () => createWith((server) => { delete server.name }), -4, /name/],
      ['a missing image', () => createWith((server) => { delete server.image }), -4, /image/],
      ['a name of the wrong type', () => createWith((server) => { server.name = { first: 'x' } }), -4, /name/],
      ['a count that is no number', () => createWith((server) => { server.count = 'two' }), -4, /count/],
      ['a count over 10', () => createWith((server) => { server.count = 11 }), -4, /count/],
      ['a count of 0', () => createWith((server) => { server.count = 0 }), -4, /count/],
      ['a quoted count over 10', () => createWith((server) => { server.count = '11' }), -4, /count/],
      ['a quoted root disk under 10 GB', () => createWith((server) => { server.volumes = [{ size: '9' }] }), -4, /size/],
      ['a root disk size with a fraction', () => createWith((server) => { server.volumes = [{ size: 20.5 }] }), -4, /size/],
      ['a root disk under 10 GB', () => createWith((server) => { server.volumes = [{ size: 5 }] }), -4, /size/],
      ['a root disk over 1000 GB', () => createWith((server) => { server.volumes = [{ size: 1001 }] }), -4, /size/],
      ['networks that are not a list', () => createWith((server) => { server.networks = 7 }), -4, /networks/],
      ['no networks (strict NHN project)', () => createWith((server) => { delete server.networks }), -4, /networks/],
      ['no key (strict NHN project)', () => createWith((server) => { delete server.keyName }), -4, /key/],
      ['a Windows name over 12 characters', () => createWith((server) => {
        server.image = WINDOWS_IMAGE; server.name = 'windows-server'; server.volumes = [{ size: 50 }]
      }), -4, /12 characters/],
      ['a Windows root disk under 50 GB', () => createWith((server) => { server.image = WINDOWS_IMAGE; server.name = 'win' }), -4, /50 GB/],
      ['an unknown flavor', () => createWith((server) => { server.flavor = 'no-such-flavor' }), 11000, /^FAIL: /],
      ['an unknown availability zone', () => createWith((server) => { server.availabilityZone = 'nowhere' }), 12000, /^FAIL: /],
      ['an unknown key', () => createWith((server) => { server.keyName = 'nokey' }), 13000, /^FAIL: /],
      ['an unknown network', () => createWith((server) => { server.networks = [{ id: '00000000-0000-0000-0000-000000000000' }] }), 20000, /^FAIL: /],
      ['another project\'s network', () => createWith((server) => { server.networks = [{ id: otherNetworkId }] }), 20000, /^FAIL: /],
      ['an unknown security group', () => createWith((server) => { server.securityGroups = [{ name: 'no-such-group' }] }), 24000, /^FAIL: /],
      ['an unknown image', () => createWith((server) => { server.image = '00000000-0000-0000-0000-000000000000' }), 30000, /^FAIL: /],
      ['more cores than the quota', () => createWith((server) => { server.flavor = BIG_FLAVOR }), 10000, /^FAIL: Quota exceeded/],
      ['more servers than the quota', () => createWith((server) => { server.count = 10 }), 10000, /^FAIL: Quota exceeded/],
    ]
    it.each(cases)('%s', async (_name, attempt, resultCode, message) => {
      const before = await projectState(v1.t, v1.owner)
      expectFailure(await attempt(), resultCode, message)
      expect(await projectState(v1.t, v1.owner)).toEqual(before)
    })
  })
})
