/**
 * The real openstackclient (openstacksdk underneath) against a started `gureum serve`, through the
 * compute listener's catalog half: version discovery through NHN's `/v2/{tenantId}` catalog URL (the
 * options that need a microversion must be allowed), flavors, availability zones, keypairs with 2.2
 * types and 2.35 pages, server groups and absolute limits. Skipped where `openstack` is not installed,
 * except in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGureumProcess, type GureumProcess } from '../support/gureum-process.ts'
import { openstackCli, openstackMissing, reportMissingOpenstack, type OpenstackCli } from '../support/openstack-cli.ts'

reportMissingOpenstack('openstackclient compute catalog tests')

describe.skipIf(openstackMissing)('openstackclient against gureum serve: compute catalog', () => {
  let gureum: GureumProcess
  let cli: OpenstackCli

  beforeAll(async () => {
    gureum = await startGureumProcess()
    cli = openstackCli(gureum)
  }, 180_000)

  afterAll(async () => {
    await gureum?.stop()
  })

  it('lists NHN flavors and shows one by name, with its extra specs', async () => {
    const flavors = await cli.json('flavor', 'list')
    const names = flavors.map((flavor: { Name: string }) => flavor.Name)
    expect(names).toEqual(expect.arrayContaining(['m2.c1m2', 'x1.c32m256', 'u2.c1m1']))
    expect(names).not.toContain('s1v1m2')
    const flavor = await cli.json('flavor', 'show', 'm2.c1m2')
    expect(flavor).toMatchObject({ id: gureum.credentials.defaults.flavor_id, ram: 2048, vcpus: 1, disk: 0 })
    expect(flavor.properties).toEqual({ flavor_type: 'general' })
  }, 180_000)

  it('lists the compute availability zones', async () => {
    const zones = await cli.json('availability', 'zone', 'list', '--compute')
    expect(zones).toEqual([
      { 'Zone Name': 'kr-pub-a', 'Zone Status': 'available' },
      { 'Zone Name': 'kr-pub-b', 'Zone Status': 'available' },
    ])
  }, 180_000)

  it('discovers microversions through /v2: keypairs with --type (2.2) and --limit pages (2.35)', async () => {
    const created = await cli.run('--os-compute-api-version', '2.2', 'keypair', 'create', '--type', 'ssh', 'client-key-1')
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toMatch(/-----BEGIN (RSA )?PRIVATE KEY-----/)
    expect((await cli.run('keypair', 'create', 'client-key-2')).code).toBe(0)
    const paged = await cli.json('--os-compute-api-version', '2.35', 'keypair', 'list', '--limit', '1')
    expect(paged.map((keypair: { Name: string }) => keypair.Name)).toEqual(['client-key-1', 'client-key-2'])
    const shown = await cli.json('--os-compute-api-version', '2.2', 'keypair', 'show', 'client-key-1')
    expect(shown).toMatchObject({ name: 'client-key-1', type: 'ssh', user_id: expect.any(String) })
    expect(shown.fingerprint).toMatch(/^SHA256:/)
    expect((await cli.run('keypair', 'delete', 'client-key-1', 'client-key-2')).code).toBe(0)
    expect(await cli.json('keypair', 'list')).toEqual([])
  }, 180_000)

  it('creates, lists, shows and deletes a server group', async () => {
    const created = await cli.json('server', 'group', 'create', '--policy', 'anti-affinity', 'client-group')
    expect(created).toMatchObject({ name: 'client-group', policies: ['anti-affinity'], members: [] })
    const listed = await cli.json('server', 'group', 'list')
    expect(listed).toEqual([expect.objectContaining({ ID: created.id, Name: 'client-group' })])
    expect((await cli.json('server', 'group', 'show', 'client-group')).id).toBe(created.id)
    expect((await cli.run('server', 'group', 'delete', 'client-group')).code).toBe(0)
    expect(await cli.json('server', 'group', 'list')).toEqual([])
  }, 180_000)

  it('shows the absolute limits', async () => {
    const limits = await cli.json('limits', 'show', '--absolute')
    const byName = Object.fromEntries(limits.map((limit: { Name: string; Value: number }) => [limit.Name, limit.Value]))
    expect(byName).toMatchObject({
      maxTotalInstances: 10, maxTotalCores: 20, maxTotalRAMSize: 51200, maxTotalKeypairs: 100, totalInstancesUsed: 0,
    })
  }, 180_000)
})
