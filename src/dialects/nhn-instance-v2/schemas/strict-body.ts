/**
 * Nova validates request bodies without type coercion: `{"name": 123}` is a 400, not the name "123".
 * The listener's Ajv coerces everywhere (query strings need it), so the server routes register in a
 * scope whose validator checks bodies as sent and converts only params and query strings (TypeBox's
 * compiler, as @fastify/type-provider-typebox wires it).
 */
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { lazyValidatorCompiler, type DialectApp } from '../../shared/listener.ts'

export function withStrictBodies(api: DialectApp, routes: (scope: DialectApp) => void): void {
  void api.register(async (scope) => {
    scope.setValidatorCompiler(lazyValidatorCompiler(TypeBoxValidatorCompiler))
    routes(scope.withTypeProvider<TypeBoxTypeProvider>() as unknown as DialectApp)
  })
}
