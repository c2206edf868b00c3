/**
 * Helpers for the server API tests: a keypair for the demo project, a create body that satisfies NHN's
 * strict rules (networks, key_name, block_device_mapping_v2 with a 20 GB root volume), and shortcuts to
 * create, show, act on and drain servers through HTTP.
 */
import { createHash } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import type { Owner } from '../../../src/core/shared/owner.ts'
import type { TestGureum } from '../../support/build-app.ts'
import { compute, type Caller } from './catalog-fixture.ts'

export const KEY_NAME = 'server-test-key'

/** The demo catalog's u2 (local disk) flavor, the only family NHN lets createImage snapshot. */
export const U2_FLAVOR_ID = 'b6e9890c-08b9-4cce-b5dc-a3102677ba5d'
/** m2.c2m4: a bigger general flavor to resize to. */
export const BIGGER_FLAVOR_ID = '181347cf-e559-43d4-9617-24ac1b38a977'

/** The seed examples' links point at NHN's host; ours at the request's (inject's default host). */
export const BASE = 'http://localhost:80'

export const SECONDS_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
export const MICROSECONDS_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/

export async function ownerOf(t: TestGureum, caller: Caller): Promise<Owner> {
  return (await t.gureum.services.identity.validateToken(caller.token)).owner
}

export async function adminOwner(t: TestGureum): Promise<Owner> {
  return (await t.gureum.services.identity.authenticate({ username: 'admin', password: t.credentials.admin.password })).owner
}

export async function ensureKeypair(t: TestGureum, caller: Caller, name = KEY_NAME): Promise<void> {
  const owner = await ownerOf(t, caller)
  try {
    await t.gureum.services.keypairs.get(owner, name)
  } catch {
    await t.gureum.services.keypairs.create(owner, { name })
  }
}

/** Room for the many servers and volumes a test file makes in one project. */
export async function raiseQuotas(t: TestGureum, projectId: string): Promise<void> {
  await t.gureum.services.quotas.setLimits(await adminOwner(t), projectId, {
    instances: 100, cores: 400, ram: 1_000_000, volumes: 200, gigabytes: 100_000, ports: 500,
  })
}

/** Runs `work` with the project's strict NHN switch set to `strict`, then restores it. */
export async function withStrictNhn<T>(t: TestGureum, projectId: string, strict: boolean, work: () => Promise<T>): Promise<T> {
  const before = (await t.gureum.services.projects.getProject(projectId)).strictNhn
  await t.gureum.services.projects.updateProject(projectId, { strictNhn: strict })
  try {
    return await work()
  } finally {
    await t.gureum.services.projects.updateProject(projectId, { strictNhn: before })
  }
}

export interface ServerBody { [key: string]: unknown }

/** A create body NHN's strict rules accept: one network, a keypair and a 20 GB boot volume from the image. */
export function createBody(t: TestGureum, server: ServerBody = {}, extra: ServerBody = {}): { server: ServerBody } & ServerBody {
  const { defaults } = t.credentials
  return {
    server: {
      name: 'web-1',
      imageRef: defaults.image_id,
      flavorRef: defaults.flavor_id,
      networks: [{ uuid: defaults.network_id }],
      key_name: KEY_NAME,
      block_device_mapping_v2: [{
        uuid: defaults.image_id, boot_index: 0, volume_size: 20, source_type: 'image', destination_type: 'volume',
        delete_on_termination: true,
      }],
      ...server,
    },
    ...extra,
  }
}

export function postServer(t: TestGureum, caller: Caller, payload: unknown, microversion?: string): Promise<LightMyRequestResponse> {
  return compute(t, caller, { method: 'POST', path: '/servers', payload, microversion })
}

export async function createServer(t: TestGureum, caller: Caller, server: ServerBody = {}, microversion?: string): Promise<string> {
  const response = await postServer(t, caller, createBody(t, server), microversion)
  expect(response.statusCode, response.body).toBe(202)
  return (response.json() as { server: { id: string } }).server.id
}

/** Creates a server and runs its build: ACTIVE when this returns. */
export async function activeServer(t: TestGureum, caller: Caller, server: ServerBody = {}): Promise<string> {
  const id = await createServer(t, caller, server)
  await t.drain()
  return id
}

export interface WireServer {
  id: string
  name: string
  status: string
  [key: string]: unknown
}

export async function showServer(t: TestGureum, caller: Caller, id: string, microversion?: string): Promise<WireServer> {
  const response = await compute(t, caller, { path: `/servers/${id}`, microversion })
  expect(response.statusCode, response.body).toBe(200)
  return (response.json() as { server: WireServer }).server
}

export async function statusOf(t: TestGureum, caller: Caller, id: string): Promise<string> {
  return (await showServer(t, caller, id)).status
}

export function action(t: TestGureum, caller: Caller, id: string, payload: unknown, microversion?: string): Promise<LightMyRequestResponse> {
  return compute(t, caller, { method: 'POST', path: `/servers/${id}/action`, payload, microversion })
}

/** Posts an action that must be accepted (202). */
export async function accepted(t: TestGureum, caller: Caller, id: string, payload: unknown): Promise<LightMyRequestResponse> {
  const response = await action(t, caller, id, payload)
  expect(response.statusCode, response.body).toBe(202)
  return response
}

/** Deletes the server and runs the delete, freeing its quota. */
export async function deleteServer(t: TestGureum, caller: Caller, id: string): Promise<void> {
  const response = await compute(t, caller, { method: 'DELETE', path: `/servers/${id}` })
  expect(response.statusCode, response.body).toBe(204)
  await t.drain()
}

/** Nova's hostId for a project and host name. */
export const novaHostId = (projectId: string, hostName: string) =>
  createHash('sha224').update(projectId + hostName).digest('hex')

/** A private active image of the project with no minimum disk or RAM, of the given OS type. */
export async function tinyImage(t: TestGureum, caller: Caller, osType: 'linux' | 'windows'): Promise<string> {
  const owner = await ownerOf(t, caller)
  const image = await t.gureum.services.images.create(owner, {
    name: `tiny-${osType}`, visibility: 'private', diskFormat: 'qcow2', containerFormat: 'bare', properties: { os_type: osType },
  })
  await t.gureum.services.images.upload(owner, image.id, (async function* () { yield new Uint8Array(1024) })())
  return image.id
}
