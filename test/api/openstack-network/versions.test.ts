import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../../support/stores.ts'
import { buildNetworkFixture, expectNeutronError, expectUnauthorized, sample, type NetworkFixture } from './network-fixture.ts'

describe.each(await testEngines())('Neutron versions, resources and extensions (%s)', (engine) => {
  let n: NetworkFixture

  beforeAll(async () => {
    n = await buildNetworkFixture(engine)
  })
  afterAll(async () => n?.close())

  const host = { host: '23.253.228.211:9696' }

  it('answers GET / without a token with the version document of the api-ref, links from the request host', async () => {
    const response = await n.call('GET', '/', { token: null, headers: host })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual(sample('versions-list-response'))
    expect(response.headers['x-openstack-request-id']).toMatch(/^req-/)
  })

  it('lists the core resources at /v2.0 (token needed), as the api-ref sample', async () => {
    expectUnauthorized(await n.call('GET', '/v2.0', { token: null }))
    const response = await n.call('GET', '/v2.0', { headers: host })
    expect(response.json()).toEqual(sample('version-show-response'))
    expect((await n.call('GET', '/v2.0/', { headers: host })).json()).toEqual(sample('version-show-response'))
  })

  it('lists the extensions it implements and answers 404 for any other alias, with or without .json', async () => {
    const { extensions } = (await n.call('GET', '/v2.0/extensions')).json()
    const aliases = extensions.map((extension: { alias: string }) => extension.alias)
    expect(aliases).toEqual(expect.arrayContaining(['security-group', 'external-net', 'quotas', 'quota_details', 'pagination']))
    expect(aliases).not.toContain('router')
    const shown = await n.call('GET', '/v2.0/extensions/security-group')
    expect(shown.json()).toEqual({
      extension: {
        name: 'security-group', alias: 'security-group', description: 'The security groups extension.',
        updated: '2012-10-05T10:00:00-00:00', links: [],
      },
    })
    expect((await n.call('GET', '/v2.0/extensions/security-group.json')).json()).toEqual(shown.json())
    expectNeutronError(await n.call('GET', '/v2.0/extensions/tag-ports-during-bulk-creation'), 404, 'HTTPNotFound')
    expect((await n.call('GET', '/v2.0/extensions.json')).json().extensions).toEqual(extensions)
  })

  it('answers unknown URLs with 404 HTTPNotFound and oversized bodies with 413, in Neutron\'s body', async () => {
    expectNeutronError(await n.call('GET', '/v2.0/routers'), 404, 'HTTPNotFound', 'The resource could not be found.')
    expectNeutronError(await n.call('GET', '/v3/networks'), 404, 'HTTPNotFound')
    const huge = JSON.stringify({ network: { name: 'x', description: 'y'.repeat(2_000_000) } })
    const response = await n.call('POST', '/v2.0/networks', { payload: huge, headers: { 'content-type': 'application/json' } })
    expectNeutronError(response, 413, 'HTTPRequestEntityTooLarge')
  })
})
