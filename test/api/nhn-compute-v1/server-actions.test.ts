import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import type { Owner } from '../../../src/core/shared/owner.ts'
import { buildV1, expectFailure, expectSuccess, fillSample, projectState, type V1Answer, type V1Fixture } from './v1-fixture.ts'

describe.each(await testEngines())('NHN v1.0 Server Action API refusals (%s)', (engine) => {
  let v1: V1Fixture
  let serverId: string
  let otherServerId: string
  let otherFloatingAddress: string
  let freeFloatingAddress: string

  beforeAll(async () => {
    v1 = await buildV1(engine)
    const { services } = v1.t.gureum
    const { defaults } = v1.t.credentials
    await services.keypairs.create(v1.owner, { name: 'k1' })
    const created = await v1.call('PUT', `${v1.base}/servers`, {
      payload: { server: { name: 'actor', image: defaults.image_id, flavor: defaults.flavor_id, networks: [{ id: defaults.network_id }],
        keyName: 'k1', volumes: [{ size: 20 }] } },
    })
    serverId = created.server.id
    const project = await services.projects.createProject({ name: 'actions-other' })
    const user = await services.identity.createUser({ projectId: project.id, name: 'actions-other-user', password: 'secret-pass-1', role: 'member' })
    const other: Owner = { projectId: project.id, userId: user.id, roles: ['member'] }
    const network = await services.networks.createNetwork(other, { name: 'theirs' })
    await services.networks.createSubnet(other, { networkId: network.id, cidr: '10.8.0.0/24' })
    otherServerId = (await services.servers.create(other, {
      name: 'theirs', imageId: defaults.image_id, flavorId: defaults.flavor_id, networks: [{ networkId: network.id }],
      keyName: null, securityGroups: [], userData: null, metadata: {}, availabilityZone: null, minCount: 1, maxCount: 1,
      blockDevices: [], serverGroupId: null, strictNhn: false,
    })).serverIds[0]
    otherFloatingAddress = (await services.networks.allocateFloatingIp(other, {})).address
    freeFloatingAddress = (await services.networks.allocateFloatingIp(v1.owner, {})).address
    await v1.t.drain()
  })
  afterAll(async () => v1?.close())

  const act = (body: unknown, id = serverId) => v1.call('POST', `${v1.base}/servers/${id}/action`, { payload: body })

  const refusals: [string, () => Promise<V1Answer>, number, RegExp][] = [
    ['an action this API does not have', () => act({ 'os-foo': null }), -7, /^Not supported: Action os-foo/],
    ['the v2 name of an action', () => act({ createImage: { name: 'x' } }), -7, /^Not supported: /],
    ['two actions at once', () => act({ 'os-stop': null, reboot: { type: 'SOFT' } }), -4, /one action/],
    ['an empty body object', () => act({}), -4, /^Invalid parameters: /],
    ['a body that is a list', () => act([{ 'os-start': null }]), -4, /^Invalid parameters: /],
    ['no body', () => v1.call('POST', `${v1.base}/servers/${serverId}/action`), -4, /^Invalid parameters: /],
    ['malformed JSON', () => v1.call('POST', `${v1.base}/servers/${serverId}/action`, { rawBody: '{"os-stop": }' }), -8, /^JSON parsing error: /],
    ['a reboot type that does not exist', () => act(fillSample('action-reboot.request', { 'Reboot Type': 'GENTLE' })), -4, /type/],
    ['a reboot without a type', () => act({ reboot: {} }), -4, /type/],
    ['a resize without a flavor', () => act({ resize: {} }), -4, /flavor/],
    ['a resize to the same flavor', () => act(fillSample('action-resize.request', { 'Flavor ID': v1.t.credentials.defaults.flavor_id })), -4, /change flavor/],
    ['a resize to an unknown flavor', () => act(fillSample('action-resize.request', { 'Flavor ID': 'no-such-flavor' })), 11000, /^FAIL: /],
    ['starting a running server', () => act(fillSample('action-os-start.request', {})), 10000, /^FAIL: Cannot 'start' .* vm_state active/],
    ['an image without a name', () => act({ uploadImage: { name: '' } }), -4, /name/],
    ['an image name over 255 characters', () => act(fillSample('action-upload-image.request', { 'Image Name': 'i'.repeat(256) })), -4, /name/],
    ['an unknown floating IP', () => act(fillSample('action-add-floating-ip.request', {
      'Floating IP Address': '198.51.100.7', 'IP Address of the server': '192.168.0.2',
    })), 22000, /^FAIL: /],
    ['another project\'s floating IP', () => act({ addFloatingIp: { address: otherFloatingAddress } }), 22000, /^FAIL: /],
    ['a fixed address the server does not have', () => act({ addFloatingIp: { address: freeFloatingAddress, ipAddress: '10.99.0.1' } }), -4, /10\.99\.0\.1/],
    ['a floating IP without its address', () => act({ addFloatingIp: {} }), -4, /address/],
    ['removing a floating IP the server does not have', () => act(fillSample('action-remove-floating-ip.request', {
      'Floating IP Address': freeFloatingAddress,
    })), 22000, /^FAIL: /],
    ['an unknown security group', () => act(fillSample('action-add-security-group.request', { 'Security Group Name': 'nope' })), 24000, /^FAIL: /],
    ['removing a security group the server does not have', () => act(fillSample('action-remove-security-group.request', {
      'Security Group Name': 'nope',
    })), 24000, /^FAIL: /],
    ['an unknown server', () => act({ 'os-stop': null }, '00000000-0000-0000-0000-000000000000'), -5, /^Nonexistent: /],
    ['another project\'s server', () => act({ 'os-stop': null }, otherServerId), -5, /^Nonexistent: /],
    ['another project\'s server, image action', () => act({ uploadImage: { name: 'steal' } }, otherServerId), -5, /^Nonexistent: /],
  ]

  it.each(refusals)('%s', async (_name, attempt, resultCode, message) => {
    const before = await projectState(v1.t, v1.owner)
    expectFailure(await attempt(), resultCode, message)
    expect(await projectState(v1.t, v1.owner)).toEqual(before)
  })

  it('refuses every other action while a transition runs (10000, naming the task), and stopping a stopped server', async () => {
    expectSuccess(await act({ 'os-stop': null }))
    const busy = await projectState(v1.t, v1.owner)
    for (const body of [{ 'os-stop': null }, { 'os-start': null }, { reboot: { type: 'SOFT' } }, { uploadImage: { name: 'x' } },
      { resize: { flavor: '181347cf-e559-43d4-9617-24ac1b38a977' } }]) {
      expectFailure(await act(body), 10000, /task_state powering-off/)
    }
    expect(await projectState(v1.t, v1.owner)).toEqual(busy)
    await v1.t.drain()
    const stopped = await projectState(v1.t, v1.owner)
    expectFailure(await act({ 'os-stop': null }), 10000, /vm_state stopped/)
    expectFailure(await act({ reboot: { type: 'SOFT' } }), 10000, /vm_state stopped/)
    expect(await projectState(v1.t, v1.owner)).toEqual(stopped)
    // A HARD reboot is allowed from STOP (CATALOG §3.1) and brings the server up.
    expectSuccess(await act({ reboot: { type: 'hard' } }))
    expect((await v1.call('GET', `${v1.base}/servers/${serverId}`)).server.status).toBe('REBOOTING')
    await v1.t.drain()
    expect((await v1.call('GET', `${v1.base}/servers/${serverId}`)).server.status).toBe('ACTIVE')
  })

  it('an image of a stopped server is allowed too: any server may upload an image in v1.0', async () => {
    expectSuccess(await act({ 'os-stop': null }))
    await v1.t.drain()
    const answer = await act({ uploadImage: { name: 'cold-copy' } })
    expectSuccess(answer)
    await v1.t.drain()
    expect((await v1.t.gureum.services.images.get(v1.owner, answer.createdImage.id)).status).toBe('active')
    expect((await v1.call('GET', `${v1.base}/servers/${serverId}`)).server.status).toBe('STOP')
  })
})
