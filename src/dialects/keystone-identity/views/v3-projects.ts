/** Keystone v3 project entities. */
import type { Project } from '../../../core/projects/project.ts'
import type { V3Project, V3ProjectList, V3ProjectResponse } from '../schemas/v3.ts'

export function v3Project(project: Project, baseUrl: string): V3Project {
  return {
    id: project.id,
    name: project.name,
    domain_id: project.domainId,
    description: project.description,
    enabled: project.enabled,
    // A top-level project's parent is its domain.
    parent_id: project.domainId,
    is_domain: false,
    tags: [],
    options: {},
    links: { self: `${baseUrl}/v3/projects/${project.id}` },
  }
}

export function v3ProjectResponse(project: Project, baseUrl: string): V3ProjectResponse {
  return { project: v3Project(project, baseUrl) }
}

export function v3ProjectList(projects: readonly Project[], baseUrl: string, selfPath: string): V3ProjectList {
  return {
    projects: projects.map((project) => v3Project(project, baseUrl)),
    links: { self: `${baseUrl}${selfPath}`, previous: null, next: null },
  }
}
