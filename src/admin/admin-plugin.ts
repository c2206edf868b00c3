/**
 * Gureum's own API on the console port, separate from every vendor dialect: health, simulation
 * controls (progression, clock, faults, metrics), hosts and tasks. Every /_admin route needs an admin:
 * an admin user's token in X-Auth-Token, or HTTP Basic with the admin's name and password.
 */
import { Type, type Static } from 'typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { DomainError, isDomainError } from '../core/shared/errors.ts'
import type { Host } from '../core/hosts/host.ts'
import type { Task } from '../core/tasks/task.ts'
import type { Page } from '../core/shared/page.ts'
import type { DialectApp } from '../dialects/shared/listener.ts'
import { MalformedJsonError } from '../dialects/shared/listener.ts'
import type { CoreServices } from '../dialects/shared/context.ts'
import type { OpenApiDocument } from '../dialects/shared/openapi.ts'

/** The simulation and operations controls the admin API drives; the composition root implements it. */
export interface AdminControls {
  setProgression(policy: { mode: 'immediate' | 'timed' | 'manual'; speed?: number }): void
  progression(): { mode: string; speed?: number }
  advanceClock(seconds: number): Promise<Date>
  now(): Date
  injectFault(fault: { operation: string; host?: string; serverId?: string; count: number; message?: string }): unknown
  setHostDown(host: string, down: boolean): Promise<void>
  clearFaults(): void
  listFaults(): unknown[]
  setServerMetrics(serverId: string, profile: Record<string, number>): Promise<Record<string, number>>
  listTasks(filter: { status?: string; kind?: string; resourceId?: string; limit: number; marker: string | null }): Promise<Page<Task>>
  reset(): Promise<void>
}

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.Integer(), title: Type.String(), message: Type.String() }, { additionalProperties: false }),
}, { additionalProperties: false })

const HostView = Type.Object({
  id: Type.String(), name: Type.String(), availability_zone: Type.String(), driver: Type.String(),
  state: Type.String(), enabled: Type.Boolean(), vcpus: Type.Integer(), vcpus_used: Type.Integer(),
  ram_mb: Type.Integer(), ram_mb_used: Type.Integer(), disk_gb: Type.Integer(), disk_gb_used: Type.Integer(),
  server_count: Type.Integer(), cpu_allocation_ratio: Type.Number(), ram_allocation_ratio: Type.Number(),
  disk_allocation_ratio: Type.Number(),
}, { additionalProperties: false })

const TaskView = Type.Object({
  id: Type.String(), kind: Type.String(), resource_id: Type.Union([Type.String(), Type.Null()]),
  project_id: Type.Union([Type.String(), Type.Null()]), status: Type.String(), attempts: Type.Integer(),
  max_attempts: Type.Integer(), run_after: Type.String(), deadline_at: Type.String(),
  lease_owner: Type.Union([Type.String(), Type.Null()]), last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(), finished_at: Type.Union([Type.String(), Type.Null()]),
}, { additionalProperties: false })

const ProgressionBody = Type.Object({
  mode: Type.Enum(['immediate', 'timed', 'manual']),
  speed: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000 })),
}, { additionalProperties: false })

const FaultBody = Type.Object({
  operation: Type.Optional(Type.Enum(['spawn', 'destroy', 'powerOn', 'powerOff', 'reboot', 'rebuild', 'resize', 'snapshot',
    'attachVolume', 'detachVolume', 'attachInterface', 'detachInterface', 'pause', 'unpause', 'suspend', 'resume'])),
  host: Type.Optional(Type.String({ minLength: 1 })),
  server_id: Type.Optional(Type.String({ minLength: 1 })),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  message: Type.Optional(Type.String({ maxLength: 1000 })),
  host_down: Type.Optional(Type.Boolean()),
  clear: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })

const MetricsBody = Type.Object({
  cpu: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  memory: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  network_in_bytes: Type.Optional(Type.Number({ minimum: 0 })),
  network_out_bytes: Type.Optional(Type.Number({ minimum: 0 })),
  network_in_packets: Type.Optional(Type.Number({ minimum: 0 })),
  network_out_packets: Type.Optional(Type.Number({ minimum: 0 })),
}, { additionalProperties: false, minProperties: 1 })

const iso = (date: Date | null) => (date ? date.toISOString() : null)

function hostView(host: Host): Static<typeof HostView> {
  return {
    id: host.id, name: host.name, availability_zone: host.availabilityZone, driver: host.driver, state: host.state,
    enabled: host.enabled, vcpus: host.vcpus, vcpus_used: host.vcpusUsed, ram_mb: host.ramMb, ram_mb_used: host.ramMbUsed,
    disk_gb: host.diskGb, disk_gb_used: host.diskGbUsed, server_count: host.serverCount,
    cpu_allocation_ratio: host.cpuAllocationRatio, ram_allocation_ratio: host.ramAllocationRatio,
    disk_allocation_ratio: host.diskAllocationRatio,
  }
}

