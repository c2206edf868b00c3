import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import {
  buildNetworkFixture, expectAttributesWithin, expectNeutronError, expectUnauthorized, NEUTRON_TIME, sample, UUID,
  type NetworkFixture, type Tenant,
} from './network-fixture.ts'

describe.each(await testEngines())('Neutron networks (%s)', (engine) => {
  let n: NetworkFixture
  let other: Tenant

  beforeAll(async () => {
    n = await buildNetworkFixture(engine)
    other = await n.newTenant()
  })
  afterAll(async () => n?.close())

  it('creates a network with Neutron\'s exact shape, and shows and lists it', async () => {
    const created = await n.call('POST', '/v2.0/networks', { payload: { network: { name: 'net1', admin_state_up: true, mtu: 1400 } } })
    expect(created.statusCode).toBe(201)
    const { network } = created.json()
    expect(network).toEqual({
      id: expect.stringMatching(UUID), name: 'net1', description: '', status: 'ACTIVE', admin_state_up: true, shared: false,
      'router:external': false, subnets: [], mtu: 1400, port_security_enabled: true, availability_zones: ['nova'],
      availability_zone_hints: [], tenant_id: n.demo.owner.projectId, project_id: n.demo.owner.projectId,
      created_at: '2026-11-28T00:00:00Z', updated_at: '2026-11-28T00:00:00Z', revision_number: 1, tags: [],
    })
    expectAttributesWithin(network, sample('network-create-response').network as object)
    expect((await n.t.gureum.services.networks.getNetwork(n.demo.owner, network.id)).mtu).toBe(1400)

    const shown = await n.call('GET', `/v2.0/networks/${network.id}`)
    expect(shown.statusCode).toBe(200)
    expect(shown.json()).toEqual({ network })
    const listed = await n.call('GET', '/v2.0/networks?name=net1')
    expect(listed.json()).toEqual({ networks: [network] })
    expect((await n.call('GET', `/v2.0/networks/${network.id}.json`)).json()).toEqual({ network })
  })

  it('lists the project\'s networks with the external one, never another project\'s', async () => {
    const theirs = await n.t.gureum.services.networks.createNetwork(other.owner, { name: 'their-net' })
    const listed = (await n.call('GET', '/v2.0/networks')).json().networks as { id: string; name: string }[]
    const ids = listed.map((network) => network.id)
    expect(ids).toContain(n.defaults.network_id)
    expect(ids).toContain(n.publicNetworkId)
    expect(ids).not.toContain(theirs.id)
    expectNeutronError(await n.call('GET', `/v2.0/networks/${theirs.id}`), 404, 'NetworkNotFound',
      `Network ${theirs.id} could not be found.`)
    expectNeutronError(await n.call('PUT', `/v2.0/networks/${theirs.id}`, { payload: { network: { name: 'mine' } } }), 404,
      'NetworkNotFound')
    expectNeutronError(await n.call('DELETE', `/v2.0/networks/${theirs.id}`), 404, 'NetworkNotFound')
    expect((await n.t.gureum.services.networks.getNetwork(other.owner, theirs.id)).name).toBe('their-net')
  })

  it('shows the external network read-only: changing or deleting it is refused by policy', async () => {
    const shown = (await n.call('GET', `/v2.0/networks/${n.publicNetworkId}`)).json().network
    expect(shown).toMatchObject({ name: 'Public Network', 'router:external': true, tenant_id: '', project_id: '' })
    expectNeutronError(await n.call('PUT', `/v2.0/networks/${n.publicNetworkId}`, { payload: { network: { name: 'x' } } }), 403,
      'PolicyNotAuthorized')
    expectNeutronError(await n.call('DELETE', `/v2.0/networks/${n.publicNetworkId}`), 403, 'PolicyNotAuthorized')
    expect((await n.call('GET', `/v2.0/networks/${n.publicNetworkId}`)).json().network.name).toBe('Public Network')
  })

  it('shows an admin\'s shared network to every project read-only, and lets them attach ports to it', async () => {
    const admin = await n.admin()
    const created = await n.call('POST', '/v2.0/networks', { token: admin.token, payload: { network: { name: 'shared-net', shared: true } } })
    expect(created.statusCode).toBe(201)
    const shared = created.json().network
    expect(shared).toMatchObject({ shared: true, project_id: admin.owner.projectId })
    await n.call('POST', '/v2.0/subnets', { token: admin.token, payload: { subnet: { network_id: shared.id, ip_version: 4, cidr: '10.200.0.0/24' } } })
    expect((await n.call('GET', `/v2.0/networks/${shared.id}`, { token: other.token })).json().network.name).toBe('shared-net')
    expect((await n.call('GET', '/v2.0/networks?shared=true&fields=id', { token: other.token })).json()).toEqual({ networks: [{ id: shared.id }] })
    expectNeutronError(await n.call('PUT', `/v2.0/networks/${shared.id}`, { token: other.token, payload: { network: { name: 'x' } } }), 403,
      'PolicyNotAuthorized')
    expectNeutronError(await n.call('DELETE', `/v2.0/networks/${shared.id}`, { token: other.token }), 403, 'PolicyNotAuthorized')
    const port = await n.call('POST', '/v2.0/ports', { token: other.token, payload: { port: { network_id: shared.id } } })
    expect(port.statusCode).toBe(201)
    expect(port.json().port).toMatchObject({ network_id: shared.id, project_id: other.owner.projectId })
    expect((await n.call('GET', `/v2.0/networks/${shared.id}`, { token: admin.token })).json().network.name).toBe('shared-net')
  })

  it('filters by any attribute (repeats ORed, booleans Neutron-style) and selects fields', async () => {
    n.t.clock.advance(1000)
    await n.call('POST', '/v2.0/networks', { payload: { network: { name: 'filter-a' } } })
    n.t.clock.advance(1000)
    await n.call('POST', '/v2.0/networks', { payload: { network: { name: 'filter-b', admin_state_up: false } } })
    const byNames = (await n.call('GET', '/v2.0/networks?name=filter-a&name=filter-b&fields=name&fields=admin_state_up')).json()
    expect(byNames).toEqual({ networks: [{ name: 'filter-a', admin_state_up: true }, { name: 'filter-b', admin_state_up: false }] })
    const down = (await n.call('GET', '/v2.0/networks?admin_state_up=False&fields=name')).json()
    expect(down).toEqual({ networks: [{ name: 'filter-b' }] })
    const external = (await n.call('GET', '/v2.0/networks?router:external=True&fields=id')).json()
    expect(external).toEqual({ networks: [{ id: n.publicNetworkId }] })
    const own = (await n.call('GET', `/v2.0/networks?tenant_id=${n.demo.owner.projectId}&fields=name`)).json().networks
    expect(own.map((network: { name: string }) => network.name)).not.toContain('Public Network')
    expect((await n.call('GET', '/v2.0/networks?tags=prod')).json()).toEqual({ networks: [] })
    expectNeutronError(await n.call('GET', '/v2.0/networks?flavor=x'), 400, 'HTTPBadRequest', "['flavor'] is invalid attribute for filtering")
    expectNeutronError(await n.call('GET', '/v2.0/networks?shared=maybe'), 400, 'HTTPBadRequest', /shared.*cannot be converted to boolean/)
  })

  it('pages with limit and marker and a next link that carries the filters', async () => {
    for (const name of ['page-1', 'page-2', 'page-3']) {
      n.t.clock.advance(1000)
      await n.call('POST', '/v2.0/networks', { payload: { network: { name, description: 'paged' } } })
    }
    const first = await n.call('GET', '/v2.0/networks?description=paged&limit=2&fields=name&fields=id', { headers: { host: 'neutron.example:9696' } })
    const body = first.json()
    expect(body.networks.map((network: { name: string }) => network.name)).toEqual(['page-1', 'page-2'])
    expect(body.networks_links).toEqual([{
      rel: 'next',
      href: `http://neutron.example:9696/v2.0/networks?description=paged&limit=2&fields=name&fields=id&marker=${body.networks[1].id}`,
    }])
    const next = (await n.call('GET', new URL(body.networks_links[0].href).pathname + new URL(body.networks_links[0].href).search)).json()
    expect(next).toEqual({ networks: [{ name: 'page-3', id: expect.any(String) }] })
    expectNeutronError(await n.call('GET', '/v2.0/networks?limit=-1'), 400, 'BadRequest',
      "Bad limit request: Limit must be an integer 0 or greater and not '-1'.")
    expectNeutronError(await n.call('GET', '/v2.0/networks?page_reverse=True'), 400, 'HTTPBadRequest')
    expectNeutronError(await n.call('GET', '/v2.0/networks?sort_key=name&sort_dir=asc'), 400, 'HTTPBadRequest', /name asc is not supported/)
    expectNeutronError(await n.call('GET', '/v2.0/networks?sort_key=flavor&sort_dir=asc'), 400, 'HTTPBadRequest',
      "['flavor'] is invalid attribute for sort_keys")
    expect((await n.call('GET', '/v2.0/networks?sort_key=created_at&sort_dir=asc&description=paged')).json().networks).toHaveLength(3)
  })

  it('updates name, description and admin state; refuses what is fixed at creation', async () => {
    const { network } = (await n.call('POST', '/v2.0/networks', { payload: { network: { name: 'before' } } })).json()
    n.t.clock.advance(5000)
    const updated = await n.call('PUT', `/v2.0/networks/${network.id}`, {
      payload: { network: { name: 'after', description: 'd', admin_state_up: false } },
    })
    expect(updated.statusCode).toBe(200)
    expect(updated.json().network).toMatchObject({ name: 'after', description: 'd', admin_state_up: false })
    expect(updated.json().network.updated_at).toMatch(NEUTRON_TIME)
    expect(updated.json().network.updated_at).not.toBe(network.updated_at)
    expectNeutronError(await n.call('PUT', `/v2.0/networks/${network.id}`, { payload: { network: { mtu: 1300 } } }), 400,
      'HTTPBadRequest', /mtu/)
    expectNeutronError(await n.call('PUT', `/v2.0/networks/${network.id}`, { payload: { network: { shared: true } } }), 403,
      'PolicyNotAuthorized')
    expect((await n.t.gureum.services.networks.getNetwork(n.demo.owner, network.id)).shared).toBe(false)
    const constrained = await n.call('PUT', `/v2.0/networks/${network.id}`, {
      payload: { network: { name: 'constrained' } }, headers: { 'if-match': 'revision_number=1' },
    })
    expectNeutronError(constrained, 400, 'BadRequest',
      'Bad if-match request: This server does not support constraining operations based on revision numbers.')
    expectNeutronError(await n.call('DELETE', `/v2.0/networks/${network.id}`, { headers: { 'if-match': 'revision_number=1' } }), 400,
      'BadRequest')
    expect((await n.call('GET', `/v2.0/networks/${network.id}`)).json().network.name).toBe('after')
  })

  it('answers every malformed request with Neutron\'s error body and changes nothing', async () => {
    const before = (await n.call('GET', '/v2.0/networks?fields=id')).json().networks.length
    const malformed = await n.call('POST', '/v2.0/networks', { payload: '{"network": ', headers: { 'content-type': 'application/json' } })
    expectNeutronError(malformed, 400, 'MalformedRequestBody', /^Malformed request body: /)
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: {} }), 400, 'HTTPBadRequest', 'Resource body required')
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { net: {} } }), 400, 'HTTPBadRequest',
      "Unable to find 'network' in request body")
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { networks: [{ name: 'a' }] } }), 400, 'HTTPBadRequest',
      'Bulk operation not supported')
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { network: 'x' } }), 400, 'HTTPBadRequest',
      "Object 'network' contains invalid data")
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { network: { colour: 'red' } } }), 400, 'HTTPBadRequest',
      "Unrecognized attribute(s) 'colour'")
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { network: { admin_state_up: 'maybe' } } }), 400,
      'HTTPBadRequest', /^Invalid input for admin_state_up\. Reason: /)
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { network: { mtu: 20 } } }), 400, 'HTTPBadRequest', /^Invalid input for mtu/)
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { network: { name: 'x'.repeat(256) } } }), 400,
      'HTTPBadRequest', /^Invalid input for name/)
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { network: { port_security_enabled: false } } }), 400,
      'HTTPBadRequest', /port_security_enabled/)
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { network: { availability_zone_hints: ['nova'] } } }), 400,
      'HTTPBadRequest', /availability_zone_hints/)
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { network: { tenant_id: other.owner.projectId } } }), 400,
      'HTTPBadRequest', "Specifying 'project_id' other than the authenticated project in request is not allowed for the current user.")
    expectNeutronError(await n.call('POST', '/v2.0/networks', { payload: { network: { 'router:external': true } } }), 403,
      'PolicyNotAuthorized')
    expect((await n.call('POST', '/v2.0/networks', { payload: { network: { name: 'own', project_id: n.demo.owner.projectId } } })).statusCode)
      .toBe(201)
    expect((await n.call('GET', '/v2.0/networks?fields=id')).json().networks.length).toBe(before + 1)
  })

  it('refuses to delete a network with ports (409 NetworkInUse) and deletes it with its subnets once free', async () => {
    const { network } = (await n.call('POST', '/v2.0/networks', { payload: { network: { name: 'busy' } } })).json()
    const { subnet } = (await n.call('POST', '/v2.0/subnets', {
      payload: { subnet: { network_id: network.id, ip_version: 4, cidr: '10.20.0.0/24' } },
    })).json()
    const { port } = (await n.call('POST', '/v2.0/ports', { payload: { port: { network_id: network.id } } })).json()
    expectNeutronError(await n.call('DELETE', `/v2.0/networks/${network.id}`), 409, 'NetworkInUse',
      `Unable to complete operation on network ${network.id}. There are one or more ports still in use on the network.`)
    expect((await n.call('DELETE', `/v2.0/ports/${port.id}`)).statusCode).toBe(204)
    const deleted = await n.call('DELETE', `/v2.0/networks/${network.id}`)
    expect(deleted.statusCode).toBe(204)
    expect(deleted.body).toBe('')
    expectNeutronError(await n.call('GET', `/v2.0/networks/${network.id}`), 404, 'NetworkNotFound')
    expectNeutronError(await n.call('GET', `/v2.0/subnets/${subnet.id}`), 404, 'SubnetNotFound')
  })

  it('answers over quota with 409 OverQuota and creates nothing', async () => {
    const tight = await n.newTenant({ quotaLimits: { networks: 1 } })
    expect((await n.call('POST', '/v2.0/networks', { token: tight.token, payload: { network: { name: 'one' } } })).statusCode).toBe(201)
    expectNeutronError(await n.call('POST', '/v2.0/networks', { token: tight.token, payload: { network: { name: 'two' } } }), 409,
      'OverQuota', "Quota exceeded for resources: ['network'].")
    const names = (await n.call('GET', `/v2.0/networks?tenant_id=${tight.owner.projectId}&fields=name`, { token: tight.token })).json()
    expect(names).toEqual({ networks: [{ name: 'one' }] })
  })

  it('needs a valid, unexpired token; readers may only read', async () => {
    expectUnauthorized(await n.call('GET', '/v2.0/networks', { token: null }))
    expectUnauthorized(await n.call('POST', '/v2.0/networks', { token: null, payload: '{bad', headers: { 'content-type': 'application/json' } }))
    expectUnauthorized(await n.call('GET', '/v2.0/networks', { token: '0123456789abcdef0123456789abcdef' }))
    const reader = await n.newTenant({ role: 'reader' })
    expect((await n.call('GET', '/v2.0/networks', { token: reader.token })).statusCode).toBe(200)
    expectNeutronError(await n.call('POST', '/v2.0/networks', { token: reader.token, payload: { network: { name: 'r' } } }), 403,
      'PolicyNotAuthorized')
    const shortLived = await n.newTenant()
    n.t.clock.advance(13 * 60 * 60 * 1000)
    expectUnauthorized(await n.call('GET', '/v2.0/networks', { token: shortLived.token }))
  })
})
