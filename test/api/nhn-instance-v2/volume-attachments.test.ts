import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Owner } from '../../../src/core/shared/owner.ts'
import { buildTestGureum, type TestGureum } from '../../support/build-app.ts'
import { testEngines } from '../../support/stores.ts'
import { compute, demoCaller, faultOf, newTenant, sample, shapeOf, type Caller } from './catalog-fixture.ts'
import { activeServer, createServer, deleteServer, ensureKeypair, ownerOf, raiseQuotas, showServer } from './server-fixture.ts'

interface Attachment { id: string; device: string; serverId: string; volumeId: string }

describe.each(await testEngines())('nhn-instance-v2 volume attachments (%s)', (engine) => {
  let t: TestGureum
  let demo: Caller
  let owner: Owner
  let serverId: string
  let rootVolumeId: string

  beforeAll(async () => {
    t = await buildTestGureum({ engine })
    demo = await demoCaller(t)
    owner = await ownerOf(t, demo)
    await ensureKeypair(t, demo)
    await raiseQuotas(t, demo.tenantId)
    serverId = await activeServer(t, demo, { name: 'with-volumes' })
    rootVolumeId = ((await showServer(t, demo, serverId))['os-extended-volumes:volumes_attached'] as { id: string }[])[0].id
  })
  afterAll(async () => { await t.close() })

  const path = (suffix = '') => `/servers/${serverId}/os-volume_attachments${suffix}`
  const list = async (query = '') => {
    const response = await compute(t, demo, { path: path(query) })
    expect(response.statusCode, response.body).toBe(200)
    return (response.json() as { volumeAttachments: Attachment[] }).volumeAttachments
  }
  const newVolume = async (name: string) => (await t.gureum.services.volumes.create(owner, { sizeGb: 10, name })).id

  it('doc-verified: lists the root volume as /dev/vda with id = volumeId (seeds 001/002)', async () => {
    const response = await compute(t, demo, { path: path() })
    expect(shapeOf(response.json())).toEqual(shapeOf(sample('volume-attachments-list.json')))
    expect(shapeOf(response.json())).toEqual(shapeOf(sample('volume-attachments-list.legacy.json')))
    expect(await list()).toEqual([{ id: rootVolumeId, device: '/dev/vda', serverId, volumeId: rootVolumeId }])
  })

  it('doc-verified: attaches (200, next free device), shows, lists with limit/offset, and detaches (202)', async () => {
    const volumeId = await newVolume('data-1')
    const request = sample<{ volumeAttachment: { volumeId: string } }>('volume-attachment-create-request.json')
    const response = await compute(t, demo, {
      method: 'POST', path: path(), payload: { volumeAttachment: { ...request.volumeAttachment, volumeId } },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(shapeOf(response.json())).toEqual(shapeOf(sample('volume-attachment-create-response.json')))
    expect(response.json()).toEqual({ volumeAttachment: { id: volumeId, device: '/dev/vdb', serverId, volumeId } })
    expect((await t.gureum.services.volumes.get(owner, volumeId)).status).toBe('attaching')
    await t.drain()
    expect((await t.gureum.services.volumes.get(owner, volumeId)).status).toBe('in-use')

    const shown = await compute(t, demo, { path: path(`/${volumeId}`) })
    expect(shown.statusCode).toBe(200)
    expect(shapeOf(shown.json())).toEqual(shapeOf(sample('volume-attachment-show.json')))
    expect(shown.json()).toEqual({ volumeAttachment: { id: volumeId, device: '/dev/vdb', serverId, volumeId } })
    expect((await showServer(t, demo, serverId))['os-extended-volumes:volumes_attached']).toEqual([{ id: rootVolumeId }, { id: volumeId }])

    expect((await list()).map((attachment) => attachment.device)).toEqual(['/dev/vda', '/dev/vdb'])
    expect((await list('?limit=1')).map((attachment) => attachment.device)).toEqual(['/dev/vda'])
    expect((await list('?offset=1')).map((attachment) => attachment.device)).toEqual(['/dev/vdb'])
    expect(await list('?offset=5')).toEqual([])
    expect((await compute(t, demo, { path: path('?offset=-1') })).statusCode).toBe(400)

    const again = await compute(t, demo, { method: 'POST', path: path(), payload: { volumeAttachment: { volumeId } } })
    expect(again.statusCode).toBe(409)

    const detached = await compute(t, demo, { method: 'DELETE', path: path(`/${volumeId}`) })
    expect(detached.statusCode).toBe(202)
    expect(detached.body).toBe('')
    expect((await t.gureum.services.volumes.get(owner, volumeId)).status).toBe('detaching')
    await t.drain()
    expect((await t.gureum.services.volumes.get(owner, volumeId)).status).toBe('available')
    expect((await list()).map((attachment) => attachment.volumeId)).toEqual([rootVolumeId])
    expect((await compute(t, demo, { path: path(`/${volumeId}`) })).statusCode).toBe(404)
    expect((await compute(t, demo, { method: 'DELETE', path: path(`/${volumeId}`) })).statusCode).toBe(404)
  })

  it('accepts seed 003 attach path with the volume id in the URL, which must agree with the body', async () => {
    const volumeId = await newVolume('data-2')
    const mismatch = await compute(t, demo, {
      method: 'POST', path: path(`/${crypto.randomUUID()}`), payload: { volumeAttachment: { volumeId } },
    })
    expect(mismatch.statusCode).toBe(400)
    const response = await compute(t, demo, { method: 'POST', path: path(`/${volumeId}`), payload: { volumeAttachment: { volumeId } } })
    expect(response.statusCode, response.body).toBe(200)
    expect((response.json() as { volumeAttachment: Attachment }).volumeAttachment).toMatchObject({ id: volumeId, volumeId, serverId })
    await t.drain()
    await compute(t, demo, { method: 'DELETE', path: path(`/${volumeId}`) })
    await t.drain()
  })

  it('honours a requested device when it is free', async () => {
    const volumeId = await newVolume('data-3')
    const response = await compute(t, demo, { method: 'POST', path: path(), payload: { volumeAttachment: { volumeId, device: '/dev/vdf' } } })
    expect(response.statusCode, response.body).toBe(200)
    expect((response.json() as { volumeAttachment: Attachment }).volumeAttachment.device).toBe('/dev/vdf')
    await t.drain()
    await compute(t, demo, { method: 'DELETE', path: path(`/${volumeId}`) })
    await t.drain()
  })

  it('refuses to detach the root volume (400), bad bodies (400), unknown and foreign volumes (404)', async () => {
    const root = await compute(t, demo, { method: 'DELETE', path: path(`/${rootVolumeId}`) })
    expect(root.statusCode).toBe(400)
    for (const payload of [{}, { volumeAttachment: {} }, { volumeAttachment: { volumeId: 7 } }, { volumeAttachment: { volumeId: 'x', other: 1 } }]) {
      const response = await compute(t, demo, { method: 'POST', path: path(), payload })
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
    }
    expect((await compute(t, demo, { method: 'POST', path: path(), rawBody: '{"volumeAttachment":' })).statusCode).toBe(400)
    const unknown = await compute(t, demo, { method: 'POST', path: path(), payload: { volumeAttachment: { volumeId: crypto.randomUUID() } } })
    expect(unknown.statusCode).toBe(404)
    expect(faultOf(unknown).name).toBe('itemNotFound')

    const other = await newTenant(t)
    const foreignVolume = (await t.gureum.services.volumes.create(await ownerOf(t, other), { sizeGb: 1, name: 'theirs' })).id
    const foreign = await compute(t, demo, { method: 'POST', path: path(), payload: { volumeAttachment: { volumeId: foreignVolume } } })
    expect(foreign.statusCode).toBe(404)
    // Another tenant cannot see, attach to or detach from this server.
    const mine = await newVolume('mine')
    for (const request of [
      { path: path() },
      { path: path(`/${rootVolumeId}`) },
      { method: 'POST' as const, path: path(), payload: { volumeAttachment: { volumeId: foreignVolume } } },
      { method: 'DELETE' as const, path: path(`/${rootVolumeId}`) },
    ]) {
      const response = await compute(t, other, request)
      expect(response.statusCode, JSON.stringify(request)).toBe(404)
    }
    expect((await t.gureum.services.volumes.get(owner, mine)).status).toBe('available')
    expect((await list()).map((attachment) => attachment.volumeId)).toEqual([rootVolumeId])
  })

  it('refuses to attach to a server that is still building (409)', async () => {
    const building = await createServer(t, demo, { name: 'not-yet' })
    const volumeId = await newVolume('early')
    const response = await compute(t, demo, {
      method: 'POST', path: `/servers/${building}/os-volume_attachments`, payload: { volumeAttachment: { volumeId } },
    })
    expect(response.statusCode).toBe(409)
    expect(faultOf(response).name).toBe('conflictingRequest')
    expect((await t.gureum.services.volumes.get(owner, volumeId)).status).toBe('available')
    await t.drain()
    await deleteServer(t, demo, building)
  })
})
