/**
 * Tokens for API tests of the OpenStack-style dialects: the demo project's, and those of extra projects
 * created through the core services (isolation tests).
 */
import type { TestGureum } from './build-app.ts'

export interface Tenant {
  readonly projectId: string
  readonly token: string
}

export async function demoTenant(t: TestGureum): Promise<Tenant> {
  const issued = await t.gureum.services.identity.authenticate({ username: 'demo', password: t.credentials.user.password })
  return { projectId: t.credentials.project.id, token: issued.token }
}

export async function createTenant(t: TestGureum, name: string): Promise<Tenant> {
  const project = await t.gureum.services.projects.createProject({ name })
  const password = `pw-${name}-Secret123`
  await t.gureum.services.identity.createUser({ projectId: project.id, name: `${name}-user`, password, role: 'member' })
  const issued = await t.gureum.services.identity.authenticate({ username: `${name}-user`, password })
  return { projectId: project.id, token: issued.token }
}
