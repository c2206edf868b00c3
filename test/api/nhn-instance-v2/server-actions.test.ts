import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { compute, demoCaller, faultOf, newTenant, sample, type Caller } from './catalog-fixture.ts'
import {
  accepted, action, activeServer, BASE, BIGGER_FLAVOR_ID, createServer, deleteServer, ensureKeypair, ownerOf, raiseQuotas,
  showServer, statusOf, U2_FLAVOR_ID, withStrictNhn,
} from './server-fixture.ts'

describe.each(await testEngines())('nhn-instance-v2 server actions (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    await ensureKeypair(t, demo)
    await raiseQuotas(t, demo.tenantId)
  })
  afterAll(async () => { await t.close() })

  const flavorOf = async (id: string) => ((await showServer(t, demo, id)).flavor as { id: string }).id

  it('runs the whole lifecycle through HTTP: build, stop, start, reboots, resize with confirm and revert, delete', async () => {
    const id = await createServer(t, demo, { name: 'lifecycle' })
    const building = await showServer(t, demo, id)
    expect(building).toMatchObject({ status: 'BUILD', 'OS-EXT-STS:power_state': 0, hostId: '', 'OS-SRV-USG:launched_at': null })
    // A server being built accepts no action but delete.
    const early = await action(t, demo, id, sample('action-os-stop.json'))
    expect(early.statusCode).toBe(409)
    expect(faultOf(early)).toMatchObject({ name: 'conflictingRequest', code: 409 })
    expect(faultOf(early).message).toContain('scheduling')
    await t.drain()
    const active = await showServer(t, demo, id)
    expect(active).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:power_state': 1 })
    expect(Object.values(active.addresses as object).flat()).toHaveLength(1)

    // doc-verified: each seed action body (001–003) as sent.
    await accepted(t, demo, id, sample('action-os-stop.json'))
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': 'powering-off' })
    await t.drain()
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:power_state': 4 })
    const again = await action(t, demo, id, sample('action-os-stop.json'))
    expect(again.statusCode).toBe(409)
    expect(faultOf(again).message).toContain('stopped')
    const softWhileOff = await action(t, demo, id, sample('action-reboot.json'))
    expect(softWhileOff.statusCode).toBe(409)

    const started = await accepted(t, demo, id, sample('action-os-start.json'))
    expect(started.body).toBe('')
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:task_state': 'powering-on' })
    await t.drain()
    expect(await statusOf(t, demo, id)).toBe('ACTIVE')
    expect((await action(t, demo, id, { 'os-start': null })).statusCode).toBe(409)

    await accepted(t, demo, id, sample('action-reboot.json'))
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'REBOOT', 'OS-EXT-STS:task_state': 'rebooting' })
    // A hard reboot may interrupt a soft one (seed: HARD from REBOOT).
    await accepted(t, demo, id, { reboot: { type: 'HARD' } })
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'HARD_REBOOT', 'OS-EXT-STS:task_state': 'rebooting_hard' })
    await t.drain()
    expect(await statusOf(t, demo, id)).toBe('ACTIVE')

    await accepted(t, demo, id, { resize: { ...sample<{ resize: object }>('action-resize.json').resize, flavorRef: BIGGER_FLAVOR_ID } })
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'RESIZE', 'OS-EXT-STS:task_state': 'resize_prep' })
    await t.drain()
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'VERIFY_RESIZE', 'OS-EXT-STS:vm_state': 'resized' })
    expect(await flavorOf(id)).toBe(BIGGER_FLAVOR_ID)
    await accepted(t, demo, id, { confirmResize: null })
    await t.drain()
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active' })
    expect(await flavorOf(id)).toBe(BIGGER_FLAVOR_ID)
    expect((await action(t, demo, id, { confirmResize: null })).statusCode).toBe(409)

    // Revert: back to the original flavor. Seed 003's body asks for diskConfig AUTO.
    const legacy = sample<{ resize: Record<string, unknown> }>('action-resize.legacy.json')
    await accepted(t, demo, id, { resize: { ...legacy.resize, flavorRef: t.credentials.defaults.flavor_id } })
    await t.drain()
    expect(await statusOf(t, demo, id)).toBe('VERIFY_RESIZE')
    await accepted(t, demo, id, { revertResize: null })
    expect(await statusOf(t, demo, id)).toBe('REVERT_RESIZE')
    await t.drain()
    expect(await statusOf(t, demo, id)).toBe('ACTIVE')
    expect(await flavorOf(id)).toBe(BIGGER_FLAVOR_ID)
    const same = await action(t, demo, id, { resize: { flavorRef: BIGGER_FLAVOR_ID } })
    expect(same.statusCode).toBe(400)
    const unknown = await action(t, demo, id, { resize: { flavorRef: crypto.randomUUID() } })
    expect(unknown.statusCode).toBe(400)

    await deleteServer(t, demo, id)
    expect((await compute(t, demo, { path: `/servers/${id}` })).statusCode).toBe(404)
  })

  it('pauses, suspends, locks and rebuilds, refusing what the state does not allow with 409', async () => {
    const id = await activeServer(t, demo, { name: 'states' })
    await accepted(t, demo, id, { pause: null })
    await t.drain()
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'PAUSED', 'OS-EXT-STS:power_state': 3 })
    expect((await action(t, demo, id, { suspend: null })).statusCode).toBe(409)
    await accepted(t, demo, id, { unpause: null })
    await t.drain()
    await accepted(t, demo, id, { suspend: null })
    await t.drain()
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'SUSPENDED', 'OS-EXT-STS:power_state': 7 })
    // A hard reboot is allowed from SUSPENDED (seeds 001–003) and shows HARD_REBOOT (CATALOG §3.4).
    await accepted(t, demo, id, { reboot: { type: 'hard' } })
    expect(await statusOf(t, demo, id)).toBe('HARD_REBOOT')
    await t.drain()
    expect(await statusOf(t, demo, id)).toBe('ACTIVE')

    await accepted(t, demo, id, { lock: null })
    expect((await showServer(t, demo, id, '2.9')).locked).toBe(true)
    const locked = await action(t, demo, id, { 'os-stop': null })
    expect(locked.statusCode).toBe(409)
    expect(faultOf(locked).message).toContain('locked')
    expect((await compute(t, demo, { method: 'DELETE', path: `/servers/${id}` })).statusCode).toBe(409)
    await accepted(t, demo, id, { unlock: null })

    const rebuilt = await action(t, demo, id, {
      rebuild: { imageRef: t.credentials.defaults.image_id, name: 'rebuilt', metadata: { role: 'web' } },
    })
    expect(rebuilt.statusCode, rebuilt.body).toBe(202)
    const { server } = rebuilt.json() as { server: Record<string, unknown> }
    expect(server).toMatchObject({ id, name: 'rebuilt', status: 'REBUILD', metadata: { role: 'web' } })
    expect((server.links as { href: string }[])[0].href).toBe(`${BASE}/v2/${demo.tenantId}/servers/${id}`)
    await t.drain()
    expect(await statusOf(t, demo, id)).toBe('ACTIVE')
    expect((await action(t, demo, id, { rebuild: { imageRef: crypto.randomUUID() } })).statusCode).toBe(400)
    expect((await action(t, demo, id, { rebuild: { name: 'no image' } })).statusCode).toBe(400)
    await deleteServer(t, demo, id)
  })

  it('doc-verified: createImage answers 202 with Location and {image_id}; the image turns active (U2 server)', async () => {
    // A U2 (local disk) server boots from its image without block_device_mapping_v2.
    const response = await compute(t, demo, {
      method: 'POST', path: '/servers',
      payload: {
        server: {
          name: 'u2', imageRef: t.credentials.defaults.image_id, flavorRef: U2_FLAVOR_ID, key_name: 'server-test-key',
          networks: [{ uuid: t.credentials.defaults.network_id }],
        },
      },
    })
    expect(response.statusCode, response.body).toBe(202)
    const id = (response.json() as { server: { id: string } }).server.id
    await t.drain()
    await accepted(t, demo, id, { 'os-stop': null })
    await t.drain()

    const created = await action(t, demo, id, sample('action-create-image.json'))
    expect(created.statusCode, created.body).toBe(202)
    const body = created.json() as { image_id: string }
    expect(Object.keys(body)).toEqual(Object.keys(sample('action-create-image-response.legacy.json') as object))
    expect(created.headers.location).toBe(`${BASE}/v2/${demo.tenantId}/images/${body.image_id}`)
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:task_state': 'image_snapshot' })
    const owner = await ownerOf(t, demo)
    expect((await t.gureum.services.images.get(owner, body.image_id)).status).not.toBe('active')
    expect((await action(t, demo, id, sample('action-create-image.json'))).statusCode).toBe(409)
    await t.drain()
    const image = await t.gureum.services.images.get(owner, body.image_id)
    expect(image).toMatchObject({ status: 'active', name: 'foo-image' })
    expect(image.properties).toMatchObject({ meta_var: 'meta_val' })
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:task_state': null })
    await deleteServer(t, demo, id)
  })

  it('createImage of a volume-backed server is NHN-refused on a strict project and allowed on a plain-Nova one', async () => {
    const id = await activeServer(t, demo, { name: 'volume-backed' })
    const refused = await action(t, demo, id, { createImage: { name: 'snap' } })
    expect(refused.statusCode).toBe(400)
    await withStrictNhn(t, demo.tenantId, false, async () => {
      const ok = await action(t, demo, id, { createImage: { name: 'snap' } })
      expect(ok.statusCode, ok.body).toBe(202)
    })
    await t.drain()
    for (const payload of [{ createImage: {} }, { createImage: { name: '' } }, { createImage: { name: 'x', metadata: { a: 1 } } }]) {
      expect((await action(t, demo, id, payload)).statusCode, JSON.stringify(payload)).toBe(400)
    }
    await deleteServer(t, demo, id)
  })

  it('doc-verified: adds and removes a security group on every port', async () => {
    const owner = await ownerOf(t, demo)
    await t.gureum.services.networks.createSecurityGroup(owner, { name: 'test' })
    const id = await activeServer(t, demo, { name: 'guarded' })
    const added = await accepted(t, demo, id, sample('action-add-security-group.json'))
    expect(added.body).toBe('')
    expect((await showServer(t, demo, id)).security_groups).toEqual([{ name: 'default' }, { name: 'test' }])
    await accepted(t, demo, id, sample('action-remove-security-group.json'))
    expect((await showServer(t, demo, id)).security_groups).toEqual([{ name: 'default' }])
    const notThere = await action(t, demo, id, sample('action-remove-security-group.json'))
    expect(notThere.statusCode).toBe(404)
    expect((await action(t, demo, id, { addSecurityGroup: { name: 'no-such-group' } })).statusCode).toBe(404)
    expect((await action(t, demo, id, { addSecurityGroup: {} })).statusCode).toBe(400)
    await deleteServer(t, demo, id)
  })

  it('reads the console output (200 {output}), all of it or the last lines', async () => {
    const id = await createServer(t, demo, { name: 'console' })
    const tooEarly = await action(t, demo, id, { 'os-getConsoleOutput': { length: 10 } })
    expect(tooEarly.statusCode).toBe(409)
    await t.drain()
    const all = await action(t, demo, id, { 'os-getConsoleOutput': {} })
    expect(all.statusCode).toBe(200)
    const output = (all.json() as { output: string }).output
    expect(output.length).toBeGreaterThan(0)
    const last = await action(t, demo, id, { 'os-getConsoleOutput': { length: '1' } })
    expect((last.json() as { output: string }).output.split('\n')).toHaveLength(1)
    expect((await action(t, demo, id, { 'os-getConsoleOutput': { length: -1 } })).json()).toEqual({ output })
    expect((await action(t, demo, id, { 'os-getConsoleOutput': { length: -2 } })).statusCode).toBe(400)
    await deleteServer(t, demo, id)
  })

  it('refuses unknown actions, several keys, bad bodies and malformed JSON with 400, and other tenants\' servers with 404', async () => {
    const id = await activeServer(t, demo, { name: 'strict' })
    const unknown = await action(t, demo, id, { 'os-fly': null })
    expect(unknown.statusCode).toBe(400)
    expect(faultOf(unknown).message).toContain('os-fly')
    for (const payload of [
      { 'os-start': null, 'os-stop': null }, {}, { reboot: { type: 'GENTLE' } }, { reboot: {} }, { reboot: null },
      { resize: {} }, { resize: { flavorRef: BIGGER_FLAVOR_ID, extra: 1 } }, { confirmResize: {} }, { pause: 1 },
      { addFloatingIp: {} }, [],
    ]) {
      const response = await action(t, demo, id, payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(faultOf(response).name).toBe('badRequest')
    }
    const malformed = await compute(t, demo, { method: 'POST', path: `/servers/${id}/action`, rawBody: '{"os-stop": ' })
    expect(malformed.statusCode).toBe(400)
    expect((await action(t, demo, crypto.randomUUID(), { 'os-stop': null })).statusCode).toBe(404)
    const other = await newTenant(t)
    for (const payload of [{ 'os-stop': null }, { reboot: { type: 'HARD' } }, { createImage: { name: 'x' } }, { 'os-getConsoleOutput': {} }]) {
      const response = await compute(t, other, { method: 'POST', path: `/servers/${id}/action`, payload })
      expect(response.statusCode, JSON.stringify(payload)).toBe(404)
    }
    expect(await showServer(t, demo, id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': null })
    await deleteServer(t, demo, id)
  })

  it('shows an ERROR server with its fault, and allows stop, hard reboot and delete from ERROR', async () => {
    t.gureum.driver.injectFault({ operation: 'spawn', count: 10 })
    const id = await createServer(t, demo, { name: 'doomed' })
    for (let round = 0; round < 5 && (await statusOf(t, demo, id)) === 'BUILD'; round++) {
      await t.drain()
      t.clock.advance(120_000)
    }
    t.gureum.driver.clearFaults()
    const failed = await showServer(t, demo, id)
    expect(failed).toMatchObject({ status: 'ERROR', 'OS-EXT-STS:vm_state': 'error' })
    expect(failed.fault).toEqual({ code: 500, message: expect.any(String), created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) })
    expect((failed.fault as { message: string }).message.length).toBeGreaterThan(0)
    expect((await action(t, demo, id, { 'os-start': null })).statusCode).toBe(409)
    await deleteServer(t, demo, id)
    expect((await compute(t, demo, { path: `/servers/${id}` })).statusCode).toBe(404)
  })

  it('adds and removes floating IPs (legacy addFloatingIp/removeFloatingIp)', async () => {
    const owner = await ownerOf(t, demo)
    const id = await activeServer(t, demo, { name: 'public' })
    const floating = await t.gureum.services.networks.allocateFloatingIp(owner, {})
    const fixed = ((await showServer(t, demo, id)).addresses as Record<string, { addr: string }[]>)['Default Network'][0].addr
    expect((await action(t, demo, id, { addFloatingIp: { address: floating.address, fixed_address: '10.9.9.9' } })).statusCode).toBe(400)
    await accepted(t, demo, id, { addFloatingIp: { address: floating.address, fixed_address: fixed } })
    expect((await t.gureum.services.networks.getFloatingIp(owner, floating.id)).fixedIp).toBe(fixed)
    expect((await action(t, demo, id, { addFloatingIp: { address: '198.51.100.77' } })).statusCode).toBe(404)
    await accepted(t, demo, id, { removeFloatingIp: { address: floating.address } })
    expect((await action(t, demo, id, { removeFloatingIp: { address: floating.address } })).statusCode).toBe(409)
    expect((await t.gureum.services.networks.getFloatingIp(owner, floating.id)).fixedIp).toBeNull()
    await deleteServer(t, demo, id)
  })
})
