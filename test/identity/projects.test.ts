import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultQuotaLimits } from '../../src/core/quotas/quotas.ts'
import { testEngines } from '../support/stores.ts'
import { createIdentityFixture, expectKind, START, type IdentityFixture } from './identity-fixture.ts'

describe.each(await testEngines())('projects on %s', (engine) => {
  let fx: IdentityFixture
  beforeEach(async () => {
    fx = await createIdentityFixture(engine)
  })
  afterEach(async () => {
    await fx.close()
  })

  it('creates a project with an OpenStack tenant id, an NHN appkey and its settings', async () => {
    const project = await fx.projects.createProject({ name: 'demo', description: 'Demo', strictNhn: true, autoConfirmResizeSeconds: 3600 })
    expect(project.id).toMatch(/^[0-9a-f]{32}$/)
    expect(project.appkey).toMatch(/^[A-Za-z0-9]{20}$/)
    expect(project).toMatchObject({
      name: 'demo', description: 'Demo', domainId: 'default', enabled: true, strictNhn: true, autoConfirmResizeSeconds: 3600,
    })
    expect(project.createdAt).toEqual(START)
    expect(await fx.projects.getProject(project.id)).toEqual(project)
    expect(await fx.projects.getProjectByAppkey(project.appkey)).toEqual(project)
    expect(await fx.projects.getProjectByName('demo')).toEqual(project)
  })

  it('defaults to lenient NHN rules and no automatic resize confirmation', async () => {
    const project = await fx.projects.createProject({ name: 'plain' })
    expect(project).toMatchObject({ description: '', strictNhn: false, autoConfirmResizeSeconds: null })
  })

  it('gives a new project a quota row for every resource, with overrides applied', async () => {
    const project = await fx.projects.createProject({ name: 'quotas', quotaLimits: { instances: 3, cores: -1 } })
    const usage = await fx.database.store.quotas.list(project.id)
    const limits = Object.fromEntries(usage.map((row) => [row.resource, row.limit]))
    expect(limits).toEqual({ ...defaultQuotaLimits, instances: 3, cores: -1 })
    expect(usage.every((row) => row.inUse === 0)).toBe(true)
  })

  it('refuses a duplicate name as a conflict and leaves nothing behind', async () => {
    const first = await fx.projects.createProject({ name: 'twice' })
    const error = await expectKind(fx.projects.createProject({ name: 'twice' }), 'conflict')
    expect(error.resource).toBe('project')
    const page = await fx.projects.listProjects({ limit: 10, marker: null })
    expect(page.items.map((project) => project.id)).toEqual([first.id])
  })

  it('refuses bad input as bad_request', async () => {
    await expectKind(fx.projects.createProject({ name: '' }), 'bad_request')
    await expectKind(fx.projects.createProject({ name: ' padded' }), 'bad_request')
    await expectKind(fx.projects.createProject({ name: 'x'.repeat(65) }), 'bad_request')
    await expectKind(fx.projects.createProject({ name: 'q', quotaLimits: { instances: -2 } }), 'bad_request')
    await expectKind(fx.projects.createProject({ name: 'q', quotaLimits: { bananas: 1 } as never }), 'bad_request')
    await expectKind(fx.projects.createProject({ name: 'q', autoConfirmResizeSeconds: -1 }), 'bad_request')
    expect((await fx.projects.listProjects()).items).toEqual([])
  })

  it('answers not_found for unknown ids, appkeys and names', async () => {
    await expectKind(fx.projects.getProject('0'.repeat(32)), 'not_found')
    await expectKind(fx.projects.getProjectByAppkey('A'.repeat(20)), 'not_found')
    await expectKind(fx.projects.getProjectByName('nobody'), 'not_found')
    await expectKind(fx.projects.updateProject('0'.repeat(32), { enabled: false }), 'not_found')
  })

  it('updates only the fields given', async () => {
    const project = await fx.projects.createProject({ name: 'upd', description: 'before', autoConfirmResizeSeconds: 60 })
    const updated = await fx.projects.updateProject(project.id, { strictNhn: true, enabled: false })
    expect(updated).toEqual({ ...project, strictNhn: true, enabled: false })
    const cleared = await fx.projects.updateProject(project.id, { autoConfirmResizeSeconds: null, description: 'after' })
    expect(cleared).toEqual({ ...updated, autoConfirmResizeSeconds: null, description: 'after' })
    expect(await fx.projects.updateProject(project.id, {})).toEqual(cleared)
  })

  it('lists projects in keyset pages that continue after the marker', async () => {
    const created = []
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      created.push(await fx.projects.createProject({ name }))
      fx.clock.advance(name === 'p2' ? 0 : 1000)
    }
    const expected = [...created].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
    const first = await fx.projects.listProjects({ limit: 2, marker: null })
    expect(first.hasMore).toBe(true)
    const second = await fx.projects.listProjects({ limit: 2, marker: first.items[1].id })
    const third = await fx.projects.listProjects({ limit: 2, marker: second.items[1].id })
    expect(third.hasMore).toBe(false)
    expect([...first.items, ...second.items, ...third.items].map((p) => p.id)).toEqual(expected.map((p) => p.id))
    await expectKind(fx.projects.listProjects({ limit: 2, marker: 'f'.repeat(32) }), 'bad_request')
    await expectKind(fx.projects.listProjects({ limit: 0, marker: null }), 'bad_request')
  })
})
