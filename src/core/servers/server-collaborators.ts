/**
 * Binds the server lifecycle's narrow ports (server-ports.ts) to the other core areas. The only file
 * of the server module that knows how networking, block storage, images and server groups are built.
 */
import type { Clock } from '../ports/clock.ts'
import type { IdGenerator } from '../ports/ids.ts'
import type { NicSpec } from '../ports/hypervisor-driver.ts'
import { isLocalDiskFlavor } from '../flavors/flavor.ts'
import { getVisibleImage } from '../images/image-access.ts'
import { beginServerSnapshot, failServerSnapshot, finishServerSnapshot, saveServerSnapshot } from '../images/server-snapshots.ts'
import {
  addServerSecurityGroup, allocatePlannedPorts, associateFloatingIpToServer, attachInterface, detachInterface,
  disassociateFloatingIpFromServer, planServerNics, portsToCreate, releaseServerPorts, removeServerSecurityGroup,
} from '../networks/server-networking.ts'
import { resolveSecurityGroupsWithDefault } from '../networks/security-groups.ts'
import { joinServerGroup, leaveServerGroup, placementGroupOfServer } from '../server-groups/server-group-service.ts'
import { bootSourceSizeGb, createBootVolume } from '../volumes/boot-volumes.ts'
import {
  abortVolumeAttachment, beginVolumeDetach, completeVolumeAttachment, completeVolumeDetach, releaseServerVolumes,
  reserveVolumeAttachment, serverVolumeAttachments, serverVolumeDisks,
} from '../volumes/volume-attachments.ts'
import { DomainError, isDomainError } from '../shared/errors.ts'
import type { ServerCollaborators, VolumeAttachmentRef } from './server-ports.ts'

function attachmentRef(attachment: { id: string; volumeId: string; serverId: string; device: string; status: string; bootIndex: number | null }): VolumeAttachmentRef {
  return {
    id: attachment.id, volumeId: attachment.volumeId, serverId: attachment.serverId, device: attachment.device,
    status: attachment.status, bootIndex: attachment.bootIndex,
  }
}

