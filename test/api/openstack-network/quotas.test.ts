import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import { buildNetworkFixture, expectAttributesWithin, expectNeutronError, sample, type NetworkFixture } from './network-fixture.ts'

describe.each(await testEngines())('Neutron quotas (%s)', (engine) => {
  let n: NetworkFixture

  beforeAll(async () => {
    n = await buildNetworkFixture(engine)
  })
  afterAll(async () => n?.close())

  it('shows the project\'s limits under Neutron\'s names', async () => {
    const response = await n.call('GET', `/v2.0/quotas/${n.demo.owner.projectId}`)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      quota: { floatingip: 50, network: 100, port: 500, security_group: 10, security_group_rule: 100, subnet: 100 },
    })
    expectAttributesWithin(response.json().quota, sample('quotas-list-for-project-response').quota as object)
    expect((await n.call('GET', `/v2.0/quotas/${n.demo.owner.projectId}.json`)).json()).toEqual(response.json())
  })

  it('shows usage in the details view, which follows what the project creates', async () => {
    const details = async () => (await n.call('GET', `/v2.0/quotas/${n.demo.owner.projectId}/details.json`)).json().quota
    const before = await details()
    expect(before.network).toEqual({ limit: 100, used: 1, reserved: 0 })
    expect(Object.keys(before).sort()).toEqual(['floatingip', 'network', 'port', 'security_group', 'security_group_rule', 'subnet'])
    await n.call('POST', '/v2.0/ports', { payload: { port: { network_id: n.defaults.network_id } } })
    await n.call('POST', '/v2.0/floatingips', { payload: { floatingip: { floating_network_id: n.publicNetworkId } } })
    const after = await details()
    expect(after.port.used).toBe(before.port.used + 1)
    expect(after.floatingip.used).toBe(before.floatingip.used + 1)
    expect((await n.call('GET', `/v2.0/quotas/${n.demo.owner.projectId}/details`)).json().quota).toEqual(after)
  })

  it('lets only an admin read another project\'s quotas or change limits', async () => {
    const other = await n.newTenant()
    expectNeutronError(await n.call('GET', `/v2.0/quotas/${other.owner.projectId}`), 403, 'PolicyNotAuthorized')
    expectNeutronError(await n.call('GET', `/v2.0/quotas/${other.owner.projectId}/details.json`), 403, 'PolicyNotAuthorized')
    expectNeutronError(await n.call('PUT', `/v2.0/quotas/${n.demo.owner.projectId}`, { payload: { quota: { network: 500 } } }), 403,
      'PolicyNotAuthorized')
    const admin = await n.admin()
    expect((await n.call('GET', `/v2.0/quotas/${other.owner.projectId}`, { token: admin.token })).json().quota.network).toBe(100)
    const updated = await n.call('PUT', `/v2.0/quotas/${other.owner.projectId}`, { token: admin.token, payload: { quota: { network: 3, port: -1 } } })
    expect(updated.statusCode).toBe(200)
    expect(updated.json().quota).toMatchObject({ network: 3, port: -1 })
    expect((await n.call('GET', `/v2.0/quotas/${other.owner.projectId}`, { token: other.token })).json().quota.network).toBe(3)
    expectNeutronError(await n.call('PUT', `/v2.0/quotas/${other.owner.projectId}`, { token: admin.token, payload: { quota: { router: 3 } } }),
      400, 'HTTPBadRequest', "Unrecognized attribute(s) 'router'")
    expectNeutronError(await n.call('GET', '/v2.0/quotas/no-such-project', { token: admin.token }), 404, 'NotFound')
  })
})
