import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { adminCaller, compute, demoCaller, newTenant, type Caller } from './catalog-fixture.ts'
import { accepted, BIGGER_FLAVOR_ID, createServer, deleteServer, ensureKeypair, MICROSECONDS_TIME, postServer, raiseQuotas, U2_FLAVOR_ID } from './server-fixture.ts'

interface Action { action: string; instance_uuid: string; message: string | null; project_id: string; request_id: string; start_time: string; user_id: string }

describe.each(await testEngines())('nhn-instance-v2 os-instance-actions (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    await ensureKeypair(t, demo)
    await raiseQuotas(t, demo.tenantId)
  })
  afterAll(async () => { await t.close() })

  it('records each action with the request id the response carried, newest first, deleted servers included', async () => {
    const id = await createServer(t, demo, { name: 'audited' })
    await t.drain()
    t.clock.advance(1000)
    const stop = await accepted(t, demo, id, { 'os-stop': null })
    await t.drain()
    t.clock.advance(1000)
    await accepted(t, demo, id, { resize: { flavorRef: BIGGER_FLAVOR_ID } })
    await t.drain()
    t.clock.advance(1000)
    await accepted(t, demo, id, { confirmResize: null })
    await t.drain()
    t.clock.advance(1000)
    await accepted(t, demo, id, { reboot: { type: 'HARD' } })
    await t.drain()
    t.clock.advance(1000)
    await deleteServer(t, demo, id)

    const response = await compute(t, demo, { path: `/servers/${id}/os-instance-actions` })
    expect(response.statusCode).toBe(200)
    const actions = (response.json() as { instanceActions: Action[] }).instanceActions
    expect(actions.map((entry) => entry.action)).toEqual(['delete', 'reboot', 'confirmResize', 'resize', 'stop', 'create'])
    for (const entry of actions) {
      expect(entry).toMatchObject({ instance_uuid: id, project_id: demo.tenantId, user_id: demo.userId, request_id: expect.stringMatching(/^req-/) })
      expect(entry.start_time).toMatch(MICROSECONDS_TIME)
    }
    const stopEntry = actions.find((entry) => entry.action === 'stop')!
    expect(stopEntry.request_id).toBe(stop.headers['x-compute-request-id'])

    const shown = await compute(t, demo, { path: `/servers/${id}/os-instance-actions/${stopEntry.request_id}` })
    expect(shown.statusCode).toBe(200)
    expect(shown.json()).toEqual({ instanceAction: stopEntry })
    expect((await compute(t, demo, { path: `/servers/${id}/os-instance-actions/req-unknown` })).statusCode).toBe(404)
  })

  it('shows admins the events of an action', async () => {
    const admin = await adminCaller(t)
    const created = await postServer(t, admin, {
      server: { name: 'admin-audited', imageRef: t.credentials.defaults.image_id, flavorRef: U2_FLAVOR_ID, networks: 'none' },
    }, '2.37')
    const id = (created.json() as { server: { id: string } }).server.id
    await t.drain()
    const requestId = created.headers['x-compute-request-id'] as string
    const shown = await compute(t, admin, { path: `/servers/${id}/os-instance-actions/${requestId}` })
    expect(shown.statusCode, shown.body).toBe(200)
    expect((shown.json() as { instanceAction: { events: unknown[] } }).instanceAction.events).toEqual([{
      event: 'compute_create', start_time: expect.stringMatching(MICROSECONDS_TIME), finish_time: expect.stringMatching(MICROSECONDS_TIME),
      result: 'Success', traceback: null,
    }])
    await deleteServer(t, admin, id)
  })

  it('answers 404 for an unknown server and for another tenant\'s server', async () => {
    const id = await createServer(t, demo, { name: 'private' })
    expect((await compute(t, demo, { path: `/servers/${crypto.randomUUID()}/os-instance-actions` })).statusCode).toBe(404)
    const other = await newTenant(t)
    expect((await compute(t, other, { path: `/servers/${id}/os-instance-actions` })).statusCode).toBe(404)
    await t.drain()
    await deleteServer(t, demo, id)
  })
})
