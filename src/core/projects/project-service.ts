import { randomBytes } from 'node:crypto'
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { Store } from '../ports/store.ts'
import { badRequest, conflict, notFound } from '../shared/errors.ts'
import type { Page, PageRequest } from '../shared/page.ts'
import type { QuotaResource } from '../quotas/quota-repository.ts'
import { defaultQuotaLimits } from '../quotas/quotas.ts'
import type { AuthContextCache } from './auth-context-cache.ts'
import { FIRST_PAGE, optionalBoolean, optionalSeconds, optionalText, requireName } from './identity-validation.ts'
import { keysetRequest } from '../shared/keyset.ts'
import { DEFAULT_DOMAIN_ID, type Project, type ProjectPatch } from './project.ts'
import { ALPHANUMERIC, randomString } from './secure-random.ts'

export const APPKEY_LENGTH = 20
const MAX_PROJECT_NAME = 64
const MAX_DESCRIPTION = 255

export interface CreateProjectInput {
  readonly name: string
  readonly description?: string
  readonly strictNhn?: boolean
  readonly autoConfirmResizeSeconds?: number | null
  /** Overrides of the default limits; the rest come from the service's defaults. */
  readonly quotaLimits?: Partial<Record<QuotaResource, number>>
}

export interface UpdateProjectInput {
  readonly description?: string
  readonly enabled?: boolean
  readonly strictNhn?: boolean
  readonly autoConfirmResizeSeconds?: number | null
}

export interface ProjectServiceDeps {
  readonly store: Store
  readonly clock: Clock
  readonly ids?: IdGenerator
  /** The identity service's token cache, so that disabling a project takes effect here at once. */
  readonly authCache?: AuthContextCache
}

export interface ProjectServiceOptions {
  /** Limits for new projects; default Nova's/Neutron's/Cinder's (defaultQuotaLimits). */
  readonly defaultQuotaLimits?: Readonly<Record<QuotaResource, number>>
}

export class ProjectService {
  readonly #store: Store
  readonly #clock: Clock
  readonly #ids: IdGenerator | undefined
  readonly #authCache: AuthContextCache | undefined
  readonly #quotaLimits: Readonly<Record<QuotaResource, number>>

  constructor(deps: ProjectServiceDeps, options: ProjectServiceOptions = {}) {
    this.#store = deps.store
    this.#clock = deps.clock
    this.#ids = deps.ids
    this.#authCache = deps.authCache
    this.#quotaLimits = options.defaultQuotaLimits ?? defaultQuotaLimits
  }

  /** Creates the project and one quota row per resource in one transaction. */
  async createProject(input: CreateProjectInput): Promise<Project> {
    const name = requireName(input.name, 'name', MAX_PROJECT_NAME)
    const limits = this.#quotaLimitsFor(input.quotaLimits)
    const project: Project = {
      id: this.#ids?.hex(32) ?? randomBytes(16).toString('hex'),
      name,
      description: optionalText(input.description, 'description', MAX_DESCRIPTION) ?? '',
      domainId: DEFAULT_DOMAIN_ID,
      appkey: randomString(APPKEY_LENGTH, ALPHANUMERIC),
      enabled: true,
      strictNhn: optionalBoolean(input.strictNhn, 'strictNhn') ?? false,
      autoConfirmResizeSeconds: optionalSeconds(input.autoConfirmResizeSeconds, 'autoConfirmResizeSeconds') ?? null,
      createdAt: this.#clock.now(),
    }
    return this.#store.transaction(async (tx) => {
      if (!(await tx.projects.insert(project))) throw conflict('project', `A project named ${name} already exists.`)
      for (const [resource, limit] of Object.entries(limits) as [QuotaResource, number][]) {
        await tx.quotas.setLimit(project.id, resource, limit)
      }
      return project
    })
  }

  async getProject(id: string): Promise<Project> {
    return (await this.#store.projects.findById(id)) ?? throwNotFound(id)
  }

  async getProjectByAppkey(appkey: string): Promise<Project> {
    return (await this.#store.projects.findByAppkey(appkey)) ?? throwNotFound(appkey)
  }

  async getProjectByName(name: string): Promise<Project> {
    return (await this.#store.projects.findByName(name)) ?? throwNotFound(name)
  }

  async listProjects(page: PageRequest = FIRST_PAGE): Promise<Page<Project>> {
    return this.#store.projects.list(await keysetRequest(page, (id) => this.#store.projects.findById(id)))
  }

  async updateProject(id: string, input: UpdateProjectInput): Promise<Project> {
    const patch: ProjectPatch = {
      description: optionalText(input.description, 'description', MAX_DESCRIPTION),
      enabled: optionalBoolean(input.enabled, 'enabled'),
      strictNhn: optionalBoolean(input.strictNhn, 'strictNhn'),
      autoConfirmResizeSeconds: optionalSeconds(input.autoConfirmResizeSeconds, 'autoConfirmResizeSeconds'),
    }
    const updated = await this.#store.transaction((tx) => tx.projects.update(id, patch))
    this.#authCache?.forgetProject(id)
    return updated ?? throwNotFound(id)
  }

  #quotaLimitsFor(overrides: Partial<Record<QuotaResource, number>> | undefined): Record<QuotaResource, number> {
    const limits = { ...this.#quotaLimits }
    for (const [resource, limit] of Object.entries(overrides ?? {})) {
      if (!Object.hasOwn(limits, resource)) throw badRequest(`unknown quota resource ${resource}`, 'quotaLimits')
      if (!Number.isSafeInteger(limit) || limit < -1) {
        throw badRequest(`quota limit for ${resource} must be an integer >= -1 (-1 = unlimited)`, 'quotaLimits')
      }
      limits[resource as QuotaResource] = limit
    }
    return limits
  }
}

function throwNotFound(id: string): never {
  throw notFound('project', id)
}