function taskView(task: Task): Static<typeof TaskView> {
  return {
    id: task.id, kind: task.kind, resource_id: task.resourceId, project_id: task.projectId, status: task.status,
    attempts: task.attempts, max_attempts: task.maxAttempts, run_after: task.runAfter.toISOString(),
    deadline_at: task.deadlineAt.toISOString(), lease_owner: task.leaseOwner, last_error: task.lastError,
    created_at: task.createdAt.toISOString(), finished_at: iso(task.finishedAt),
  }
}

const statusOf: Record<string, number> = {
  not_found: 404, conflict: 409, invalid_state: 409, quota_exceeded: 403, bad_request: 400, forbidden: 403,
  unauthorized: 401, not_supported: 501,
}

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large',
  415: 'Unsupported Media Type', 500: 'Internal Server Error', 501: 'Not Implemented',
}

function errorBody(code: number, message: string) {
  return { error: { code, title: titles[code] ?? 'Error', message } }
}

const DocumentIndex = Type.Object({
  documents: Type.Array(Type.Object({ name: Type.String(), title: Type.String(), url: Type.String() }, { additionalProperties: false })),
}, { additionalProperties: false })

export interface AdminContext {
  readonly services: CoreServices
  readonly controls: AdminControls
  readonly version: string
  /** The OpenAPI document of every listener, by name; served publicly under /docs. */
  readonly documents: () => Promise<ReadonlyMap<string, OpenApiDocument>>
}

