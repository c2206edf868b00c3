/**
 * The two dialects the bench drives, reduced to the calls it makes: tokens from Keystone (v2.0, else
 * v3) and from NHN v1.0, Nova server create/show/list, and NHN v1.0 server show.
 */
import { expectJson, requestJson, sleep } from './http.ts'

export interface Login {
  readonly tenantId: string
  readonly appkey: string
  readonly username: string
  readonly password: string
}

export async function keystoneToken(identityUrl: string, login: Login): Promise<string> {
  const v2 = await requestJson('POST', `${identityUrl}/v2.0/tokens`, {
    body: { auth: { tenantId: login.tenantId, passwordCredentials: { username: login.username, password: login.password } } },
  })
  if (v2.status === 200 && typeof v2.body?.access?.token?.id === 'string') return v2.body.access.token.id
  const v3 = await expectJson(201, 'POST', `${identityUrl}/v3/auth/tokens`, {
    body: {
      auth: {
        identity: { methods: ['password'], password: { user: { name: login.username, domain: { name: 'Default' }, password: login.password } } },
        scope: { project: { id: login.tenantId } },
      },
    },
  })
  const token = v3.headers.get('x-subject-token')
  if (!token) throw new Error(`Keystone v2.0 answered ${v2.status} and v3 gave no X-Subject-Token`)
  return token
}

export async function nhnV1Token(nhnUrl: string, login: Login): Promise<string> {
  const response = await expectJson(200, 'POST', `${nhnUrl}/v1.0/appkeys/${login.appkey}/tokens`, {
    body: { auth: { username: login.username, password: login.password } },
  })
  const token = response.body?.access?.token?.id
  if (typeof token !== 'string') throw new Error(`NHN v1.0 token answer has no access.token.id: ${JSON.stringify(response.body).slice(0, 300)}`)
  return token
}

export interface ServerSpec {
  readonly imageId: string
  readonly flavorId: string
  readonly networkId: string
  readonly keyName: string
}

export interface NovaServer {
  readonly id: string
  readonly status: string
}

export class NovaClient {
  readonly base: string
  readonly headers: Record<string, string>

  constructor(computeUrl: string, tenantId: string, token: string) {
    this.base = `${computeUrl}/v2/${tenantId}`
    this.headers = { 'x-auth-token': token }
  }

  serverUrl(id: string): string {
    return `${this.base}/servers/${id}`
  }

  /** POST /servers (202); with count > 1, max_count = min_count = count. Returns the first server's id. */
  async create(spec: ServerSpec, name: string, count = 1): Promise<string> {
    const response = await expectJson(202, 'POST', `${this.base}/servers`, {
      headers: this.headers,
      body: {
        server: {
          name, imageRef: spec.imageId, flavorRef: spec.flavorId, networks: [{ uuid: spec.networkId }], key_name: spec.keyName,
          ...(count > 1 ? { min_count: count, max_count: count } : {}),
        },
      },
    })
    const id = response.body?.server?.id ?? response.body?.reservation_id
    if (typeof id !== 'string') throw new Error(`create answered without a server id: ${JSON.stringify(response.body).slice(0, 300)}`)
    return id
  }

  async show(id: string): Promise<NovaServer> {
    return (await expectJson(200, 'GET', this.serverUrl(id), { headers: this.headers })).body.server
  }

  /** One page of GET /servers/detail (or /servers); `query` holds filters, limit and marker. */
  async page(query: Record<string, string>, detail = true): Promise<NovaServer[]> {
    const search = new URLSearchParams(query).toString()
    const response = await expectJson(200, 'GET', `${this.base}/servers${detail ? '/detail' : ''}?${search}`, { headers: this.headers })
    return response.body.servers
  }

  /** Waits until no server of the project is in BUILD; fails if any went to ERROR. Returns when it saw none. */
  async waitUntilNoneBuilding(timeoutMs: number, pollMs = 10): Promise<number> {
    const started = performance.now()
    for (;;) {
      const building = await this.page({ status: 'BUILD', limit: '1' }, false)
      if (building.length === 0) {
        const failed = await this.page({ status: 'ERROR', limit: '1' })
        if (failed.length > 0) throw new Error(`a server went to ERROR: ${JSON.stringify(failed[0]).slice(0, 500)}`)
        return performance.now()
      }
      if (performance.now() - started > timeoutMs) throw new Error(`servers still in BUILD after ${timeoutMs} ms`)
      await sleep(pollMs)
    }
  }
}

export class NhnV1Client {
  readonly base: string
  readonly headers: Record<string, string>

  constructor(nhnUrl: string, appkey: string, token: string) {
    this.base = `${nhnUrl}/v1.0/appkeys/${appkey}`
    this.headers = { 'x-auth-token': token }
  }

  serverUrl(id: string): string {
    return `${this.base}/servers/${id}`
  }

  /** NHN v1.0 answers 200 even on failure; success is header.isSuccessful. */
  async show(id: string): Promise<unknown> {
    const response = await expectJson(200, 'GET', this.serverUrl(id), { headers: this.headers })
    if (response.body?.header?.isSuccessful !== true) throw new Error(`NHN v1.0 server show failed: ${JSON.stringify(response.body).slice(0, 300)}`)
    return response.body
  }
}
