/**
 * The compute operations of the NHN Cloud seeds, transcribed from /work/shared/seeds/CATALOG.md §2.1
 * (seed 000, v1.0: V1-1…V1-10 and the server action bodies of §2.1.2) and §2.2 (seeds 001–003, v2:
 * N-0…N-18 and the action bodies of §2.2.3), with the paths exactly as the seeds write them. The
 * coverage report (scripts/gen-coverage.ts) maps each one to the route that serves it.
 */
import type { ListenerName } from '../src/dialects/shared/context.ts'

export interface SeedOperation {
  /** The catalogue's number, with the body key for an action (`V1-10 reboot`). */
  readonly id: string
  readonly summary: string
  readonly method: string
  /** As the seed writes it, `{name}` for a path parameter. */
  readonly path: string
  /** Set for a server action: the body key that selects it. */
  readonly actionKey?: string
  /** Catalogued as optional (the seed recommends it, or names it only in passing): reported, never required. */
  readonly optional?: string
}

export interface SeedCatalog {
  readonly title: string
  readonly source: string
  readonly listener: ListenerName
  readonly operations: readonly SeedOperation[]
}

const V1 = '/v1.0/appkeys/{appkey}'
const V1_ACTION = `${V1}/servers/{serverId}/action`

const v1Action = (actionKey: string, summary: string): SeedOperation => ({ id: `V1-10 ${actionKey}`, summary, method: 'POST', path: V1_ACTION, actionKey })

export const NHN_V1_OPERATIONS: SeedCatalog = {
  title: 'NHN Cloud (TOAST) Compute & Network API v1.0',
  source: 'seed 000, CATALOG.md §2.1',
  listener: 'nhnV1',
  operations: [
    { id: 'V1-1', summary: 'Issue token', method: 'POST', path: `${V1}/tokens` },
    { id: 'V1-2', summary: 'Show token info', method: 'GET', path: '/v1.0/appkey/{appkey}/tokens/{tokenId}' },
    { id: 'V1-2 (appkeys)', summary: 'Show token info under the common base path (§6 typo alias)', method: 'GET', path: `${V1}/tokens/{tokenId}` },
    { id: 'V1-3', summary: 'List servers', method: 'GET', path: `${V1}/servers` },
    { id: 'V1-4', summary: 'List servers with detail', method: 'GET', path: `${V1}/servers/detail` },
    { id: 'V1-5', summary: 'Show server', method: 'GET', path: `${V1}/servers/{serverId}` },
    { id: 'V1-6', summary: 'Create servers (PUT)', method: 'PUT', path: `${V1}/servers` },
    { id: 'V1-7', summary: 'Delete server', method: 'DELETE', path: `${V1}/servers/{serverId}` },
    { id: 'V1-8', summary: 'Attach a volume', method: 'POST', path: `${V1}/servers/{serverId}/attachments` },
    {
      id: 'V1-8 (infrastructure)', summary: 'Attach a volume, under the path the seed prints (§6 alias)', method: 'POST',
      path: '/infrastructure/v1.0/appkeys/{appkey}/servers/{serverId}/attachments',
    },
    { id: 'V1-9', summary: 'Detach a volume', method: 'DELETE', path: `${V1}/servers/{serverId}/attachments/{volumeId}` },
    { id: 'V1-10', summary: 'Server action, chosen by the body key', method: 'POST', path: V1_ACTION },
    v1Action('os-start', 'Start a stopped server'),
    v1Action('os-stop', 'Stop a server'),
    v1Action('reboot', 'Reboot (SOFT or HARD)'),
    v1Action('resize', 'Change the flavor'),
    v1Action('uploadImage', 'Create an image from the server'),
    v1Action('addFloatingIp', 'Associate a floating IP'),
    v1Action('removeFloatingIp', 'Disassociate a floating IP'),
    v1Action('addSecurityGroup', 'Add a security group'),
    v1Action('removeSecurityGroup', 'Remove a security group'),
  ],
}

const V2 = '/v2/{tenantId}'
const V2_ACTION = `${V2}/servers/{serverId}/action`

