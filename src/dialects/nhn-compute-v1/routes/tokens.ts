/**
 * Token API (seed 000): issue with the user name and API password, and look a token up. The lookup is
 * served at the seed's `/v1.0/appkey/…` and at `/v1.0/appkeys/…` (CATALOG §6 A1), and needs no
 * X-Auth-Token: the token in the path is itself the credential (A2).
 */
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { AppkeyParams, TAGS, v1Responses } from '../schemas/common.ts'
import { AccessBody, TokenIssueBody, TokenParams } from '../schemas/tokens.ts'
import { success } from '../views/envelope.ts'
import { accessView, asTokenIssueFailure, asUnknownToken, tokenIdOf, unknownToken } from '../views/tokens.ts'

const TOKEN_INFO_PATHS = [
  { url: '/v1.0/appkey/:appkey/tokens/:tokenId', operationId: 'showToken' },
  { url: '/v1.0/appkeys/:appkey/tokens/:tokenId', operationId: 'showTokenAppkeys' },
] as const

export function tokenRoutes(app: DialectApp, { services }: DialectContext): void {
  const { identity } = services

  app.route({
    method: 'POST',
    url: '/v1.0/appkeys/:appkey/tokens',
    schema: {
      operationId: 'issueToken', tags: [TAGS.tokens], params: AppkeyParams, body: TokenIssueBody,
      response: v1Responses(AccessBody),
    },
    handler: async (request) => {
      const { username, password } = request.body.auth
      const issued = await identity.authenticate({ username, password, appkey: request.params.appkey }).catch(asTokenIssueFailure)
      return success({ access: accessView(issued.token, issued) })
    },
  })

  for (const { url, operationId } of TOKEN_INFO_PATHS) {
    app.route({
      method: 'GET',
      url,
      schema: { operationId, tags: [TAGS.tokens], params: TokenParams, response: v1Responses(AccessBody) },
      handler: async (request) => {
        const tokenId = tokenIdOf(request.params.tokenId)
        const auth = await identity.validateToken(tokenId).catch(asUnknownToken)
        if (auth.project.appkey !== request.params.appkey) throw unknownToken()
        return success({ access: accessView(tokenId, auth) })
      },
    })
  }
}
