import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import type { Owner } from '../../../src/core/shared/owner.ts'
import {
  buildV1, expectFailure, expectShape, expectSuccess, fillSample, projectState, sample, type V1Answer, type V1Fixture,
} from './v1-fixture.ts'

describe.each(await testEngines())('NHN v1.0 block storage attach and detach (%s)', (engine) => {
  let v1: V1Fixture
  let serverId: string
  let secondServerId: string
  let otherVolumeId: string
  let otherServerId: string
  let busyVolumeId: string

  const createServer = async (name: string) => {
    const { defaults } = v1.t.credentials
    return (await v1.call('PUT', `${v1.base}/servers`, {
      payload: { server: { name, image: defaults.image_id, flavor: defaults.flavor_id, networks: [{ id: defaults.network_id }],
        keyName: 'k1', volumes: [{ size: 20 }] } },
    })).server.id as string
  }

  beforeAll(async () => {
    v1 = await buildV1(engine)
    const { services } = v1.t.gureum
    await services.keypairs.create(v1.owner, { name: 'k1' })
    serverId = await createServer('holder')
    secondServerId = await createServer('second')
    await v1.t.drain()
    const project = await services.projects.createProject({ name: 'attach-other', strictNhn: false })
    const user = await services.identity.createUser({ projectId: project.id, name: 'attach-other-user', password: 'secret-pass-1', role: 'member' })
    const other: Owner = { projectId: project.id, userId: user.id, roles: ['member'] }
    otherVolumeId = (await services.volumes.create(other, { sizeGb: 10 })).id
    const network = await services.networks.createNetwork(other, { name: 'theirs' })
    await services.networks.createSubnet(other, { networkId: network.id, cidr: '10.7.0.0/24' })
    otherServerId = (await services.servers.create(other, {
      name: 'theirs', imageId: v1.t.credentials.defaults.image_id, flavorId: v1.t.credentials.defaults.flavor_id,
      networks: [{ networkId: network.id }], keyName: null, securityGroups: [], userData: null, metadata: {}, availabilityZone: null,
      minCount: 1, maxCount: 1, blockDevices: [], serverGroupId: null, strictNhn: false,
    })).serverIds[0]
    busyVolumeId = (await services.volumes.create(v1.owner, { sizeGb: 10, name: 'busy' })).id
    await services.servers.attachVolume(v1.owner, secondServerId, { volumeId: busyVolumeId, device: null, deleteOnTermination: false })
    await v1.t.drain()
  })
  afterAll(async () => v1?.close())

  const attach = (volumeId: unknown, server = serverId, prefix = '') =>
    v1.call('POST', `${prefix}${v1.base}/servers/${server}/attachments`, { payload: { attachment: { volumeId } } })

  it.each([
    ['the seed\'s /infrastructure path', '/infrastructure'],
    ['the canonical path', ''],
  ])('doc-verified: attaches and detaches under %s', async (_name, prefix) => {
    const volume = await v1.t.gureum.services.volumes.create(v1.owner, { sizeGb: 12, name: `data${prefix.length}` })
    const answer = await v1.call('POST', `${prefix}${v1.base}/servers/${serverId}/attachments`, {
      payload: fillSample('attach.request', { 'Volume ID': volume.id }),
    })
    expectSuccess(answer)
    expectShape(answer, sample('attach.response'))
    expect(answer.attachment).toEqual({ device: expect.stringMatching(/^\/dev\/vd[b-z]$/), id: volume.id, volumeId: volume.id })
    await v1.t.drain()
    const attachments = await v1.t.gureum.services.servers.volumeAttachments(v1.owner, serverId)
    expect(attachments.find((attachment) => attachment.volumeId === volume.id)).toMatchObject({ device: answer.attachment.device })
    const detached = await v1.call('DELETE', `${prefix}${v1.base}/servers/${serverId}/attachments/${volume.id}`)
    expectSuccess(detached)
    expectShape(detached, sample('header-only.response'))
    await v1.t.drain()
    expect((await v1.t.gureum.services.volumes.get(v1.owner, volume.id)).status).toBe('available')
  })

  const refusals: [string, () => Promise<V1Answer>, number, RegExp][] = [
    ['an unknown volume', () => attach('00000000-0000-0000-0000-000000000000'), -5, /^Nonexistent: /],
    ['another project\'s volume', () => attach(otherVolumeId), -5, /^Nonexistent: /],
    ['a volume in use by another server', () => attach(busyVolumeId), 40000, /^FAIL: .*in-use/],
    ['a volume already attached to this server', () => attach(busyVolumeId, secondServerId), 40000, /^FAIL: .*already attached/],
    ['an unknown server', () => attach(busyVolumeId, '00000000-0000-0000-0000-000000000000'), -5, /^Nonexistent: /],
    ['another project\'s server', () => attach(busyVolumeId, otherServerId), -5, /^Nonexistent: /],
    ['no volume id', () => v1.call('POST', `${v1.base}/servers/${serverId}/attachments`, { payload: { attachment: {} } }), -4, /volumeId/],
    ['a volume id of the wrong type', () => attach({ id: 1 }), -4, /volumeId/],
    ['malformed JSON', () => v1.call('POST', `/infrastructure${v1.base}/servers/${serverId}/attachments`, { rawBody: '{"attachment":' }), -8, /^JSON parsing error/],
    ['no token under /infrastructure', () => v1.call('POST', `/infrastructure${v1.base}/servers/${serverId}/attachments`, {
      token: null, payload: { attachment: { volumeId: busyVolumeId } },
    }), -3, /^Permission denied/],
    ['detaching a volume that is not attached', () => v1.call('DELETE', `${v1.base}/servers/${serverId}/attachments/${busyVolumeId}`), -5, /^Nonexistent: /],
    ['detaching from another project\'s server', () => v1.call('DELETE', `${v1.base}/servers/${otherServerId}/attachments/${otherVolumeId}`), -5, /^Nonexistent: /],
  ]

  it.each(refusals)('refuses %s and changes nothing', async (_name, attempt, resultCode, message) => {
    const before = await projectState(v1.t, v1.owner)
    expectFailure(await attempt(), resultCode, message)
    expect(await projectState(v1.t, v1.owner)).toEqual(before)
  })

  it('refuses to attach to a server that is still being built (10000) and changes nothing', async () => {
    const building = await createServer('young')
    const volume = await v1.t.gureum.services.volumes.create(v1.owner, { sizeGb: 10 })
    const before = await projectState(v1.t, v1.owner)
    expectFailure(await attach(volume.id, building), 10000, /vm_state building|task_state scheduling/)
    expect(await projectState(v1.t, v1.owner)).toEqual(before)
    await v1.t.drain()
  })
})
