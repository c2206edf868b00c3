/**
 * The real openstackclient (openstacksdk underneath) against a started `gureum serve`, through the
 * compute listener's server half: create with the options NHN's strict rules need (network, key,
 * boot-from-volume) and `--wait`, list and show, stop/start, reboot, resize with confirm, volume attach
 * and detach, metadata properties, ports, security groups (through Nova's os-security-groups lookup),
 * events, console log, and delete. Skipped where `openstack` is not installed, except
 * in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGureumProcess, type GureumProcess } from '../support/gureum-process.ts'
import { openstackCli, openstackMissing, reportMissingOpenstack, type OpenstackCli } from '../support/openstack-cli.ts'
import { waitFor } from '../support/wait-for.ts'

reportMissingOpenstack('openstackclient compute server tests')

describe.skipIf(openstackMissing)('openstackclient against gureum serve: servers', () => {
  let gureum: GureumProcess
  let cli: OpenstackCli

  beforeAll(async () => {
    gureum = await startGureumProcess()
    cli = openstackCli(gureum)
    expect((await cli.run('keypair', 'create', 'client-key')).code).toBe(0)
  }, 180_000)

  afterAll(async () => {
    await gureum?.stop()
  })

  const serverStatus = (server: string, status: string) => waitFor(async () => {
    const shown = await cli.json('server', 'show', server)
    return shown.status === status ? shown : undefined
  }, { what: `${server} to be ${status}`, timeoutMs: 60_000, intervalMs: 250 })
  const volumeStatus = (volume: string, status: string) => waitFor(
    async () => (await cli.json('volume', 'show', volume)).status === status,
    { what: `volume ${volume} to be ${status}`, timeoutMs: 60_000, intervalMs: 250 })

  it('creates a server booted from a volume with --wait, lists and shows it with its addresses', async () => {
    const { defaults } = gureum.credentials
    const created = await cli.json('server', 'create', '--flavor', 'm2.c1m2', '--image', defaults.image_id,
      '--boot-from-volume', '20', '--network', defaults.network_id, '--key-name', 'client-key',
      '--property', 'role=web', '--wait', 'client-web')
    expect(created).toMatchObject({ name: 'client-web', status: 'ACTIVE', key_name: 'client-key' })
    const listed = await cli.json('server', 'list')
    expect(listed).toEqual([expect.objectContaining({ Name: 'client-web', Status: 'ACTIVE', Flavor: 'm2.c1m2' })])
    expect(JSON.stringify(listed[0].Networks)).toContain('192.168.')
    const shown = await cli.json('server', 'show', 'client-web')
    expect(shown).toMatchObject({ id: created.id, 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-AZ:availability_zone': 'kr-pub-a' })
    expect(JSON.stringify(shown.properties)).toContain('web')
    expect(JSON.stringify(shown.volumes_attached)).toMatch(/[0-9a-f-]{36}/)
  }, 180_000)

  it('stops, starts, reboots and resizes with confirmation', async () => {
    expect((await cli.run('server', 'stop', 'client-web')).code).toBe(0)
    await serverStatus('client-web', 'SHUTOFF')
    expect((await cli.run('server', 'start', 'client-web')).code).toBe(0)
    await serverStatus('client-web', 'ACTIVE')
    const rebooted = await cli.run('server', 'reboot', '--hard', '--wait', 'client-web')
    expect(rebooted.code, rebooted.stderr).toBe(0)
    const resized = await cli.run('server', 'resize', '--flavor', 'm2.c2m4', '--wait', 'client-web')
    expect(resized.code, resized.stderr).toBe(0)
    await serverStatus('client-web', 'VERIFY_RESIZE')
    const confirmed = await cli.run('server', 'resize', 'confirm', 'client-web')
    expect(confirmed.code, confirmed.stderr).toBe(0)
    const shown = await serverStatus('client-web', 'ACTIVE')
    expect(JSON.stringify(shown.flavor)).toContain('m2.c2m4')
    const stopAgain = await cli.run('server', 'start', 'client-web')
    expect(stopAgain.code).not.toBe(0)
    expect(stopAgain.stderr).toMatch(/409|Cannot/)
  }, 180_000)

  it('sets and unsets properties, adds a port, attaches and detaches a volume', async () => {
    expect((await cli.run('server', 'set', '--property', 'tier=front', 'client-web')).code).toBe(0)
    expect((await cli.run('server', 'unset', '--property', 'role', 'client-web')).code).toBe(0)
    const properties = JSON.stringify((await cli.json('server', 'show', 'client-web')).properties)
    expect(properties).toContain('tier')
    expect(properties).not.toContain('"role"')

    const volume = await cli.json('volume', 'create', '--size', '1', 'client-data')
    await volumeStatus(volume.id, 'available')
    const attached = await cli.run('server', 'add', 'volume', 'client-web', volume.id)
    expect(attached.code, attached.stderr).toBe(0)
    await volumeStatus(volume.id, 'in-use')
    const detached = await cli.run('server', 'remove', 'volume', 'client-web', volume.id)
    expect(detached.code, detached.stderr).toBe(0)
    await volumeStatus(volume.id, 'available')

    const network = await cli.run('server', 'add', 'network', 'client-web', gureum.credentials.defaults.network_id)
    expect(network.code, network.stderr).toBe(0)
    const ports = await cli.json('port', 'list', '--server', 'client-web')
    expect(ports).toHaveLength(2)
  }, 180_000)

  it('adds and removes a security group, lists the server\'s events and reads its console log', async () => {
    const group = await cli.json('security', 'group', 'create', 'client-extra')
    const added = await cli.run('server', 'add', 'security', 'group', 'client-web', 'client-extra')
    expect(added.code, added.stderr).toBe(0)
    expect(JSON.stringify((await cli.json('server', 'show', 'client-web')).security_groups)).toContain('client-extra')
    const removed = await cli.run('server', 'remove', 'security', 'group', 'client-web', group.id)
    expect(removed.code, removed.stderr).toBe(0)
    const events = await cli.json('server', 'event', 'list', 'client-web')
    expect(events.map((event: { Action: string }) => event.Action)).toEqual(expect.arrayContaining(['create', 'stop', 'start', 'reboot', 'resize', 'confirmResize']))
    const log = await cli.run('console', 'log', 'show', '--lines', '2', 'client-web')
    expect(log.code, log.stderr).toBe(0)
    expect(log.stdout.trim().length).toBeGreaterThan(0)
  }, 180_000)

  it('deletes the server with --wait', async () => {
    const deleted = await cli.run('server', 'delete', '--wait', 'client-web')
    expect(deleted.code, deleted.stderr).toBe(0)
    expect(await cli.json('server', 'list')).toEqual([])
  }, 180_000)
})
