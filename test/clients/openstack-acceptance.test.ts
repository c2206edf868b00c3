/**
 * The acceptance run of the Nova-compatible API with real clients: Debian's openstackclient, novaclient
 * and openstacksdk, logged in with the OS_* values of the printed credentials, against a started
 * `gureum serve` whose simulated operations take real (sped-up) time, so that every client sees the
 * transitions and has to poll. One ordered sequence, as a user would type it: discover (flavors, zones,
 * key, images, networks), create a local-disk (U2) server and a volume-booted one (the demo project is
 * in strict NHN mode, which refuses any other flavor without a boot volume), drive their lifecycle,
 * attach a volume, a floating IP and a security group, snapshot, delete. Then `nova boot --poll` and an
 * openstacksdk script. Skipped where a client is missing, except in CI.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGureumProcess, type GureumProcess } from '../support/gureum-process.ts'
import {
  missingClients, openstackCli, printedOpenstackExports, reportMissingClients, runClient, sdkPython, type OpenstackCli,
} from '../support/openstack-cli.ts'
import { waitFor } from '../support/wait-for.ts'

const missing = missingClients()
reportMissingClients('the openstack client acceptance test', missing)

const KEY = 'acceptance-key'
const LOCAL_FLAVOR = 'u2.c1m1'
const LOCAL_FLAVOR_LARGER = 'u2.c2m4'
const VOLUME_FLAVOR = 'm2.c1m2'
const VOLUME_FLAVOR_LARGER = 'm2.c2m4'
const IMAGE = 'Ubuntu Server 22.04 LTS (2024.11.19)'
const EXTERNAL_NETWORK = 'Public Network'
const LOCAL_SERVER = 'acc-local'
const VOLUME_SERVER = 'acc-volume'
/** A bound against hangs, never a measurement: simulated operations take well under a second here. */
const SETTLE_MS = 60_000
const STEP_MS = 120_000
/** Nova power states as `server show -f json` prints them (the numbers, not the table's words). */
const RUNNING = 1
const SHUTDOWN = 4

/** Every name of `openstack … list -f json` rows. */
const names = (rows: ReadonlyArray<{ Name: string }>) => rows.map((row) => row.Name)

