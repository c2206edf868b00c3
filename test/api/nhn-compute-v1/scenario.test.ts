/**
 * One server's whole life through the v1.0 API, every request built from seed 000's examples, with
 * each transitional status of CATALOG §3.1 observed before the task that ends it runs. Volumes,
 * floating IPs and security groups come from the core services, as other dialects would make them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import { buildV1, expectShape, expectSuccess, fillSample, sample, type V1Answer, type V1Fixture } from './v1-fixture.ts'

const BIGGER_FLAVOR = { id: '181347cf-e559-43d4-9617-24ac1b38a977', name: 'm2.c2m4', cpu: 2, ram: 4096 }

describe.each(await testEngines())('NHN v1.0 server scenario (%s)', (engine) => {
  let v1: V1Fixture

  beforeAll(async () => {
    v1 = await buildV1(engine)
  })
  afterAll(async () => v1?.close())

  it('token → create 2 → ACTIVE → stop → start → reboot → resize → volume → floating IP → security group → image → delete', async () => {
    const { services } = v1.t.gureum
    const { defaults, user } = v1.t.credentials

    // A fresh token, as a v1.0 client starts.
    const issued = await v1.call('POST', `${v1.base}/tokens`, {
      token: null, payload: fillSample('token-issue.request', { 'User Name': 'demo', 'API Password': user.password }),
    })
    expectSuccess(issued)
    const token: string = issued.access.token.id
    const call = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, payload?: unknown) =>
      v1.call(method, `${v1.base}${path}`, { token, payload })
    const action = async (name: string, values: Record<string, unknown> = {}): Promise<V1Answer> => {
      const answer = await call('POST', `/servers/${id}/action`, fillSample(`action-${name}.request`, values))
      expectSuccess(answer)
      return answer
    }
    const show = async () => (await call('GET', `/servers/${id}`)).server
    const status = async () => (await show()).status as string

    await services.keypairs.create(v1.owner, { name: 'scenario-key' })
    const created = await call('PUT', '/servers', fillSample('server-create.request', {
      'Server Name': 'life', 'Image ID': defaults.image_id, 'Flavor ID': defaults.flavor_id, 'Network ID': defaults.network_id,
      'Availability Zone': 'kr-pub-b', 'Key Name': 'scenario-key', Count: 2, 'Volume Size': 20, 'Security Group Name': 'default',
    }))
    expectSuccess(created)
    expectShape(created, sample('server-create.response'))
    const id: string = created.server.id
    expect(created.server).toEqual({ id, name: 'life-1', status: 'BUILD' })
    const both = (await call('GET', '/servers')).servers as { id: string; name: string; status: string }[]
    expect(both.map((server) => [server.name, server.status]).sort()).toEqual([['life-1', 'BUILD'], ['life-2', 'BUILD']])

    // Poll until ACTIVE, running the tasks between polls as a worker would.
    let polls = 0
    while ((await status()) === 'BUILD' && polls++ < 5) await v1.t.drain()
    expect(await status()).toBe('ACTIVE')
    const active = await show()
    expect(active.addresses).toHaveLength(1)
    expect(active.addresses[0].ipAddress).toMatch(/^192\.168\.\d+\.\d+$/)
    expect(active.availabilityZone).toBe('kr-pub-b')
    expect((await services.servers.get(v1.owner, id)).vmState).toBe('active')

    // os-stop: ACTIVE → POWERING_OFF → STOP.
    expectShape(await action('os-stop'), sample('header-only.response'))
    expect(await status()).toBe('POWERING_OFF')
    await v1.t.drain()
    expect(await status()).toBe('STOP')

    // os-start: STOP → POWERING_ON → ACTIVE.
    await action('os-start')
    expect(await status()).toBe('POWERING_ON')
    await v1.t.drain()
    expect(await status()).toBe('ACTIVE')

    // reboot: ACTIVE → REBOOTING → ACTIVE, both kinds.
    for (const type of ['SOFT', 'HARD']) {
      await action('reboot', { 'Reboot Type': type })
      expect(await status()).toBe('REBOOTING')
      await v1.t.drain()
      expect(await status()).toBe('ACTIVE')
    }

    // resize: RESIZING through the resize and its automatic confirmation, then ACTIVE on the new flavor.
    await action('resize', { 'Flavor ID': BIGGER_FLAVOR.id })
    expect(await status()).toBe('RESIZING')
    await v1.t.drain()
    expect(await status()).toBe('RESIZING')
    v1.t.clock.advance(1000)
    await v1.t.drain()
    const resized = await show()
    expect(resized.status).toBe('ACTIVE')
    expect(resized.flavor).toEqual(BIGGER_FLAVOR)
    expect((await services.servers.get(v1.owner, id)).flavorId).toBe(BIGGER_FLAVOR.id)

    // Block storage made through the core, attached and detached here.
    const volume = await services.volumes.create(v1.owner, { sizeGb: 15, name: 'data' })
    const attached = await call('POST', `/servers/${id}/attachments`, fillSample('attach.request', { 'Volume ID': volume.id }))
    expectSuccess(attached)
    expectShape(attached, sample('attach.response'))
    expect(attached.attachment).toEqual({ device: '/dev/vdb', id: volume.id, volumeId: volume.id })
    await v1.t.drain()
    expect((await services.volumes.get(v1.owner, volume.id)).status).toBe('in-use')
    expect((await show()).volumes).toEqual({ root: { size: 20 }, attachments: [{ id: volume.id, name: 'data', size: 15 }] })
    expectShape(await call('DELETE', `/servers/${id}/attachments/${volume.id}`), sample('header-only.response'))
    await v1.t.drain()
    expect((await services.volumes.get(v1.owner, volume.id)).status).toBe('available')
    expect((await show()).volumes.attachments).toEqual([])

    // A floating IP allocated through the network service, associated and removed here.
    const floating = await services.networks.allocateFloatingIp(v1.owner, {})
    const fixedIp: string = active.addresses[0].ipAddress
    await action('add-floating-ip', { 'Floating IP Address': floating.address, 'IP Address of the server': fixedIp })
    expect((await show()).addresses).toEqual([expect.objectContaining({ ipAddress: fixedIp, floatingIpAddress: floating.address })])
    expect(await services.networks.getFloatingIp(v1.owner, floating.id)).toMatchObject({ serverId: id, fixedIp })
    await action('remove-floating-ip', { 'Floating IP Address': floating.address })
    expect((await show()).addresses[0]).not.toHaveProperty('floatingIpAddress')
    expect((await services.networks.getFloatingIp(v1.owner, floating.id)).portId).toBeNull()

    // A security group made through the network service.
    await services.networks.createSecurityGroup(v1.owner, { name: 'web' })
    await action('add-security-group', { 'Security Group Name': 'web' })
    expect((await show()).securityGroups).toEqual([{ name: 'default' }, { name: 'web' }])
    await action('remove-security-group', { 'Security Group Name': 'web' })
    expect((await show()).securityGroups).toEqual([{ name: 'default' }])

    // uploadImage: the image is queued, and active once the snapshot task ran.
    const uploaded = await action('upload-image', { 'Image Name': 'life-image' })
    expectShape(uploaded, sample('action-upload-image.response'))
    expect(uploaded.createdImage.name).toBe('life-image')
    expect((await services.images.get(v1.owner, uploaded.createdImage.id)).status).not.toBe('active')
    expect(await status()).toBe('ACTIVE')
    await v1.t.drain()
    expect(await services.images.get(v1.owner, uploaded.createdImage.id)).toMatchObject({ status: 'active', name: 'life-image' })

    // delete: DELETING, then gone (-5), and the other server of the batch untouched.
    expectShape(await call('DELETE', `/servers/${id}`), sample('header-only.response'))
    expect(await status()).toBe('DELETING')
    await v1.t.drain()
    const gone = await call('GET', `/servers/${id}`)
    expect(gone.header.resultCode).toBe(-5)
    const left = (await call('GET', '/servers')).servers as { name: string; status: string }[]
    expect(left).toEqual([expect.objectContaining({ name: 'life-2', status: 'ACTIVE' })])
  })
})
