/**
 * Which dialect serves which listener: an explicit map, one line per dialect. A listener with no
 * dialect yet is not started.
 */
import type { DialectPlugin, ListenerName } from './shared/context.ts'
import { keystoneIdentity } from './keystone-identity/plugin.ts'
import { nhnInstanceV2 } from './nhn-instance-v2/plugin.ts'
import { nhnComputeV1 } from './nhn-compute-v1/plugin.ts'
import { openstackImage } from './openstack-image/plugin.ts'
import { openstackBlockStorage } from './openstack-block-storage/plugin.ts'
import { openstackNetwork } from './openstack-network/plugin.ts'

export const dialects: Partial<Record<ListenerName, DialectPlugin>> = {
  identity: keystoneIdentity,
  compute: nhnInstanceV2,
  nhnV1: nhnComputeV1,
  image: openstackImage,
  volume: openstackBlockStorage,
  network: openstackNetwork,
}