describe.skipIf(missing.length > 0)('openstack clients against gureum serve: acceptance sequence', () => {
  let gureum: GureumProcess
  /** The OS_* exports `gureum serve` printed, which every client here runs with. */
  let printed: Record<string, string>
  let cli: OpenstackCli
  let networkName: string
  /** The root volume `--boot-from-volume` made, kept on delete (Nova's default delete_on_termination false). */
  let rootVolume: string
  let floatingIpId: string

  beforeAll(async () => {
    gureum = await startGureumProcess({ progression: 'timed', args: ['--progression-speed', '20'] })
    // The banner comes once every listener is up (the health check answers earlier).
    printed = await waitFor(() => printedOpenstackExports(gureum.output()) ?? undefined,
      { what: 'the credentials banner', timeoutMs: SETTLE_MS, describe: () => gureum.output().slice(-2000) })
    cli = openstackCli(gureum, printed)
  }, STEP_MS)

  afterAll(async () => {
    await gureum?.stop()
  })

  /** Polls `server show` until the server has the status and no task in flight. */
  const settled = (server: string, status: string) => {
    let last: any
    return waitFor(async () => {
      last = await cli.json('server', 'show', server)
      return last.status === status && !last['OS-EXT-STS:task_state'] ? last : undefined
    }, {
      what: `${server} to settle in ${status}`, timeoutMs: SETTLE_MS, intervalMs: 200,
      describe: () => JSON.stringify({ status: last?.status, task_state: last?.['OS-EXT-STS:task_state'] }),
    })
  }
  const volumeStatus = (volume: string, status: string) => {
    let last: any
    return waitFor(async () => {
      last = await cli.json('volume', 'show', volume)
      return last.status === status ? last : undefined
    }, { what: `volume ${volume} to be ${status}`, timeoutMs: SETTLE_MS, intervalMs: 200, describe: () => String(last?.status) })
  }
  const succeeds = async (...args: string[]) => {
    const result = await cli.run(...args)
    expect(result.code, `openstack ${args.join(' ')}\n${result.stderr}`).toBe(0)
    return result
  }
  /** Every IP address of a server, from `server show -f json`'s `addresses` ({ network: [ip, …] }). */
  const addressesOf = (shown: { addresses: unknown }) => JSON.stringify(shown.addresses).match(/\d+\.\d+\.\d+\.\d+/g) ?? []

  it('the printed credentials are complete OS_* exports for the demo project', () => {
    expect(printed).toEqual({
      OS_AUTH_URL: `${gureum.urls.identity}/v3`, OS_IDENTITY_API_VERSION: '3',
      OS_USERNAME: gureum.credentials.user.name, OS_PASSWORD: gureum.credentials.user.password,
      OS_PROJECT_NAME: gureum.credentials.project.name, OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_REGION_NAME: gureum.credentials.region,
    })
  })

  it('flavor list shows the NHN flavors, local-disk U2 ones with their disk', async () => {
    const flavors = await cli.json('flavor', 'list')
    expect(names(flavors)).toEqual(expect.arrayContaining([LOCAL_FLAVOR, LOCAL_FLAVOR_LARGER, VOLUME_FLAVOR, VOLUME_FLAVOR_LARGER]))
    expect(flavors.find((flavor: { Name: string }) => flavor.Name === LOCAL_FLAVOR)).toMatchObject({ RAM: 1024, Disk: 20, VCPUs: 1 })
    expect(flavors.find((flavor: { Name: string }) => flavor.Name === VOLUME_FLAVOR)).toMatchObject({ RAM: 2048, Disk: 0, VCPUs: 1 })
  }, STEP_MS)

  it('availability zone list shows the compute and volume zones as available', async () => {
    const zones = await cli.json('availability', 'zone', 'list')
    const available = (name: string) => zones.filter((zone: Record<string, string>) => zone['Zone Name'] === name && zone['Zone Status'] === 'available')
    // One row per service (compute, volume) for each zone.
    expect(available('kr-pub-a')).toHaveLength(2)
    expect(available('kr-pub-b')).toHaveLength(2)
  }, STEP_MS)

  it('keypair create generates a key pair and saves its private key', async () => {
    const privateKeyFile = `${gureum.dataDir}/${KEY}.pem`
    const created = await cli.json('keypair', 'create', '--private-key', privateKeyFile, KEY)
    expect(created).toMatchObject({ name: KEY })
    expect(created.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
    expect(readFileSync(privateKeyFile, 'utf8')).toMatch(/^-----BEGIN [A-Z ]*PRIVATE KEY-----/)
  }, STEP_MS)

  it('image list shows the public images as active', async () => {
    const images = await cli.json('image', 'list')
    expect(images).toEqual(expect.arrayContaining([expect.objectContaining({ Name: IMAGE, Status: 'active' })]))
  }, STEP_MS)

  it('network list shows the project network with its subnet and the external network', async () => {
    const networks = await cli.json('network', 'list')
    const own = networks.find((network: { ID: string }) => network.ID === gureum.credentials.defaults.network_id)
    expect(own, JSON.stringify(networks)).toBeDefined()
    expect(JSON.stringify(own.Subnets)).toContain(gureum.credentials.defaults.subnet_id)
    networkName = own.Name
    expect(names(networks)).toContain(EXTERNAL_NETWORK)
  }, STEP_MS)

  it('refuses a volume-backed flavor without a boot volume with a 400 naming block_device_mapping_v2 (strict NHN)', async () => {
    const refused = await cli.run('server', 'create', '--flavor', VOLUME_FLAVOR, '--image', IMAGE,
      '--network', networkName, '--key-name', KEY, 'acc-refused')
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('HTTP 400')
    expect(refused.stderr).toContain('block_device_mapping_v2')
    // Nothing was created: `server list` below finds exactly the two servers built next.
  }, STEP_MS)

  it('server create --wait builds a local-disk (U2) server from the image', async () => {
    const created = await cli.json('server', 'create', '--flavor', LOCAL_FLAVOR, '--image', IMAGE,
      '--network', networkName, '--key-name', KEY, '--wait', LOCAL_SERVER)
    expect(created).toMatchObject({ name: LOCAL_SERVER, status: 'ACTIVE', key_name: KEY, 'OS-EXT-STS:power_state': RUNNING })
    expect(addressesOf(created)).toEqual([expect.stringMatching(/^192\.168\./)])
    expect(JSON.stringify(created.addresses)).toContain(networkName)
  }, STEP_MS)

  it('server create --boot-from-volume --wait builds a server on a new root volume', async () => {
    const created = await cli.json('server', 'create', '--flavor', VOLUME_FLAVOR, '--image', IMAGE,
      '--boot-from-volume', '20', '--network', networkName, '--key-name', KEY, '--wait', VOLUME_SERVER)
    expect(created).toMatchObject({ name: VOLUME_SERVER, status: 'ACTIVE', key_name: KEY })
    expect(created.volumes_attached).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/) }])
    rootVolume = created.volumes_attached[0].id
    expect(await cli.json('volume', 'show', rootVolume)).toMatchObject({ status: 'in-use', size: 20, bootable: 'true' })
  }, STEP_MS)

  it('server list shows both servers active with their addresses and flavors', async () => {
    const listed = await cli.json('server', 'list')
    expect(listed).toHaveLength(2)
    expect(listed).toEqual(expect.arrayContaining([
      expect.objectContaining({ Name: LOCAL_SERVER, Status: 'ACTIVE', Flavor: LOCAL_FLAVOR, Image: IMAGE }),
      expect.objectContaining({ Name: VOLUME_SERVER, Status: 'ACTIVE', Flavor: VOLUME_FLAVOR }),
    ]))
    for (const row of listed) expect(JSON.stringify(row.Networks)).toMatch(/192\.168\.\d+\.\d+/)
  }, STEP_MS)

  it('server show gives the details: states, zone, image, flavor, key, security group', async () => {
    const shown = await cli.json('server', 'show', LOCAL_SERVER)
    expect(shown).toMatchObject({
      name: LOCAL_SERVER, status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': RUNNING,
      'OS-EXT-AZ:availability_zone': 'kr-pub-a', key_name: KEY,
    })
    expect(JSON.stringify(shown.image)).toContain(gureum.credentials.defaults.image_id)
    expect(JSON.stringify(shown.flavor)).toContain(LOCAL_FLAVOR)
    expect(JSON.stringify(shown.security_groups)).toContain('default')
  }, STEP_MS)

  it('server stop, start and reboot each settle in the expected status', async () => {
    await succeeds('server', 'stop', LOCAL_SERVER)
    expect(await settled(LOCAL_SERVER, 'SHUTOFF')).toMatchObject({ 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:power_state': SHUTDOWN })
    await succeeds('server', 'start', LOCAL_SERVER)
    expect(await settled(LOCAL_SERVER, 'ACTIVE')).toMatchObject({ 'OS-EXT-STS:power_state': RUNNING })
    await succeeds('server', 'reboot', LOCAL_SERVER)
    expect(await settled(LOCAL_SERVER, 'ACTIVE')).toMatchObject({ 'OS-EXT-STS:power_state': RUNNING })
  }, STEP_MS)

  it('server resize --wait reaches VERIFY_RESIZE on the new flavor, resize confirm makes it ACTIVE', async () => {
    await succeeds('server', 'resize', '--flavor', VOLUME_FLAVOR_LARGER, '--wait', VOLUME_SERVER)
    expect(await settled(VOLUME_SERVER, 'VERIFY_RESIZE')).toMatchObject({ 'OS-EXT-STS:vm_state': 'resized' })
    await succeeds('server', 'resize', 'confirm', VOLUME_SERVER)
    const confirmed = await settled(VOLUME_SERVER, 'ACTIVE')
    expect(JSON.stringify(confirmed.flavor)).toContain(VOLUME_FLAVOR_LARGER)
    expect(addressesOf(confirmed)).toEqual([expect.stringMatching(/^192\.168\./)])
  }, STEP_MS)

  it('server image create --wait makes an active image that image show finds', async () => {
    const image = await cli.json('server', 'image', 'create', '--name', 'acc-snapshot', '--wait', LOCAL_SERVER)
    expect(image).toMatchObject({ name: 'acc-snapshot' })
    const shown = await cli.json('image', 'show', 'acc-snapshot')
    expect(shown).toMatchObject({ id: image.id, name: 'acc-snapshot', status: 'active' })
    expect(await settled(LOCAL_SERVER, 'ACTIVE')).toMatchObject({ name: LOCAL_SERVER })
  }, STEP_MS)

  it('server image create of a volume-booted server is refused with a 400 (strict NHN: U2 servers only)', async () => {
    const refused = await cli.run('server', 'image', 'create', '--name', 'acc-refused-snapshot', VOLUME_SERVER)
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toMatch(/\b400\b/)
    expect(refused.stderr).toContain('U2')
  }, STEP_MS)

  it('volume create, server add volume and server remove volume: seen from the server and the volume', async () => {
    const volume = await cli.json('volume', 'create', '--size', '1', 'acc-data')
    // openstackclient 6 has no `volume create --wait`: poll as its --wait would.
    expect(await volumeStatus(volume.id, 'available')).toMatchObject({ size: 1, name: 'acc-data' })

    await succeeds('server', 'add', 'volume', LOCAL_SERVER, volume.id)
    const inUse = await volumeStatus(volume.id, 'in-use')
    const server = await cli.json('server', 'show', LOCAL_SERVER)
    expect(JSON.stringify(inUse.attachments)).toContain(server.id)
    expect(JSON.stringify(server.volumes_attached)).toContain(volume.id)

    await succeeds('server', 'remove', 'volume', LOCAL_SERVER, volume.id)
    expect((await volumeStatus(volume.id, 'available')).attachments).toEqual([])
    expect(JSON.stringify((await cli.json('server', 'show', LOCAL_SERVER)).volumes_attached)).not.toContain(volume.id)
  }, STEP_MS)

  it('floating ip create and server add floating ip: the address appears among the server\'s addresses', async () => {
    const floatingIp = await cli.json('floating', 'ip', 'create', EXTERNAL_NETWORK)
    expect(floatingIp.floating_ip_address).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    await succeeds('server', 'add', 'floating', 'ip', VOLUME_SERVER, floatingIp.floating_ip_address)
    const server = await cli.json('server', 'show', VOLUME_SERVER)
    expect(addressesOf(server)).toEqual(expect.arrayContaining([floatingIp.floating_ip_address, expect.stringMatching(/^192\.168\./)]))
    floatingIpId = floatingIp.id
    const associated = await cli.json('floating', 'ip', 'show', floatingIp.id)
    expect(associated.port_id).toMatch(/[0-9a-f-]{36}/)
    expect(addressesOf(server)).toContain(associated.fixed_ip_address)
  }, STEP_MS)

  it('security group create, rule create and server add security group', async () => {
    const group = await cli.json('security', 'group', 'create', 'acc-web')
    const rule = await cli.json('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '443',
      '--remote-ip', '0.0.0.0/0', '--ingress', 'acc-web')
    expect(rule).toMatchObject({ security_group_id: group.id, protocol: 'tcp', port_range_min: 443, port_range_max: 443, direction: 'ingress' })
    await succeeds('server', 'add', 'security', 'group', VOLUME_SERVER, 'acc-web')
    const groups = JSON.stringify((await cli.json('server', 'show', VOLUME_SERVER)).security_groups)
    expect(groups).toContain('acc-web')
    expect(groups).toContain('default')
  }, STEP_MS)

  it('server delete --wait removes both servers, frees the floating IP and keeps the root volume', async () => {
    await succeeds('server', 'delete', '--wait', LOCAL_SERVER, VOLUME_SERVER)
    expect(await cli.json('server', 'list')).toEqual([])
    expect(await cli.json('floating', 'ip', 'show', floatingIpId)).toMatchObject({ port_id: null, fixed_ip_address: null })
    expect(await cli.json('volume', 'show', rootVolume)).toMatchObject({ status: 'available', attachments: [] })
  }, STEP_MS)

  it('nova boot --poll builds a server with novaclient, nova show and nova delete see it through', async () => {
    const booted = await runClient(gureum, 'nova', ['boot', '--flavor', LOCAL_FLAVOR, '--image', IMAGE,
      '--nic', `net-id=${gureum.credentials.defaults.network_id}`, '--key-name', KEY, '--poll', 'acc-nova'], { osVariables: printed })
    expect(booted.code, booted.stderr).toBe(0)
    expect(booted.stdout).toMatch(/Finished/)
    const shown = await runClient(gureum, 'nova', ['show', 'acc-nova'], { osVariables: printed })
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toMatch(/\|\s+status\s+\|\s+ACTIVE\s+\|/)
    expect(shown.stdout).toMatch(/network\s+\|\s+192\.168\.\d+\.\d+/)
    const deleted = await runClient(gureum, 'nova', ['delete', 'acc-nova'], { osVariables: printed })
    expect(deleted.code, deleted.stderr).toBe(0)
    await waitFor(async () => !names(await cli.json('server', 'list')).includes('acc-nova'),
      { what: 'acc-nova to be deleted', timeoutMs: SETTLE_MS, intervalMs: 200 })
  }, STEP_MS)

  it('an openstacksdk script creates a volume-booted server, waits for it, deletes it and waits for the delete', async () => {
    const script = `
import json, sys
import openstack
flavor_name, image_name, network_id, key_name = sys.argv[1:]
conn = openstack.connect()
flavor = conn.compute.find_flavor(flavor_name, ignore_missing=False)
image = conn.image.find_image(image_name, ignore_missing=False)
server = conn.compute.create_server(
    name='acc-sdk', flavor_id=flavor.id, networks=[{'uuid': network_id}], key_name=key_name,
    block_device_mapping=[{'boot_index': 0, 'uuid': image.id, 'source_type': 'image',
                           'destination_type': 'volume', 'volume_size': 20, 'delete_on_termination': True}])
server = conn.compute.wait_for_server(server, status='ACTIVE', interval=1, wait=120)
volumes = [conn.block_storage.get_volume(attached['id']) for attached in server.attached_volumes]
active = {'name': server.name, 'status': server.status, 'addresses': server.addresses,
          'volumes': [{'id': volume.id, 'status': volume.status, 'bootable': volume.is_bootable} for volume in volumes]}
conn.compute.delete_server(server)
conn.compute.wait_for_delete(server, interval=1, wait=120)
# delete_on_termination: the root volume goes with the server.
for volume in volumes:
    conn.block_storage.wait_for_delete(volume, interval=1, wait=60)
print(json.dumps({'id': server.id, 'active': active,
                  'after_delete': conn.compute.find_server(server.id)}))
`
    const result = await runClient(gureum, sdkPython!, ['-', VOLUME_FLAVOR, IMAGE, gureum.credentials.defaults.network_id, KEY], { input: script, osVariables: printed })
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!)
    expect(report.active).toMatchObject({ name: 'acc-sdk', status: 'ACTIVE' })
    expect(JSON.stringify(report.active.addresses)).toMatch(/192\.168\.\d+\.\d+/)
    expect(report.active.volumes).toEqual([{ id: expect.any(String), status: 'in-use', bootable: true }])
    expect(report.after_delete).toBeNull()
  }, STEP_MS)
})
