/** Glance image sharing through HTTP on both engines: owner adds, member accepts, listing follows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { createTenant, demoTenant, type Tenant } from '../../support/openstack-tenants.ts'

describe.each(await testEngines())('Glance image members (%s)', (engine) => {
  let t: TestGureum
  let owner: Tenant
  let member: Tenant
  let stranger: Tenant
  const headers = (tenant: Tenant) => ({ 'x-auth-token': tenant.token, accept: 'application/json', 'content-type': 'application/json' })
  const listIds = async (tenant: Tenant, query = '') =>
    (await t.inject('image', { method: 'GET', url: `/v2/images${query}`, headers: headers(tenant) })).json().images.map((image: { id: string }) => image.id)

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    owner = await demoTenant(t)
    member = await createTenant(t, 'member')
    stranger = await createTenant(t, 'stranger')
  })
  afterAll(async () => t.close())

  it('shares an image: pending member sees it by id, lists it once accepted, and loses it when removed', async () => {
    const id = (await t.inject('image', { method: 'POST', url: '/v2/images', headers: headers(owner), payload: { name: 'shared one' } })).json().id
    const added = await t.inject('image', { method: 'POST', url: `/v2/images/${id}/members`, headers: headers(owner), payload: { member: member.projectId } })
    expect(added.statusCode).toBe(200)
    expect(added.json()).toEqual({
      image_id: id, member_id: member.projectId, status: 'pending', schema: '/v2/schemas/member',
      created_at: '2026-11-28T00:00:00Z', updated_at: '2026-11-28T00:00:00Z',
    })
    expect((await t.inject('image', { method: 'POST', url: `/v2/images/${id}/members`, headers: headers(owner), payload: { member: member.projectId } })).statusCode).toBe(409)

    expect((await t.inject('image', { method: 'GET', url: `/v2/images/${id}`, headers: headers(member) })).statusCode).toBe(200)
    expect(await listIds(member)).not.toContain(id)
    expect(await listIds(member, '?member_status=pending')).toContain(id)

    const refusedByOwner = await t.inject('image', { method: 'PUT', url: `/v2/images/${id}/members/${member.projectId}`, headers: headers(owner), payload: { status: 'accepted' } })
    expect(refusedByOwner.statusCode).toBe(403)
    const accepted = await t.inject('image', { method: 'PUT', url: `/v2/images/${id}/members/${member.projectId}`, headers: headers(member), payload: { status: 'accepted' } })
    expect(accepted.json().status).toBe('accepted')
    expect(await listIds(member)).toContain(id)
    expect((await t.inject('image', { method: 'PUT', url: `/v2/images/${id}/members/${member.projectId}`, headers: headers(member), payload: { status: 'maybe' } })).statusCode).toBe(400)

    const members = (await t.inject('image', { method: 'GET', url: `/v2/images/${id}/members`, headers: headers(owner) })).json()
    expect(members.schema).toBe('/v2/schemas/members')
    expect(members.members.map((m: { member_id: string }) => m.member_id)).toEqual([member.projectId])
    expect((await t.inject('image', { method: 'GET', url: `/v2/images/${id}/members/${member.projectId}`, headers: headers(member) })).statusCode).toBe(200)

    expect((await t.inject('image', { method: 'GET', url: `/v2/images/${id}`, headers: headers(stranger) })).statusCode).toBe(404)
    expect((await t.inject('image', { method: 'POST', url: `/v2/images/${id}/members`, headers: headers(member), payload: { member: stranger.projectId } })).statusCode).toBe(403)

    expect((await t.inject('image', { method: 'DELETE', url: `/v2/images/${id}/members/${member.projectId}`, headers: headers(owner) })).statusCode).toBe(204)
    expect((await t.inject('image', { method: 'GET', url: `/v2/images/${id}`, headers: headers(member) })).statusCode).toBe(404)
    expect((await t.inject('image', { method: 'DELETE', url: `/v2/images/${id}/members/${member.projectId}`, headers: headers(owner) })).statusCode).toBe(404)
  })

  it('has members only on shared images (403) and validates the member body', async () => {
    const id = (await t.inject('image', { method: 'POST', url: '/v2/images', headers: headers(owner), payload: { name: 'private', visibility: 'private' } })).json().id
    expect((await t.inject('image', { method: 'POST', url: `/v2/images/${id}/members`, headers: headers(owner), payload: { member: member.projectId } })).statusCode).toBe(403)
    const shared = (await t.inject('image', { method: 'POST', url: '/v2/images', headers: headers(owner), payload: { name: 'shared' } })).json().id
    for (const payload of [{}, { member: '' }, { member: member.projectId, extra: true }]) {
      expect((await t.inject('image', { method: 'POST', url: `/v2/images/${shared}/members`, headers: headers(owner), payload })).statusCode).toBe(400)
    }
  })
})
