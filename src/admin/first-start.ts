/**
 * The first start of an empty installation creates a usable cloud: an admin, a demo project with a
 * user, an NHN appkey and an SCP access key, flavors and server types, images, volume types, a network
 * with a subnet, a floating IP pool and a default security group; then writes the credentials to
 * `<data dir>/credentials.json` (mode 0600) for tools. Later starts find the projects and change nothing.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { publicUrl, type GureumConfig } from '../config.ts'
import type { Gureum } from '../deps.ts'
import { ensureFlavors } from '../core/flavors/flavor-service.ts'
import { nhnDemoFlavors, scpDemoServerTypes } from '../core/flavors/demo-flavors.ts'
import { ensurePublicImage } from '../core/images/image-seeds.ts'
import { ensureVolumeTypes } from '../core/volumes/volume-types.ts'
import { createDefaultNetworking, createExternalNetwork } from '../core/networks/network-seed.ts'
import { ensureDefaultSecurityGroup } from '../core/networks/security-groups.ts'

export interface Credentials {
  readonly project: { readonly id: string; readonly name: string; readonly appkey: string }
  readonly region: string
  readonly user: { readonly name: string; readonly password: string }
  readonly admin: { readonly name: string; readonly password: string; readonly project_id: string }
  readonly scp: { readonly access_key: string; readonly secret_key: string }
  readonly endpoints: Readonly<Record<'identity' | 'compute' | 'image' | 'network' | 'volume' | 'nhn_v1' | 'scp' | 'console', string>>
  readonly defaults: {
    readonly image_id: string; readonly flavor_id: string; readonly server_type_id: string
    readonly network_id: string; readonly subnet_id: string; readonly security_group_id: string
    readonly keypair_hint: string
  }
}

/** Images with the metadata NHN Cloud puts on its public images (seed 001 examples). */
export const demoImages = [
  {
    id: '5396655e-166a-4875-80d2-ed8613aa054f', name: 'Ubuntu Server 22.04 LTS (2024.11.19)', osType: 'linux' as const,
    minDiskGb: 10, minRamMb: 0, sizeBytes: 2_361_393_152,
    properties: {
      os_distro: 'ubuntu', os_version: 'Server 22.04 LTS', os_type: 'linux', os_architecture: 'amd64',
      login_username: 'ubuntu', hypervisor_type: 'kvm', description: 'Ubuntu Server 22.04 LTS (2024.11.19)',
    },
  },
  {
    id: 'c2b7f9d4-91c3-4c7e-bd8e-0e6a9a7f6c21', name: 'Rocky Linux 8.10 (2024.11.19)', osType: 'linux' as const,
    minDiskGb: 10, minRamMb: 0, sizeBytes: 1_912_602_624,
    properties: {
      os_distro: 'rocky', os_version: '8.10', os_type: 'linux', os_architecture: 'amd64',
      login_username: 'rocky', hypervisor_type: 'kvm', description: 'Rocky Linux 8.10 (2024.11.19)',
    },
  },
  {
    id: '8a3e6c1f-4b2d-4f57-9a0e-2d6f1b9c7e34', name: 'Windows 2022 STD (2024.11.19) KO', osType: 'windows' as const,
    minDiskGb: 50, minRamMb: 2048, sizeBytes: 20_401_094_656,
    properties: {
      os_distro: 'windows', os_version: '2022 STD', os_type: 'windows', os_architecture: 'amd64',
      login_username: 'Administrator', hypervisor_type: 'kvm', description: 'Windows 2022 STD (2024.11.19) KO',
    },
  },
]

const password = () => randomBytes(12).toString('base64url')

export function credentialsPath(config: GureumConfig): string {
  return join(config.dataDir, 'credentials.json')
}

