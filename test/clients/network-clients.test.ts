/**
 * The real openstackclient (openstacksdk underneath) against a started `gureum serve`, through the
 * network listener: networks and subnets, ports, floating IPs from "Public Network", security groups
 * and rules. Skipped with a printed reason where `openstack` is not installed, except in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGureumProcess, type GureumProcess } from '../support/gureum-process.ts'
import { openstackCli, openstackMissing, reportMissingOpenstack, type OpenstackCli } from '../support/openstack-cli.ts'

reportMissingOpenstack('openstackclient network tests')

describe.skipIf(openstackMissing)('openstackclient against gureum serve: networking', () => {
  let gureum: GureumProcess
  let cli: OpenstackCli

  beforeAll(async () => {
    gureum = await startGureumProcess()
    cli = openstackCli(gureum)
  }, 180_000)

  afterAll(async () => {
    await gureum?.stop()
  })

  it('lists and shows networks and subnets', async () => {
    const networks = await cli.json('network', 'list')
    const names = networks.map((network: { Name: string }) => network.Name)
    expect(names).toEqual(expect.arrayContaining(['Default Network', 'Public Network']))
    const shown = await cli.json('network', 'show', 'Default Network')
    expect(shown).toMatchObject({
      id: gureum.credentials.defaults.network_id, name: 'Default Network', status: 'ACTIVE', mtu: 1450,
      project_id: gureum.credentials.project.id,
    })
    expect(shown.subnets).toEqual([gureum.credentials.defaults.subnet_id])
    const external = await cli.json('network', 'list', '--external')
    expect(external.map((network: { Name: string }) => network.Name)).toEqual(['Public Network'])
    const subnets = await cli.json('subnet', 'list')
    expect(subnets).toContainEqual(expect.objectContaining({
      ID: gureum.credentials.defaults.subnet_id, Network: gureum.credentials.defaults.network_id, Subnet: '192.168.0.0/16',
    }))
  }, 180_000)

  it('creates a network with a subnet, shows them, and deletes both', async () => {
    const network = await cli.json('network', 'create', '--description', 'made by openstack', 'client-net')
    expect(network).toMatchObject({ name: 'client-net', description: 'made by openstack', status: 'ACTIVE', admin_state_up: true })
    const subnet = await cli.json('subnet', 'create', '--network', 'client-net', '--subnet-range', '10.77.0.0/24',
      '--dns-nameserver', '8.8.8.8', 'client-subnet')
    expect(subnet).toMatchObject({ name: 'client-subnet', cidr: '10.77.0.0/24', gateway_ip: '10.77.0.1', network_id: network.id })
    expect((await cli.json('network', 'show', 'client-net')).subnets).toEqual([subnet.id])
    expect((await cli.run('subnet', 'delete', 'client-subnet')).code).toBe(0)
    const deleted = await cli.run('network', 'delete', 'client-net')
    expect(deleted.code, deleted.stderr).toBe(0)
    expect((await cli.json('network', 'list')).map((entry: { Name: string }) => entry.Name)).not.toContain('client-net')
  }, 180_000)

  it('creates, lists and deletes a port', async () => {
    const port = await cli.json('port', 'create', '--network', 'Default Network', 'client-port')
    expect(port).toMatchObject({ name: 'client-port', status: 'DOWN', network_id: gureum.credentials.defaults.network_id })
    const ports = await cli.json('port', 'list')
    expect(ports.map((entry: { ID: string }) => entry.ID)).toContain(port.id)
    const listed = ports.find((entry: { ID: string }) => entry.ID === port.id)
    expect(JSON.stringify(listed['Fixed IP Addresses'])).toContain('192.168.')
    const deleted = await cli.run('port', 'delete', port.id)
    expect(deleted.code, deleted.stderr).toBe(0)
    expect((await cli.json('port', 'list')).map((entry: { ID: string }) => entry.ID)).not.toContain(port.id)
  }, 180_000)

  it('creates a floating IP from "Public Network", associates it with a port, lists and deletes it', async () => {
    const floatingIp = await cli.json('floating', 'ip', 'create', 'Public Network')
    expect(floatingIp.floating_ip_address).toMatch(/^203\.0\.113\.\d+$/)
    expect(floatingIp).toMatchObject({ port_id: null, status: 'DOWN' })
    const port = await cli.json('port', 'create', '--network', 'Default Network', 'fip-port')
    const set = await cli.run('floating', 'ip', 'set', '--port', port.id, floatingIp.id)
    expect(set.code, set.stderr).toBe(0)
    const list = await cli.json('floating', 'ip', 'list')
    expect(list).toContainEqual(expect.objectContaining({
      ID: floatingIp.id, 'Floating IP Address': floatingIp.floating_ip_address, Port: port.id,
      'Fixed IP Address': port.fixed_ips[0].ip_address,
    }))
    const unset = await cli.run('floating', 'ip', 'unset', '--port', floatingIp.id)
    expect(unset.code, unset.stderr).toBe(0)
    expect(await cli.json('floating', 'ip', 'show', floatingIp.id)).toMatchObject({ port_id: null })
    const deleted = await cli.run('floating', 'ip', 'delete', floatingIp.id)
    expect(deleted.code, deleted.stderr).toBe(0)
    expect((await cli.json('floating', 'ip', 'list')).map((entry: { ID: string }) => entry.ID)).not.toContain(floatingIp.id)
    expect((await cli.run('port', 'delete', port.id)).code).toBe(0)
  }, 180_000)

  it('creates a security group with an SSH rule, shows and deletes it', async () => {
    const group = await cli.json('security', 'group', 'create', '--description', 'ssh in', 'client-ssh')
    expect(group).toMatchObject({ name: 'client-ssh', description: 'ssh in' })
    const rule = await cli.json('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', 'client-ssh')
    expect(rule).toMatchObject({
      direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0',
      security_group_id: group.id,
    })
    // openstackclient shows Neutron's ethertype under the column name ether_type.
    expect(rule.ether_type ?? rule.ethertype).toBe('IPv4')
    const duplicate = await cli.run('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', 'client-ssh')
    expect(duplicate.code).not.toBe(0)
    expect(duplicate.stderr).toMatch(/already exists/)
    const shown = await cli.json('security', 'group', 'show', 'client-ssh')
    expect(JSON.stringify(shown.rules)).toContain(rule.id)
    const groups = await cli.json('security', 'group', 'list')
    expect(groups.map((entry: { Name: string }) => entry.Name)).toEqual(expect.arrayContaining(['default', 'client-ssh']))
    const deleted = await cli.run('security', 'group', 'delete', 'client-ssh')
    expect(deleted.code, deleted.stderr).toBe(0)
    const missing = await cli.run('security', 'group', 'show', 'client-ssh')
    expect(missing.code).not.toBe(0)
  }, 180_000)
})
