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
const buildValidatorFromPool = AjvCompiler() as unknown as (externalSchemas: unknown, options: object) => (route: object) => unknown

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
    schemaController: {
      compilersFactory: {
        // Query strings, params and headers arrive as text, so their schemas convert types; a JSON body
        // is typed already, and `"5"` where a number belongs is a client error, not something to fix.
        buildValidator(externalSchemas: unknown, options: { customOptions?: object }) {
          const coercing = buildValidatorFromPool(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: 'array' } })
          const strict = buildValidatorFromPool(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } })
          return (route: { httpPart?: string }) => (route.httpPart === 'body' ? strict : coercing)(route)
        },
      } as never,
    },
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