/** Seeds an empty installation; returns the credentials (read back from disk on later starts). */
export async function ensureFirstStart(gureum: Gureum): Promise<Credentials | null> {
  const { services, store, clock, ids, config } = gureum
  const existing = await services.projects.listProjects({ limit: 1, marker: null })
  if (existing.items.length > 0) {
    const path = credentialsPath(config)
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Credentials) : null
  }
  const adminProject = await services.projects.createProject({ name: 'admin', description: 'Gureum administration' })
  const adminPassword = password()
  await services.identity.createUser({ projectId: adminProject.id, name: 'admin', password: adminPassword, role: 'admin' })
  const project = await services.projects.createProject({
    name: 'demo', description: 'Demo project created on first start', strictNhn: true,
  })
  const userPassword = password()
  const user = await services.identity.createUser({ projectId: project.id, name: 'demo', password: userPassword, role: 'member' })
  const accessKey = await services.identity.createAccessKey({ userId: user.id, description: 'demo key' })

  const env = { clock, ids }
  const seeded = await store.transaction(async (tx) => {
    const now = clock.now()
    await ensureFlavors(tx, [...nhnDemoFlavors, ...scpDemoServerTypes], now)
    await ensureVolumeTypes(tx, [
      { name: 'General HDD', description: 'HDD volume', isDefault: true },
      { name: 'General SSD', description: 'SSD volume' },
    ], now)
    for (const image of demoImages) await ensurePublicImage(tx, image, now)
    await createExternalNetwork(tx, { name: 'Public Network', cidr: '203.0.113.0/24' }, env)
    const networking = await createDefaultNetworking(tx, { projectId: project.id, networkName: 'Default Network', cidr: '192.168.0.0/16' }, env)
    const securityGroupId = await ensureDefaultSecurityGroup(tx, project.id, env)
    await ensureDefaultSecurityGroup(tx, adminProject.id, env)
    return { networkId: networking.network.id, subnetId: networking.subnet.id, securityGroupId }
  })

  const credentials: Credentials = {
    project: { id: project.id, name: project.name, appkey: project.appkey },
    region: config.region,
    user: { name: 'demo', password: userPassword },
    admin: { name: 'admin', password: adminPassword, project_id: adminProject.id },
    scp: { access_key: accessKey.accessKey, secret_key: accessKey.secretKey },
    endpoints: {
      identity: `${publicUrl(config, 'identity')}/v2.0`,
      compute: `${publicUrl(config, 'compute')}/v2/${project.id}`,
      image: publicUrl(config, 'image'),
      network: publicUrl(config, 'network'),
      volume: `${publicUrl(config, 'volume')}/v3/${project.id}`,
      nhn_v1: `${publicUrl(config, 'nhnV1')}/v1.0/appkeys/${project.appkey}`,
      scp: `${publicUrl(config, 'scp')}/v1`,
      console: publicUrl(config, 'console'),
    },
    defaults: {
      image_id: demoImages[0].id,
      flavor_id: nhnDemoFlavors.find((flavor) => flavor.name === 'm2.c1m2')?.id ?? nhnDemoFlavors[0].id as string,
      server_type_id: scpDemoServerTypes[0].id as string,
      network_id: seeded.networkId,
      subnet_id: seeded.subnetId,
      security_group_id: seeded.securityGroupId,
      keypair_hint: 'create one: openstack keypair create demo-key > demo-key.pem',
    },
  }
  const path = credentialsPath(config)
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
  return credentials
}

/** The block printed at start: how to reach each dialect with the demo credentials. */
export function credentialsBanner(credentials: Credentials): string {
  const { project, user, admin, scp, endpoints, defaults } = credentials
  const identity = endpoints.identity.replace(/\/v2\.0$/, '')
  return [
    '================================ Gureum is ready ================================',
    `Project  ${project.name}  (tenant id ${project.id}, NHN appkey ${project.appkey})`,
    `User     ${user.name} / ${user.password}        Admin  ${admin.name} / ${admin.password}`,
    `SCP key  access ${scp.access_key}  secret ${scp.secret_key}`,
    '',
    'OpenStack / NHN Instance API v2 (Keystone v2.0 and v3):',
    `  export OS_AUTH_URL=${identity}/v3 OS_IDENTITY_API_VERSION=3 OS_USERNAME=${user.name} \\`,
    `    OS_PASSWORD='${user.password}' OS_PROJECT_NAME=${project.name} OS_USER_DOMAIN_NAME=Default \\`,
    `    OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME=${credentials.region}`,
    `  curl -s -X POST ${endpoints.identity}/tokens -H 'Content-Type: application/json' \\`,
    `    -d '{"auth":{"tenantId":"${project.id}","passwordCredentials":{"username":"${user.name}","password":"${user.password}"}}}'`,
    `  compute: ${endpoints.compute}`,
    '',
    'NHN Compute & Network API v1.0:',
    `  curl -s -X POST ${endpoints.nhn_v1}/tokens -H 'Content-Type: application/json;charset=UTF-8' \\`,
    `    -d '{"auth":{"username":"${user.name}","password":"${user.password}"}}'`,
    '',
    `SCP Virtual Server: ${endpoints.scp} (HMAC-signed with the SCP key above)`,
    `Console, admin API, /docs, /healthz: ${endpoints.console}`,
    `Defaults: image ${defaults.image_id}, flavor ${defaults.flavor_id}, network ${defaults.network_id}`,
    '=================================================================================',
  ].join('\n')
}