export function adminPlugin(app: DialectApp, context: AdminContext): void {
  const { services, controls } = context
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }

  app.setErrorHandler((error: unknown, request, reply) => {
    if (isDomainError(error)) {
      const code = statusOf[error.kind] ?? 500
      if (code === 401) reply.header('WWW-Authenticate', 'Basic realm="gureum-admin"')
      return reply.status(code).send(errorBody(code, error.message))
    }
    const failure = error as { validation?: unknown; statusCode?: number; message?: string }
    if (failure.validation || error instanceof MalformedJsonError) return reply.status(400).send(errorBody(400, failure.message ?? 'Bad request'))
    if (failure.statusCode && failure.statusCode >= 400 && failure.statusCode < 500) {
      return reply.status(failure.statusCode).send(errorBody(failure.statusCode, failure.message ?? 'Bad request'))
    }
    request.log.error({ err: error }, 'admin request failed')
    return reply.status(500).send(errorBody(500, `Internal error (request ${request.id})`))
  })
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody(404, `No route ${request.method} ${request.url}`)))

  async function requireAdmin(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = request.headers['x-auth-token']
    const authorization = request.headers.authorization
    let auth
    if (typeof token === 'string' && token !== '') {
      auth = await services.identity.validateToken(token)
      if (!auth.user.roles.includes('admin')) throw new DomainError('forbidden', 'The admin API needs an admin user.')
    } else if (typeof authorization === 'string' && /^basic /i.test(authorization)) {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
      const separator = decoded.indexOf(':')
      if (separator < 0) throw new DomainError('unauthorized', 'Malformed basic credentials.')
      auth = await services.identity.authenticateAdminBasic(decoded.slice(0, separator), decoded.slice(separator + 1))
    } else {
      throw new DomainError('unauthorized', 'The admin API needs X-Auth-Token or HTTP Basic credentials of an admin user.')
    }
    request.auth = auth
  }

  app.get('/healthz', {
    schema: {
      operationId: 'health', tags: ['admin'],
      response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), time: Type.String() }, { additionalProperties: false }) },
    },
  }, async () => ({ status: 'ok' as const, version: context.version, time: controls.now().toISOString() }))

  app.get('/docs', {
    schema: { operationId: 'listApiDocuments', tags: ['docs'], response: { 200: DocumentIndex } },
  }, async () => ({
    documents: [...(await context.documents())].map(([name, document]) => ({ name, title: document.info.title, url: `/docs/${name}.json` })),
  }))

  app.get('/docs/:file', {
    schema: {
      operationId: 'showApiDocument', tags: ['docs'],
      params: Type.Object({ file: Type.String({ pattern: '^[A-Za-z0-9]+\\.json$' }) }, { additionalProperties: false }),
      response: { 200: Type.Object({}, { additionalProperties: true, description: 'An OpenAPI 3 document' }), 400: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => {
    const name = request.params.file.slice(0, -'.json'.length)
    const document = (await context.documents()).get(name)
    if (!document) throw new DomainError('not_found', `No API document ${request.params.file}; GET /docs lists them.`)
    return document
  })

  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>()
    // Before body parsing and validation: an anonymous caller learns nothing about what a body should hold.
    admin.addHook('onRequest', requireAdmin)

    admin.post('/_admin/reset', {
      schema: { operationId: 'reset', tags: ['admin'], response: { 204: Type.Null(), ...errors } },
    }, async (_request, reply) => {
      await controls.reset()
      return reply.status(204).send(null)
    })

    admin.get('/_admin/progression', {
      schema: { operationId: 'getProgression', tags: ['admin'], response: { 200: ProgressionBody, ...errors } },
    }, async () => controls.progression() as Static<typeof ProgressionBody>)

    admin.put('/_admin/progression', {
      schema: { operationId: 'setProgression', tags: ['admin'], body: ProgressionBody, response: { 200: ProgressionBody, ...errors } },
    }, async (request) => {
      controls.setProgression(request.body)
      return controls.progression() as Static<typeof ProgressionBody>
    })

    admin.post('/_admin/clock/advance', {
      schema: {
        operationId: 'advanceClock', tags: ['admin'],
        body: Type.Object({ seconds: Type.Number({ exclusiveMinimum: 0, maximum: 31_536_000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ now: Type.String() }, { additionalProperties: false }), ...errors },
      },
    }, async (request) => ({ now: (await controls.advanceClock(request.body.seconds)).toISOString() }))

    admin.get('/_admin/faults', {
      schema: { operationId: 'listFaults', tags: ['admin'], response: { 200: Type.Object({ faults: Type.Array(Type.Any()) }), ...errors } },
    }, async () => ({ faults: controls.listFaults() }))

    admin.post('/_admin/faults', {
      schema: {
        operationId: 'injectFault', tags: ['admin'], body: FaultBody,
        response: { 201: Type.Object({ faults: Type.Array(Type.Any()) }), ...errors },
      },
    }, async (request, reply) => {
      const body = request.body
      if (body.clear) controls.clearFaults()
      if (body.host_down !== undefined) {
        if (!body.host) throw new DomainError('bad_request', 'host_down needs host.')
        await controls.setHostDown(body.host, body.host_down)
      }
      if (body.operation) {
        controls.injectFault({ operation: body.operation, host: body.host, serverId: body.server_id, count: body.count ?? 1, message: body.message })
      } else if (body.host_down === undefined && !body.clear) {
        throw new DomainError('bad_request', 'Give an operation to fail, host_down with a host, or clear.')
      }
      return reply.status(201).send({ faults: controls.listFaults() })
    })

    admin.get('/_admin/hosts', {
      schema: { operationId: 'listHosts', tags: ['admin'], response: { 200: Type.Object({ hosts: Type.Array(HostView) }), ...errors } },
    }, async () => ({ hosts: (await services.hosts.list()).map(hostView) }))

    admin.put('/_admin/servers/:serverId/metrics', {
      schema: {
        operationId: 'setServerMetrics', tags: ['admin'], params: Type.Object({ serverId: Type.String() }), body: MetricsBody,
        response: { 200: Type.Object({ metrics: Type.Record(Type.String(), Type.Number()) }), ...errors },
      },
    }, async (request) => {
      const body = request.body
      const profile: Record<string, number> = {}
      if (body.cpu !== undefined) profile.cpu = body.cpu
      if (body.memory !== undefined) profile.memory = body.memory
      if (body.network_in_bytes !== undefined) profile.networkInBytes = body.network_in_bytes
      if (body.network_out_bytes !== undefined) profile.networkOutBytes = body.network_out_bytes
      if (body.network_in_packets !== undefined) profile.networkInPackets = body.network_in_packets
      if (body.network_out_packets !== undefined) profile.networkOutPackets = body.network_out_packets
      return { metrics: await controls.setServerMetrics(request.params.serverId, profile) }
    })

    admin.get('/_admin/tasks', {
      schema: {
        operationId: 'listTasks', tags: ['admin'],
        querystring: Type.Object({
          status: Type.Optional(Type.Enum(['queued', 'running', 'succeeded', 'failed'])),
          kind: Type.Optional(Type.String()), resource_id: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          marker: Type.Optional(Type.String()),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ tasks: Type.Array(TaskView), has_more: Type.Boolean() }), ...errors },
      },
    }, async (request) => {
      const query = request.query
      const page = await controls.listTasks({
        status: query.status, kind: query.kind, resourceId: query.resource_id, limit: query.limit ?? 100, marker: query.marker ?? null,
      })
      return { tasks: page.items.map(taskView), has_more: page.hasMore }
    })
  })
}
