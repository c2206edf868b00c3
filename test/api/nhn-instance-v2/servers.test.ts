import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import {
  adminCaller, compute, demoCaller, faultOf, newTenant, PAST_TOKEN_EXPIRY_MS, sample, shapeOf, type Caller,
} from './catalog-fixture.ts'
import {
  BASE, createBody, createServer, deleteServer, ensureKeypair, MICROSECONDS_TIME, novaHostId, postServer,
  raiseQuotas, SECONDS_TIME, showServer, tinyImage, U2_FLAVOR_ID, withStrictNhn, type WireServer,
} from './server-fixture.ts'

interface Link { href: string; rel: string }

/** A body's shape with what legitimately varies (metadata keys, network names) folded away. */
function serverShape(server: Record<string, unknown>): unknown {
  const { metadata: _metadata, addresses, ...rest } = server
  return shapeOf({ ...rest, metadata: {}, addresses: Object.values(addresses as object) })
}

/** Keys Gureum adds to the seed examples' server body at the default microversion (seed 002's show table). */
const NHN_EXTRA_KEYS = ['NHN-EXT-ATTR:ephemeral_disk_size']

function withoutExtras(server: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...server }
  for (const key of NHN_EXTRA_KEYS) delete copy[key]
  return copy
}

describe.each(await testEngines())('nhn-instance-v2 servers (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let other: Caller
  const defaults = () => t.credentials.defaults

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    other = await newTenant(t)
    await ensureKeypair(t, demo)
    await raiseQuotas(t, demo.tenantId)
  })
  afterAll(async () => { await t.close() })

  async function listAll(path: string, caller: Caller = demo): Promise<WireServer[]> {
    const response = await compute(t, caller, { path })
    expect(response.statusCode, response.body).toBe(200)
    return (response.json() as { servers: WireServer[] }).servers
  }

  describe('POST /servers (N-11)', () => {
    it('doc-verified: replays the 001/002 request example and answers 202 in the example shape, with Location', async () => {
      const request = sample<{ server: Record<string, unknown> }>('server-create-request.json')
      // The example's ids are NHN's; the same request against the demo catalog (its subnet, image, flavor, key).
      const payload = {
        server: {
          ...request.server,
          imageRef: defaults().image_id,
          flavorRef: defaults().flavor_id,
          networks: [{ subnet: defaults().subnet_id }],
          key_name: 'server-test-key',
          block_device_mapping_v2: [{ ...(request.server.block_device_mapping_v2 as object[])[0], uuid: defaults().image_id }],
        },
      }
      expect(payload.server).toMatchObject({ availability_zone: 'kr-pub-a', max_count: 1, min_count: 1 })
      const response = await postServer(t, demo, payload)
      expect(response.statusCode, response.body).toBe(202)
      const body = response.json() as { server: { id: string; links: Link[] } }
      expect(shapeOf(body)).toEqual(shapeOf(sample('server-create-response.json')))
      expect(shapeOf(body)).toEqual(shapeOf(sample('server-create-response.legacy.json')))
      expect(body).toEqual({
        server: {
          security_groups: [{ name: 'default' }],
          'OS-DCF:diskConfig': 'MANUAL',
          id: body.server.id,
          links: [
            { href: `${BASE}/v2/${demo.tenantId}/servers/${body.server.id}`, rel: 'self' },
            { href: `${BASE}/${demo.tenantId}/servers/${body.server.id}`, rel: 'bookmark' },
          ],
        },
      })
      expect(response.headers.location).toBe(`${BASE}/v2/${demo.tenantId}/servers/${body.server.id}`)
      expect(response.headers['x-compute-request-id']).toMatch(/^req-/)

      const building = await showServer(t, demo, body.server.id)
      expect(building).toMatchObject({ status: 'BUILD', 'OS-EXT-STS:vm_state': 'building', 'OS-EXT-STS:task_state': 'scheduling' })
      await t.drain()
      const active = await showServer(t, demo, body.server.id)
      expect(active).toMatchObject({ status: 'ACTIVE', 'OS-EXT-AZ:availability_zone': 'kr-pub-a', key_name: 'server-test-key' })
      expect(active.metadata).toMatchObject({ volume_size: '1000', image_name: 'Ubuntu Server 22.04 LTS (2024.11.19)' })
      // delete_on_termination: 1 (the example's integer) means the boot volume goes with the server.
      const volumes = active['os-extended-volumes:volumes_attached'] as { id: string }[]
      expect(volumes).toHaveLength(1)
      await deleteServer(t, demo, body.server.id)
      const owner = (await t.gureum.services.identity.validateToken(demo.token)).owner
      await expect(t.gureum.services.volumes.get(owner, volumes[0].id)).rejects.toMatchObject({ kind: 'not_found' })
    })

    it('doc-verified: replays both seed 003 request examples (image metadata; a blank extra volume)', async () => {
      const legacy = sample<{ server: Record<string, unknown> }>('server-create-request.legacy.json')
      const first = await postServer(t, demo, {
        server: {
          ...legacy.server, imageRef: defaults().image_id, flavorRef: defaults().flavor_id, key_name: 'server-test-key',
          networks: [{ subnet: defaults().subnet_id }],
          block_device_mapping_v2: [{ ...(legacy.server.block_device_mapping_v2 as object[])[0], uuid: defaults().image_id, volume_size: 30 }],
        },
      })
      expect(first.statusCode, first.body).toBe(202)
      expect(shapeOf(first.json())).toEqual(shapeOf(sample('server-create-response.legacy.json')))

      const blank = sample<{ server: Record<string, unknown> }>('server-create-request-blank.legacy.json')
      const second = await postServer(t, demo, {
        server: {
          ...blank.server, imageRef: defaults().image_id, flavorRef: defaults().flavor_id, key_name: 'server-test-key',
          networks: [{ subnet: defaults().subnet_id }],
        },
      })
      expect(second.statusCode, second.body).toBe(202)
      await t.drain()
      const one = await showServer(t, demo, (first.json() as { server: { id: string } }).server.id)
      expect(one.metadata).toMatchObject({ login_username: 'root', os_distro: 'CentOS', volume_size: '1000' })
      const two = await showServer(t, demo, (second.json() as { server: { id: string } }).server.id)
      expect(two.status).toBe('ACTIVE')
      expect(two['os-extended-volumes:volumes_attached']).toHaveLength(1)
      await deleteServer(t, demo, one.id)
      await deleteServer(t, demo, two.id)
    })

    it('returns the reservation id when asked, shared by every server of the request (max_count)', async () => {
      const response = await postServer(t, demo, createBody(t, { name: 'batch', min_count: 2, max_count: '3', return_reservation_id: 'True' }))
      expect(response.statusCode, response.body).toBe(202)
      const { reservation_id: reservationId } = response.json() as { reservation_id: string }
      expect(reservationId).toMatch(/^r-[0-9a-f]{8}$/)
      const servers = await listAll(`/servers?reservation_id=${reservationId}`)
      expect(servers.map((server) => server.name).sort()).toEqual(['batch-1', 'batch-2', 'batch-3'])
      await t.drain()
      for (const server of servers) await deleteServer(t, demo, server.id)
    })

    it('refuses more than 10 servers per request and max_count below min_count', async () => {
      for (const counts of [{ min_count: 1, max_count: 11 }, { min_count: 3, max_count: 2 }, { min_count: 0 }]) {
        const response = await postServer(t, demo, createBody(t, counts))
        expect(response.statusCode, JSON.stringify(counts)).toBe(400)
      }
      expect(await listAll('/servers')).toEqual([])
    })

    it('accepts delete_on_termination as 0/1/true/false/"true" and keeps or deletes the boot volume accordingly', async () => {
      const owner = (await t.gureum.services.identity.validateToken(demo.token)).owner
      for (const [value, deleted] of [[0, false], [1, true], [false, false], ['true', true], ['False', false]] as const) {
        const id = await createServer(t, demo, {
          block_device_mapping_v2: [{
            uuid: defaults().image_id, boot_index: '0', volume_size: '20', source_type: 'image', destination_type: 'volume',
            delete_on_termination: value,
          }],
        })
        await t.drain()
        const [volume] = (await showServer(t, demo, id))['os-extended-volumes:volumes_attached'] as { id: string }[]
        await deleteServer(t, demo, id)
        const after = t.gureum.services.volumes.get(owner, volume.id)
        if (deleted) await expect(after, String(value)).rejects.toMatchObject({ kind: 'not_found' })
        else await t.gureum.services.volumes.delete(owner, (await after).id)
      }
    })

    it('rejects user_data that is not base64 or is over 65535 bytes once decoded', async () => {
      const ok = await postServer(t, demo, createBody(t, { user_data: Buffer.from('#!/bin/sh\necho hi\n').toString('base64') }))
      expect(ok.statusCode).toBe(202)
      const notBase64 = await postServer(t, demo, createBody(t, { user_data: 'not base64!' }))
      expect(notBase64.statusCode).toBe(400)
      const tooBig = await postServer(t, demo, createBody(t, { user_data: Buffer.alloc(65536, 1).toString('base64') }))
      expect(tooBig.statusCode).toBe(400)
      await t.drain()
      await deleteServer(t, demo, (ok.json() as { server: { id: string } }).server.id)
    })

    it('joins the server group given in os:scheduler_hints', async () => {
      const owner = (await t.gureum.services.identity.validateToken(demo.token)).owner
      const group = await t.gureum.services.serverGroups.create(owner, { name: 'web', policy: 'anti-affinity' })
      const response = await postServer(t, demo, createBody(t, { name: 'grouped' }, { 'os:scheduler_hints': { group: group.id } }))
      expect(response.statusCode, response.body).toBe(202)
      const id = (response.json() as { server: { id: string } }).server.id
      expect((await t.gureum.services.serverGroups.get(owner, group.id)).memberIds).toContain(id)
      await t.drain()
      await deleteServer(t, demo, id)
    })

    it('at 2.37 requires networks and accepts "none" and "auto"; below 2.37 a string is refused', async () => {
      await withStrictNhn(t, demo.tenantId, false, async () => {
        const { networks: _networks, ...withoutNetworks } = createBody(t).server
        const missing = await postServer(t, demo, { server: withoutNetworks }, '2.37')
        expect(missing.statusCode).toBe(400)
        expect(faultOf(missing).message).toContain('networks')
        const none = await postServer(t, demo, { server: { ...withoutNetworks, name: 'isolated', networks: 'none' } }, '2.37')
        expect(none.statusCode, none.body).toBe(202)
        const auto = await postServer(t, demo, { server: { ...withoutNetworks, name: 'auto', networks: 'auto' } }, '2.37')
        expect(auto.statusCode, auto.body).toBe(202)
        const old = await postServer(t, demo, { server: { ...withoutNetworks, networks: 'auto' } }, '2.36')
        expect(old.statusCode).toBe(400)
        await t.drain()
        const isolated = await showServer(t, demo, (none.json() as { server: { id: string } }).server.id)
        expect(isolated.addresses).toEqual({})
        expect(isolated.security_groups).toBeUndefined()
        const automatic = await showServer(t, demo, (auto.json() as { server: { id: string } }).server.id)
        expect(Object.keys(automatic.addresses as object)).toEqual(['Default Network'])
        await deleteServer(t, demo, isolated.id)
        await deleteServer(t, demo, automatic.id)
      })
    })

    it('accepts description only from 2.19', async () => {
      const old = await postServer(t, demo, createBody(t, { description: 'db' }), '2.18')
      expect(old.statusCode).toBe(400)
      const response = await postServer(t, demo, createBody(t, { description: 'db' }), '2.19')
      expect(response.statusCode, response.body).toBe(202)
      const id = (response.json() as { server: { id: string } }).server.id
      expect((await showServer(t, demo, id, '2.19')).description).toBe('db')
      expect((await showServer(t, demo, id, '2.18')).description).toBeUndefined()
      await t.drain()
      await deleteServer(t, demo, id)
    })
  })

  describe('strict NHN create rules (CATALOG §2.2.2)', () => {
    // Images without a minimum disk or RAM, so that only NHN's rules (not the image's) refuse a small disk.
    let linux: string
    let windows: string

    beforeAll(async () => {
      linux = await tinyImage(t, demo, 'linux')
      windows = await tinyImage(t, demo, 'windows')
    })

    const rootVolume = (image: string, size: number) =>
      [{ uuid: image, boot_index: 0, volume_size: size, source_type: 'image', destination_type: 'volume' }]
    const violations: [string, () => Record<string, unknown>][] = [
      ['no networks', () => { const { networks: _n, ...server } = createBody(t).server; return server }],
      ['no key_name', () => { const { key_name: _k, ...server } = createBody(t).server; return server }],
      ['no block_device_mapping_v2 on a volume-backed flavor', () => {
        const { block_device_mapping_v2: _b, ...server } = createBody(t).server
        return server
      }],
      ['a Linux root volume under 10 GB', () => createBody(t, { imageRef: linux, block_device_mapping_v2: rootVolume(linux, 5) }).server],
      ['a root volume over 1 TB', () => createBody(t, { block_device_mapping_v2: rootVolume(t.credentials.defaults.image_id, 1001) }).server],
      ['a Windows name over 15 characters', () =>
        createBody(t, { name: 'windows-server-16', imageRef: windows, block_device_mapping_v2: rootVolume(windows, 50) }).server],
      ['a Windows root volume under 50 GB', () =>
        createBody(t, { name: 'win', imageRef: windows, block_device_mapping_v2: rootVolume(windows, 40) }).server],
      ['a Windows image on a flavor with less than 2 GB of RAM', () =>
        createBody(t, { name: 'win', imageRef: windows, flavorRef: '8aeefb8e-2f19-40fa-b619-927600eed263', block_device_mapping_v2: rootVolume(windows, 50) }).server],
      ['a Windows image on a U2 flavor', () => {
        const { block_device_mapping_v2: _b, ...server } = createBody(t, { name: 'win', imageRef: windows, flavorRef: U2_FLAVOR_ID }).server
        return server
      }],
    ]

    it.each(violations)('refuses %s with 400 on a strict project, and a plain-Nova project accepts it', async (_what, server) => {
      const refused = await postServer(t, demo, { server: server() })
      expect(refused.statusCode, refused.body).toBe(400)
      expect(faultOf(refused).name).toBe('badRequest')
      await withStrictNhn(t, demo.tenantId, false, async () => {
        const acceptedBody = await postServer(t, demo, { server: server() })
        expect(acceptedBody.statusCode, acceptedBody.body).toBe(202)
        await t.drain()
        await deleteServer(t, demo, (acceptedBody.json() as { server: { id: string } }).server.id)
      })
    })

    it('lets a U2 (local disk) flavor boot from its image without block_device_mapping_v2', async () => {
      const { block_device_mapping_v2: _b, ...server } = createBody(t, { flavorRef: U2_FLAVOR_ID }).server
      const response = await postServer(t, demo, { server })
      expect(response.statusCode, response.body).toBe(202)
      await t.drain()
      const id = (response.json() as { server: { id: string } }).server.id
      const shown = await showServer(t, demo, id)
      expect(shown['os-extended-volumes:volumes_attached']).toEqual([])
      expect(shown.image).toMatchObject({ id: defaults().image_id })
      await deleteServer(t, demo, id)
    })
  })

  describe('GET /servers/{id} (N-10) and the lists (N-8, N-9)', () => {
    let id: string

    beforeAll(async () => {
      id = await createServer(t, demo, { name: 'Web-Server' })
      await t.drain()
    })
    afterAll(async () => { await deleteServer(t, demo, id) })

    it('doc-verified: shows an ACTIVE server in the shape of seeds 001–003, with the documented formats', async () => {
      const response = await compute(t, demo, { path: `/servers/${id}` })
      expect(response.statusCode).toBe(200)
      const { server } = response.json() as { server: WireServer }
      for (const name of ['server-show.json', 'server-show.legacy.json']) {
        expect(serverShape(withoutExtras(server))).toEqual(serverShape(sample<{ server: Record<string, unknown> }>(name).server))
      }
      expect(server['NHN-EXT-ATTR:ephemeral_disk_size']).toBe(0)
      expect(server).toMatchObject({
        id, name: 'Web-Server', status: 'ACTIVE', tenant_id: demo.tenantId, user_id: demo.userId,
        'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null, 'OS-EXT-STS:power_state': 1,
        'OS-DCF:diskConfig': 'MANUAL', accessIPv4: '', accessIPv6: '', progress: 0, config_drive: '',
        'OS-SRV-USG:terminated_at': null, key_name: 'server-test-key', security_groups: [{ name: 'default' }],
        'OS-EXT-AZ:availability_zone': expect.stringMatching(/^kr-pub-[ab]$/),
        image: { id: defaults().image_id, links: [{ href: `${BASE}/${demo.tenantId}/images/${defaults().image_id}`, rel: 'bookmark' }] },
        flavor: { id: defaults().flavor_id, links: [{ href: `${BASE}/${demo.tenantId}/flavors/${defaults().flavor_id}`, rel: 'bookmark' }] },
        links: [
          { href: `${BASE}/v2/${demo.tenantId}/servers/${id}`, rel: 'self' },
          { href: `${BASE}/${demo.tenantId}/servers/${id}`, rel: 'bookmark' },
        ],
      })
      expect(server.created).toMatch(SECONDS_TIME)
      expect(server.updated).toMatch(SECONDS_TIME)
      expect(server['OS-SRV-USG:launched_at']).toMatch(MICROSECONDS_TIME)
      const hosts = (await t.gureum.services.hosts.list()).map((host) => novaHostId(demo.tenantId, host.name))
      expect(server.hostId).toMatch(/^[0-9a-f]{56}$/)
      expect(hosts).toContain(server.hostId)
      const addresses = server.addresses as Record<string, { addr: string; version: number; 'OS-EXT-IPS:type': string; 'OS-EXT-IPS-MAC:mac_addr': string }[]>
      expect(Object.keys(addresses)).toEqual(['Default Network'])
      expect(addresses['Default Network']).toEqual([{
        version: 4, addr: expect.stringMatching(/^192\.168\./), 'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': expect.stringMatching(/^fa:16:3e(:[0-9a-f]{2}){3}$/),
      }])
    })

    it('shows a floating IP after the fixed one with the same MAC (seed 003 example)', async () => {
      const owner = (await t.gureum.services.identity.validateToken(demo.token)).owner
      const floating = await t.gureum.services.networks.allocateFloatingIp(owner, {})
      const added = await compute(t, demo, { method: 'POST', path: `/servers/${id}/action`, payload: { addFloatingIp: { address: floating.address } } })
      expect(added.statusCode, added.body).toBe(202)
      const addresses = (await showServer(t, demo, id)).addresses as Record<string, { addr: string; 'OS-EXT-IPS:type': string; 'OS-EXT-IPS-MAC:mac_addr': string }[]>
      const [fixed, float] = addresses['Default Network']
      expect(float).toMatchObject({ addr: floating.address, 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': fixed['OS-EXT-IPS-MAC:mac_addr'] })
      const ips = await compute(t, demo, { path: `/servers/${id}/ips` })
      expect(ips.json()).toEqual({ addresses: { 'Default Network': [{ version: 4, addr: fixed.addr }, { version: 4, addr: floating.address }] } })
      const byNetwork = await compute(t, demo, { path: `/servers/${id}/ips/${encodeURIComponent('Default Network')}` })
      expect(byNetwork.json()).toEqual({ 'Default Network': [{ version: 4, addr: fixed.addr }, { version: 4, addr: floating.address }] })
      expect((await compute(t, demo, { path: `/servers/${id}/ips/elsewhere` })).statusCode).toBe(404)
      const removed = await compute(t, demo, { method: 'POST', path: `/servers/${id}/action`, payload: { removeFloatingIp: { address: floating.address } } })
      expect(removed.statusCode).toBe(202)
      expect(((await showServer(t, demo, id)).addresses as Record<string, unknown[]>)['Default Network']).toHaveLength(1)
    })

    it('doc-verified: lists servers briefly and in detail in the seed examples shapes', async () => {
      const brief = await compute(t, demo, { path: '/servers' })
      expect(shapeOf(brief.json())).toEqual(shapeOf(sample('servers-list.json')))
      expect((brief.json() as { servers: unknown[] }).servers).toEqual([{
        id, name: 'Web-Server',
        links: [
          { href: `${BASE}/v2/${demo.tenantId}/servers/${id}`, rel: 'self' },
          { href: `${BASE}/${demo.tenantId}/servers/${id}`, rel: 'bookmark' },
        ],
      }])
      const detail = await compute(t, demo, { path: '/servers/detail' })
      const { servers } = detail.json() as { servers: WireServer[] }
      for (const name of ['servers-detail.json', 'servers-detail.legacy.json']) {
        const example = sample<{ servers: Record<string, unknown>[] }>(name).servers
        expect(servers.map((server) => serverShape(withoutExtras(server)))).toEqual(example.map(serverShape))
      }
      expect(servers[0]).toEqual(await showServer(t, demo, id))
    })

    it('follows the microversion: locked from 2.9, description from 2.19, tags from 2.26, delete_on_termination from 2.3', async () => {
      const v21 = await showServer(t, demo, id, '2.1')
      expect(v21).not.toHaveProperty('locked')
      expect(v21).not.toHaveProperty('description')
      expect(v21).not.toHaveProperty('tags')
      expect(v21['os-extended-volumes:volumes_attached']).toEqual([{ id: expect.any(String) }])
      const latest = await showServer(t, demo, id, 'latest' as string)
      expect(latest).toMatchObject({ locked: false, description: null, tags: [] })
      expect(latest['os-extended-volumes:volumes_attached']).toEqual([{ id: expect.any(String), delete_on_termination: true }])
      // Non-admins never see the OS-EXT-SRV-ATTR fields.
      expect(Object.keys(latest).some((key) => key.startsWith('OS-EXT-SRV-ATTR'))).toBe(false)
      expect(latest).not.toHaveProperty('host_status')
      const v21Prefix = await compute(t, demo, { path: `/servers/${id}`, prefix: '/v2.1' })
      expect((v21Prefix.json() as { server: { links: Link[] } }).server.links[0].href).toBe(`${BASE}/v2.1/${demo.tenantId}/servers/${id}`)
    })

    it('shows admins the OS-EXT-SRV-ATTR fields and host_status', async () => {
      const admin = await adminCaller(t)
      const created = await postServer(t, admin, {
        server: { name: 'admin-box', imageRef: defaults().image_id, flavorRef: U2_FLAVOR_ID, networks: 'none' },
      }, '2.37')
      expect(created.statusCode, created.body).toBe(202)
      await t.drain()
      const serverId = (created.json() as { server: { id: string } }).server.id
      const shown = await showServer(t, admin, serverId, '2.37')
      const hostNames = (await t.gureum.services.hosts.list()).map((host) => host.name)
      expect(hostNames).toContain(shown['OS-EXT-SRV-ATTR:host'])
      expect(shown).toMatchObject({
        'OS-EXT-SRV-ATTR:hypervisor_hostname': shown['OS-EXT-SRV-ATTR:host'],
        'OS-EXT-SRV-ATTR:instance_name': `instance-${serverId.slice(0, 8)}`,
        'OS-EXT-SRV-ATTR:reservation_id': expect.stringMatching(/^r-/),
        'OS-EXT-SRV-ATTR:launch_index': 0,
        'OS-EXT-SRV-ATTR:hostname': 'admin-box',
        'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda',
        'OS-EXT-SRV-ATTR:user_data': null,
        host_status: 'UP',
      })
      expect((await showServer(t, admin, serverId, '2.1'))).not.toHaveProperty('OS-EXT-SRV-ATTR:reservation_id')
      await deleteServer(t, admin, serverId)
    })
  })

  describe('PUT and DELETE /servers/{id} (N-12, N-13)', () => {
    it('doc-verified: renames (001–003 example) and sets accessIPv4 (003 example), answering the server view', async () => {
      const id = await createServer(t, demo, { name: 'before' })
      await t.drain()
      t.clock.advance(5000)
      const renamed = await compute(t, demo, { method: 'PUT', path: `/servers/${id}`, payload: sample('server-update-request.json') })
      expect(renamed.statusCode, renamed.body).toBe(200)
      const { server } = renamed.json() as { server: WireServer }
      expect(serverShape(withoutExtras(server))).toEqual(serverShape(sample<{ server: Record<string, unknown> }>('server-show.json').server))
      expect(server.name).toBe('new-server-test')
      expect(server.updated).not.toBe(server.created)
      const address = await compute(t, demo, { method: 'PUT', path: `/servers/${id}`, payload: sample('server-update-request-access-ip.legacy.json') })
      expect(address.statusCode).toBe(200)
      expect((address.json() as { server: WireServer }).server).toMatchObject({ name: 'new-server-test', accessIPv4: '67.23.10.132' })
      const bad = await compute(t, demo, { method: 'PUT', path: `/servers/${id}`, payload: { server: { accessIPv4: '999.1.1.1' } } })
      expect(bad.statusCode).toBe(400)
      const described = await compute(t, demo, { method: 'PUT', path: `/servers/${id}`, payload: { server: { description: 'x' } }, microversion: '2.19' })
      expect((described.json() as { server: WireServer }).server.description).toBe('x')
      const tooEarly = await compute(t, demo, { method: 'PUT', path: `/servers/${id}`, payload: { server: { description: 'x' } } })
      expect(tooEarly.statusCode).toBe(400)
      for (const payload of [{ server: { name: '' } }, { server: { name: 5 } }, { server: { flavorRef: 'x' } }, {}, { name: 'x' }]) {
        const refused = await compute(t, demo, { method: 'PUT', path: `/servers/${id}`, payload })
        expect(refused.statusCode, JSON.stringify(payload)).toBe(400)
      }
      await deleteServer(t, demo, id)
    })

    it('deletes with 204, then 404; the server appears as DELETED in a changes-since list', async () => {
      const since = new Date(t.clock.now().getTime()).toISOString().slice(0, 19)
      const id = await createServer(t, demo, { name: 'short-lived' })
      await t.drain()
      t.clock.advance(1000)
      const response = await compute(t, demo, { method: 'DELETE', path: `/servers/${id}` })
      expect(response.statusCode).toBe(204)
      expect(response.body).toBe('')
      expect((await showServer(t, demo, id))['OS-EXT-STS:task_state']).toBe('deleting')
      await t.drain()
      const gone = await compute(t, demo, { path: `/servers/${id}` })
      expect(gone.statusCode).toBe(404)
      expect(faultOf(gone)).toMatchObject({ name: 'itemNotFound', code: 404 })
      expect((await compute(t, demo, { method: 'DELETE', path: `/servers/${id}` })).statusCode).toBe(404)
      expect((await listAll('/servers/detail')).map((server) => server.id)).not.toContain(id)
      const changed = await listAll(`/servers/detail?changes-since=${since}`)
      const deleted = changed.find((server) => server.id === id)!
      expect(deleted).toMatchObject({ status: 'DELETED', 'OS-EXT-STS:vm_state': 'deleted' })
      expect(deleted['OS-SRV-USG:terminated_at']).toMatch(SECONDS_TIME)
      // A time after the delete excludes it.
      t.clock.advance(1000)
      const later = t.clock.now().toISOString()
      expect((await listAll(`/servers?changes-since=${later}`)).map((server) => server.id)).not.toContain(id)
      expect((await compute(t, demo, { path: '/servers?changes-since=yesterday' })).statusCode).toBe(400)
    })
  })

  describe('list filters and pages', () => {
    let ids: string[]
    let reservationId: string

    beforeAll(async () => {
      const response = await postServer(t, demo, createBody(t, { name: 'page', min_count: 5, max_count: 5, return_reservation_id: true }))
      expect(response.statusCode, response.body).toBe(202)
      reservationId = (response.json() as { reservation_id: string }).reservation_id
      ids = (await listAll(`/servers?reservation_id=${reservationId}`)).map((server) => server.id)
      expect(ids).toHaveLength(5)
      await t.drain()
    })
    afterAll(async () => { for (const id of ids) await deleteServer(t, demo, id) })

    it('pages with limit and marker, with a next link while more follow, and 400 for an unknown marker', async () => {
      const seen: string[] = []
      let path: string | undefined = `/servers?limit=2&reservation_id=${reservationId}`
      let pages = 0
      while (path !== undefined) {
        const response = await compute(t, demo, { path })
        expect(response.statusCode).toBe(200)
        const body = response.json() as { servers: { id: string }[]; servers_links?: Link[] }
        pages++
        expect(body.servers.length).toBeLessThanOrEqual(2)
        seen.push(...body.servers.map((server) => server.id))
        const next = body.servers_links?.[0]
        if (next) {
          expect(next.rel).toBe('next')
          expect(next.href).toContain(`${BASE}/v2/${demo.tenantId}/servers?`)
          expect(next.href).toContain(`reservation_id=${reservationId}`)
        }
        path = next ? next.href.slice(next.href.indexOf('/servers')) : undefined
      }
      expect(pages).toBe(3)
      expect([...seen].sort()).toEqual([...ids].sort())
      const detail = await compute(t, demo, { path: `/servers/detail?limit=4&reservation_id=${reservationId}` })
      expect((detail.json() as { servers_links: Link[] }).servers_links[0].href).toContain('/servers/detail?')
      const bad = await compute(t, demo, { path: `/servers?marker=${crypto.randomUUID()}` })
      expect(bad.statusCode).toBe(400)
      expect(faultOf(bad).message).toContain('marker')
      expect((await compute(t, demo, { path: '/servers?limit=-1' })).statusCode).toBe(400)
      expect((await compute(t, demo, { path: '/servers?limit=abc' })).statusCode).toBe(400)
    })

    it('filters by status with the seed tables aliases, and answers an empty list for an unknown status', async () => {
      await compute(t, demo, { method: 'POST', path: `/servers/${ids[0]}/action`, payload: { 'os-stop': null } })
      await t.drain()
      const byStatus = async (status: string) =>
        (await listAll(`/servers?reservation_id=${reservationId}&status=${status}`)).map((server) => server.id).sort()
      expect(await byStatus('SHUTOFF')).toEqual([ids[0]])
      expect(await byStatus('STOPPED')).toEqual([ids[0]])
      expect(await byStatus('shutoff')).toEqual([ids[0]])
      expect(await byStatus('ACTIVE')).toEqual(ids.slice(1).sort())
      expect((await listAll(`/servers?reservation_id=${reservationId}&status=ACTIVE&status=SHUTOFF`)).length).toBe(5)
      expect(await byStatus('BUILDING')).toEqual([])
      expect(await byStatus('SLEEPING')).toEqual([])
      await compute(t, demo, { method: 'POST', path: `/servers/${ids[1]}/action`, payload: { reboot: { type: 'SOFT' } } })
      expect(await byStatus('REBOOT')).toEqual([ids[1]])
      await t.drain()
      expect(await byStatus('REBOOT')).toEqual([])
      await compute(t, demo, { method: 'POST', path: `/servers/${ids[0]}/action`, payload: { 'os-start': null } })
      await t.drain()
    })

    it('filters by name (a regular expression), image, flavor and reservation id', async () => {
      await compute(t, demo, { method: 'PUT', path: `/servers/${ids[2]}`, payload: { server: { name: 'special-db' } } })
      const names = async (query: string) => (await listAll(`/servers?${query}`)).map((server) => server.name).sort()
      expect(await names('name=special')).toEqual(['special-db'])
      expect(await names(`name=${encodeURIComponent('^page-[0-9]$')}&reservation_id=${reservationId}`)).toHaveLength(4)
      expect((await compute(t, demo, { path: `/servers?name=${encodeURIComponent('(')}` })).statusCode).toBe(400)
      expect(await names(`image=${defaults().image_id}&reservation_id=${reservationId}`)).toHaveLength(5)
      expect(await names(`image=${crypto.randomUUID()}`)).toEqual([])
      expect(await names(`flavor=${defaults().flavor_id}&reservation_id=${reservationId}`)).toHaveLength(5)
      expect(await names(`flavor=${U2_FLAVOR_ID}&reservation_id=${reservationId}`)).toEqual([])
      expect(await names('reservation_id=r-00000000')).toEqual([])
    })

    it('never lists or shows another project\'s servers', async () => {
      expect(await listAll('/servers/detail', other)).toEqual([])
      for (const path of [`/servers/${ids[0]}`, `/servers/${ids[0]}/ips`]) {
        const response = await compute(t, other, { path })
        expect(response.statusCode, path).toBe(404)
      }
      const renamed = await compute(t, other, { method: 'PUT', path: `/servers/${ids[0]}`, payload: { server: { name: 'stolen' } } })
      expect(renamed.statusCode).toBe(404)
      expect((await compute(t, other, { method: 'DELETE', path: `/servers/${ids[0]}` })).statusCode).toBe(404)
      expect((await compute(t, other, { path: `/servers?marker=${ids[0]}` })).statusCode).toBe(400)
      expect((await showServer(t, demo, ids[0])).name).toMatch(/^page-[1-5]$/)
    })
  })

  describe('errors', () => {
    it('answers 400 for malformed JSON and wrong types, creating nothing', async () => {
      const before = (await listAll('/servers')).length
      const malformed = await compute(t, demo, { method: 'POST', path: '/servers', rawBody: '{"server": {' })
      expect(malformed.statusCode).toBe(400)
      expect(faultOf(malformed).name).toBe('badRequest')
      const cases: unknown[] = [
        {},
        { server: 'web' },
        createBody(t, { name: 123 }),
        createBody(t, { name: '' }),
        createBody(t, { name: 'x'.repeat(256) }),
        createBody(t, { flavorRef: { id: 'x' } }),
        createBody(t, { networks: [{ uuid: 5 }] }),
        createBody(t, { networks: [{ network: 'x' }] }),
        createBody(t, { metadata: { a: 1 } }),
        createBody(t, { security_groups: ['default'] }),
        createBody(t, { min_count: 'two' }),
        createBody(t, { block_device_mapping_v2: [{ source_type: 'disk' }] }),
        createBody(t, { block_device_mapping_v2: [{ uuid: defaults().image_id, boot_index: 0, delete_on_termination: 2, source_type: 'image', destination_type: 'volume' }] }),
        createBody(t, { block_device_mapping_v2: [{ boot_index: 0, source_type: 'image', destination_type: 'volume' }] }),
        createBody(t, { unknown_field: true }),
        createBody(t, {}, { extra: 1 }),
        createBody(t, { accessIPv4: 'nope' }),
      ]
      for (const payload of cases) {
        const response = await postServer(t, demo, payload)
        expect(response.statusCode, JSON.stringify(payload)).toBe(400)
        expect(faultOf(response).name).toBe('badRequest')
      }
      expect((await listAll('/servers')).length).toBe(before)
    })

    it('answers 400 for unknown images, flavors, networks, key names and zones, and 404 for an unknown subnet', async () => {
      const cases: [Record<string, unknown>, number][] = [
        [{ imageRef: crypto.randomUUID(), block_device_mapping_v2: [{ uuid: crypto.randomUUID(), boot_index: 0, volume_size: 20, source_type: 'image', destination_type: 'volume' }] }, 400],
        [{ flavorRef: crypto.randomUUID() }, 400],
        [{ key_name: 'no-such-key' }, 400],
        [{ availability_zone: 'kr-pub-z' }, 400],
        [{ networks: [{ uuid: crypto.randomUUID() }] }, 400],
        [{ networks: [{ subnet: crypto.randomUUID() }] }, 400],
        [{ networks: [{ port: crypto.randomUUID() }] }, 400],
        [{ security_groups: [{ name: 'no-such-group' }] }, 400],
      ]
      const before = (await listAll('/servers')).length
      for (const [server, status] of cases) {
        const response = await postServer(t, demo, createBody(t, server))
        expect(response.statusCode, JSON.stringify(server)).toBe(status)
      }
      const unknownGroup = await postServer(t, demo, createBody(t, {}, { 'os:scheduler_hints': { group: crypto.randomUUID() } }))
      expect(unknownGroup.statusCode).toBe(400)
      expect((await listAll('/servers')).length).toBe(before)
    })

    it('answers 403 when the quota is exceeded, creating nothing', async () => {
      const tenant = await newTenant(t)
      const admin = await t.gureum.services.identity.authenticate({ username: 'admin', password: t.credentials.admin.password })
      await t.gureum.services.quotas.setLimits(admin.owner, tenant.tenantId, { instances: 1 })
      const body = { server: { name: 'q', imageRef: defaults().image_id, flavorRef: U2_FLAVOR_ID, networks: 'none' } }
      const first = await postServer(t, tenant, body, '2.37')
      expect(first.statusCode, first.body).toBe(202)
      const second = await postServer(t, tenant, body, '2.37')
      expect(second.statusCode).toBe(403)
      expect(faultOf(second)).toMatchObject({ name: 'forbidden', code: 403 })
      expect(faultOf(second).message).toContain('instances')
      const batch = await postServer(t, demo, createBody(t, { min_count: 10, max_count: 10, flavorRef: '97604802-a090-43fa-a5ce-c7cfd737fbba' }))
      expect(batch.statusCode).toBe(403)
      expect((await listAll('/servers', tenant)).length).toBe(1)
      expect((await listAll('/servers?name=q')).length).toBe(0)
    })

    it('answers 401 with the keystonemiddleware body for a missing, invalid or expired token, and 400 for another tenant in the URL', async () => {
      for (const headers of [{}, { 'x-auth-token': 'f'.repeat(32) }]) {
        const response = await t.inject('compute', { method: 'GET', url: `/v2/${demo.tenantId}/servers`, headers })
        expect(response.statusCode).toBe(401)
        expect(response.json()).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.any(String) } })
      }
      const noToken = await t.inject('compute', {
        method: 'POST', url: `/v2/${demo.tenantId}/servers`, headers: { 'content-type': 'application/json' }, payload: '{',
      })
      expect(noToken.statusCode).toBe(401)
      const mismatch = await t.inject('compute', { method: 'GET', url: `/v2/${other.tenantId}/servers`, headers: { 'x-auth-token': demo.token } })
      expect(mismatch.statusCode).toBe(400)
      expect(faultOf(mismatch).message).toContain('Malformed request URL')

      const shortLived = await demoCaller(t)
      t.clock.advance(PAST_TOKEN_EXPIRY_MS)
      const expired = await compute(t, shortLived, { path: '/servers' })
      expect(expired.statusCode).toBe(401)
      demo = await demoCaller(t)
    })
  })
})