const v2Action = (actionKey: string, summary: string, optional?: string): SeedOperation =>
  ({ id: `N-18 ${actionKey}`, summary, method: 'POST', path: V2_ACTION, actionKey, ...(optional ? { optional } : {}) })

export const NHN_V2_OPERATIONS: SeedCatalog = {
  title: 'NHN Cloud Instance API v2 and TOAST Compute API (Nova compatible)',
  source: 'seeds 001–003, CATALOG.md §2.2',
  listener: 'compute',
  operations: [
    { id: 'N-0', summary: 'List API versions', method: 'GET', path: '/' },
    { id: 'N-1', summary: 'List flavors', method: 'GET', path: `${V2}/flavors` },
    { id: 'N-2', summary: 'List flavors with detail', method: 'GET', path: `${V2}/flavors/detail` },
    { id: 'N-3', summary: 'List availability zones', method: 'GET', path: `${V2}/os-availability-zone` },
    { id: 'N-4', summary: 'List keypairs', method: 'GET', path: `${V2}/os-keypairs` },
    { id: 'N-5', summary: 'Show keypair', method: 'GET', path: `${V2}/os-keypairs/{keypairName}` },
    { id: 'N-6', summary: 'Create or import keypair', method: 'POST', path: `${V2}/os-keypairs` },
    { id: 'N-7', summary: 'Delete keypair', method: 'DELETE', path: `${V2}/os-keypairs/{keypairName}` },
    { id: 'N-8', summary: 'List servers', method: 'GET', path: `${V2}/servers` },
    { id: 'N-9', summary: 'List servers with detail', method: 'GET', path: `${V2}/servers/detail` },
    { id: 'N-10', summary: 'Show server', method: 'GET', path: `${V2}/servers/{serverId}` },
    { id: 'N-11', summary: 'Create servers', method: 'POST', path: `${V2}/servers` },
    { id: 'N-12', summary: 'Update server', method: 'PUT', path: `${V2}/servers/{serverId}` },
    { id: 'N-13', summary: 'Delete server', method: 'DELETE', path: `${V2}/servers/{serverId}` },
    { id: 'N-14', summary: 'List volume attachments', method: 'GET', path: `${V2}/servers/{serverId}/os-volume_attachments` },
    { id: 'N-15', summary: 'Show volume attachment', method: 'GET', path: `${V2}/servers/{serverId}/os-volume_attachments/{volumeId}` },
    { id: 'N-16', summary: 'Attach a volume', method: 'POST', path: `${V2}/servers/{serverId}/os-volume_attachments` },
    {
      id: 'N-16 (003)', summary: 'Attach a volume, with the volume id in the path as seed 003 writes it', method: 'POST',
      path: `${V2}/servers/{serverId}/os-volume_attachments/{volume_id}`,
    },
    { id: 'N-17', summary: 'Detach a volume', method: 'DELETE', path: `${V2}/servers/{serverId}/os-volume_attachments/{volumeId}` },
    { id: 'N-18', summary: 'Server action, chosen by the body key', method: 'POST', path: V2_ACTION },
    v2Action('os-start', 'Start a SHUTOFF server'),
    v2Action('os-stop', 'Stop an ACTIVE or ERROR server'),
    v2Action('reboot', 'Reboot (SOFT or HARD)'),
    v2Action('resize', 'Resize to another flavor'),
    v2Action('createImage', 'Create an image from the server'),
    v2Action('addSecurityGroup', 'Add a security group to every port'),
    v2Action('removeSecurityGroup', 'Remove a security group from every port'),
    v2Action('addFloatingIp', 'Associate a floating IP', 'recommended in §2.2.3 (features list only; V1 body)'),
    v2Action('removeFloatingIp', 'Disassociate a floating IP', 'recommended in §2.2.3 (features list only; V1 body)'),
  ],
}

export const SEED_CATALOGS: readonly SeedCatalog[] = [NHN_V1_OPERATIONS, NHN_V2_OPERATIONS]