export function createServerCollaborators(env: { clock: Clock; ids: IdGenerator }): ServerCollaborators {
  const { clock } = env
  return {
    catalog: {
      flavor: (tx, id) => tx.flavors.get(id),
      isLocalDiskFlavor,
      async image(tx, owner, id) {
        try {
          const image = await getVisibleImage(tx, owner, id)
          return {
            id: image.id, name: image.name, status: image.status, minDiskGb: image.minDiskGb, minRamMb: image.minRamMb,
            sizeBytes: image.sizeBytes, osType: image.osType, properties: image.properties, filePath: image.filePath,
          }
        } catch (error) {
          if (isDomainError(error) && error.kind === 'not_found') return null
          throw error
        }
      },
      async keypairPublicKey(tx, owner, name) {
        return (await tx.keypairs.get(owner.projectId, name))?.publicKey ?? null
      },
      async zoneStatus(tx, name) {
        const zone = await tx.availabilityZones.get(name)
        return !zone ? 'unknown' : zone.available ? 'available' : 'unavailable'
      },
    },
    networking: {
      // Nova 2.37 `auto`: the project's own network if it has one, else a shared (non-external) one.
      async autoChoices(tx, owner) {
        const visible = await tx.networks.list(owner.projectId, { external: false }, { limit: 100, after: null })
        const usable = visible.items.filter((network) => network.subnetIds.length > 0)
        const chosen = usable.find((network) => network.projectId === owner.projectId) ?? usable.find((network) => network.shared)
        if (!chosen) {
          throw new DomainError('bad_request', 'Unable to automatically allocate a network for the project: it has no usable network.',
            { resource: 'network', field: 'networks' })
        }
        return [{ networkId: chosen.id }]
      },
      // `default` exists for every project as soon as something asks for it (Neutron creates it lazily too).
      resolveSecurityGroups: (tx, owner, namesOrIds) => resolveSecurityGroupsWithDefault(tx, owner, namesOrIds, env),
      async planNics(tx, owner, choices, securityGroupIds) {
        const plans = await planServerNics(tx, owner, choices)
        return {
          portsPerServer: portsToCreate(plans),
          async allocate(allocationTx, serverId) {
            await allocatePlannedPorts(allocationTx, owner, serverId, plans, securityGroupIds, env, { newServer: true })
          },
        }
      },
      release: (tx, serverId) => releaseServerPorts(tx, serverId, env),
      // The driver needs no floating addresses: the ports alone, in creation order.
      async nics(repos, serverId) {
        const views = await repos.ports.listByDevices([serverId])
        return views.map((view): NicSpec => ({
          portId: view.portId, macAddress: view.macAddress, ipAddress: view.ipAddress, networkId: view.networkId,
          cidr: view.cidr, gatewayIp: view.gatewayIp,
        }))
      },
      addSecurityGroup: (tx, owner, serverId, group) => addServerSecurityGroup(tx, owner, serverId, group),
      removeSecurityGroup: (tx, owner, serverId, group) => removeServerSecurityGroup(tx, owner, serverId, group),
      associateFloatingIp: (tx, owner, serverId, address, fixedIp) =>
        associateFloatingIpToServer(tx, owner, serverId, address, fixedIp, env),
      disassociateFloatingIp: (tx, owner, serverId, address) =>
        disassociateFloatingIpFromServer(tx, owner, serverId, address, env),
      async attachInterface(tx, owner, serverId, choice) {
        return (await attachInterface(tx, owner, serverId, choice, env)).portId
      },
      detachInterface: (tx, owner, serverId, portId) => detachInterface(tx, owner, serverId, portId, env),
    },
    storage: {
      async createBootVolume(tx, owner, request) {
        const { volume } = await createBootVolume(tx, owner, {
          source: request.source, sourceId: request.sourceId, sizeGb: request.sizeGb, volumeType: request.volumeType,
          availabilityZone: request.availabilityZone, name: request.name, boot: request.name.endsWith('-root'),
        }, clock.now())
        return { volumeId: volume.id, sizeGb: volume.sizeGb }
      },
      sourceSizeGb: (repos, owner, source, id) => bootSourceSizeGb(repos, owner, source, id),
      async reserveAttachment(tx, owner, request) {
        return attachmentRef(await reserveVolumeAttachment(tx, owner, request, clock.now()))
      },
      async completeAttachment(tx, attachmentId) {
        await completeVolumeAttachment(tx, attachmentId, clock.now())
      },
      async abortAttachment(tx, attachmentId) {
        await abortVolumeAttachment(tx, attachmentId, clock.now())
      },
      async beginDetach(tx, owner, serverId, volumeId) {
        return attachmentRef(await beginVolumeDetach(tx, owner, { volumeId, serverId }, clock.now()))
      },
      async completeDetach(tx, attachmentId) {
        await completeVolumeDetach(tx, attachmentId, clock.now())
      },
      async attachments(repos, serverId) {
        return ((await serverVolumeAttachments(repos, [serverId])).get(serverId) ?? []).map(attachmentRef)
      },
      disks: (repos, serverId) => serverVolumeDisks(repos, serverId),
      async releaseServerVolumes(tx, serverId) {
        await releaseServerVolumes(tx, serverId, clock.now())
      },
    },
    images: {
      async beginSnapshot(tx, owner, request) {
        const image = await beginServerSnapshot(tx, owner, {
          serverId: request.serverId, name: request.name, metadata: request.metadata, minDiskGb: request.minDiskGb,
          minRamMb: request.minRamMb, baseImageId: request.baseImageId,
        }, clock.now())
        return image.id
      },
      async finishSnapshot(tx, imageId, result) {
        await saveServerSnapshot(tx, imageId, clock.now())
        await finishServerSnapshot(tx, imageId, { sizeBytes: result.sizeBytes, checksum: result.checksum }, clock.now())
      },
      async failSnapshot(tx, imageId) {
        await failServerSnapshot(tx, imageId)
      },
    },
    groups: {
      join: (tx, owner, groupId, serverId, partitionNumber) =>
        joinServerGroup(tx, owner, { groupId, serverId, partitionNumber, now: clock.now() }).then(() => undefined),
      leave: (tx, serverId) => leaveServerGroup(tx, serverId).then(() => undefined),
      placementGroup: (repos, serverId) => placementGroupOfServer(repos, serverId),
    },
  }
}
