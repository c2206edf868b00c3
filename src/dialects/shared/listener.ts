/**
 * One Fastify instance per listener (each dialect at the root of its own port). What every listener
 * shares lives here: TypeBox typing, the body size limit, request ids, and a JSON parser that accepts
 * `application/json;charset=UTF-8` (the NHN guides' header) and an empty body.
 */
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { AuthContext } from '../../core/projects/auth-context.ts'

export type DialectApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the dialect's authentication hook. */
    auth?: AuthContext
  }
}

export interface ListenerOptions {
  readonly name: string
  readonly bodyLimitBytes: number
  readonly logger: FastifyBaseLogger | boolean
}

/** Marks a JSON body that could not be parsed, so each dialect answers in its own error format. */
export class MalformedJsonError extends Error {
  readonly statusCode = 400
  readonly code = 'GUREUM_MALFORMED_JSON'
  constructor(detail: string) {
    super(`Malformed request body: ${detail}`)
    this.name = 'MalformedJsonError'
  }
}

const ajvOptions = { removeAdditional: false, useDefaults: true, allErrors: false } as const

/** What Fastify hands a validator or serializer compiler for one part of one route. */
type RouteSchema = { readonly httpPart?: string } & Record<string, unknown>
type Validate = ((data: unknown, context?: object) => unknown) & { errors?: unknown; schemaEnv?: unknown }
type ValidatorCompiler = (route: RouteSchema) => Validate
type Serialize = (data: unknown) => string
type SerializerCompiler = (route: RouteSchema) => Serialize

/**
 * A validator that compiles its schema on its first call. Fastify builds the validators of every route
 * when a listener starts, which is most of the start time; most routes of a given run are never called.
 * Fastify reads `errors` right after a failed validation, and passes the data context (which coercion of
 * query strings and params needs) only to a function with a truthy `schemaEnv`, as Ajv's have: the
 * wrapper has one, and passes the context on when the compiled function has one too.
 */
function lazyValidator(compile: () => Validate): Validate {
  let compiled: Validate | undefined
  const validate: Validate = (data, context) => {
    compiled ??= compile()
    const result = compiled.schemaEnv ? compiled(data, context) : compiled(data)
    validate.errors = compiled.errors
    return result
  }
  validate.schemaEnv = true
  return validate
}

/** `compiler`, with each route's validator compiled on first use (see lazyValidator). */
export function lazyValidatorCompiler<Compiler extends (route: never) => unknown>(compiler: Compiler): Compiler {
  const eager = compiler as unknown as ValidatorCompiler
  const lazy: ValidatorCompiler = (route) => lazyValidator(() => eager(route))
  return lazy as unknown as Compiler
}

/** A serializer that compiles its schema on its first call, like lazyValidator. */
function lazySerializer(compile: () => Serialize): Serialize {
  let compiled: Serialize | undefined
  return (data) => (compiled ??= compile())(data)
}

type ValidatorBuilder = (externalSchemas: unknown, options: { customOptions?: object }) => ValidatorCompiler
type SerializerBuilder = (externalSchemas: unknown, options: unknown) => SerializerCompiler
const ajvValidatorBuilder = AjvCompiler() as unknown as ValidatorBuilder
const fastJsonStringifyBuilder = SerializerSelector() as unknown as SerializerBuilder

/**
 * Fastify's own compilers (Ajv, fast-json-stringify), each route's function built on its first use.
 * Query strings, params and headers arrive as text, so their schemas convert types; a JSON body is typed
 * already, and `"5"` where a number belongs is a client error, not something to fix.
 */
const compilersFactory = {
  buildValidator(externalSchemas: unknown, options: { customOptions?: object }): ValidatorCompiler {
    let coercing: ValidatorCompiler | undefined
    let strict: ValidatorCompiler | undefined
    return (route) => lazyValidator(() => {
      if (route.httpPart === 'body') {
        strict ??= ajvValidatorBuilder(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } })
        return strict(route)
      }
      coercing ??= ajvValidatorBuilder(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: 'array' } })
      return coercing(route)
    })
  },
  buildSerializer(externalSchemas: unknown, options: unknown): SerializerCompiler {
    let build: SerializerCompiler | undefined
    return (route) => lazySerializer(() => {
      build ??= fastJsonStringifyBuilder(externalSchemas, options)
      return build(route)
    })
  },
}

export function createListener(options: ListenerOptions): DialectApp {
  const app = Fastify({
    loggerInstance: typeof options.logger === 'object' ? options.logger : undefined,
    logger: typeof options.logger === 'boolean' ? options.logger : undefined,
    bodyLimit: options.bodyLimitBytes,
    genReqId: () => `req-${randomUUID()}`,
    // Per-request start/end lines would dominate the log and cost time on every call; errors still log.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    ajv: { customOptions: ajvOptions },
    schemaController: { compilersFactory: compilersFactory as never },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as DialectApp
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') {
      done(null, undefined)
      return
    }
    try {
      done(null, JSON.parse(text))
    } catch (error) {
      done(new MalformedJsonError((error as Error).message), undefined)
    }
  })
  return app
}
