/**
 * The flavors a fresh Gureum offers (bootstrap: `ensureFlavors(tx, [...nhnDemoFlavors, ...scpDemoServerTypes], now)`).
 * Ids are fixed so that every start and every node agrees on them.
 */
import { FLAVOR_TYPE_SPEC, SCP_SERVER_TYPE_SPEC } from './flavor.ts'
import type { FlavorSeed } from './flavor-service.ts'

const GB = 1024

function nhnFlavor(id: string, name: string, vcpus: number, ramGb: number, flavorType: string, diskGb = 0): FlavorSeed {
  return { id, name, vcpus, ramMb: ramGb * GB, diskGb, extraSpecs: { [FLAVOR_TYPE_SPEC]: flavorType } }
}

/**
 * NHN Cloud instance types, named `<family>.c<vCPUs>m<RAM GB>`: t2 burstable, m2 general, c2 compute,
 * r2 memory, x1 performance (the guides' example family; its two ids are the guides' example ids), and
 * u2, the local-disk family. Every family but u2 is volume-backed, hence `disk` 0 as in the guides.
 */
export const nhnDemoFlavors: readonly FlavorSeed[] = [
  nhnFlavor('8aeefb8e-2f19-40fa-b619-927600eed263', 't2.c1m1', 1, 1, 'burstable'),
  nhnFlavor('a2c5b0d9-708d-4f0b-bda8-e0e731cf7e2c', 't2.c1m2', 1, 2, 'burstable'),
  nhnFlavor('294c255a-e4df-4994-9175-4dbe84c2c7f4', 'm2.c1m2', 1, 2, 'general'),
  nhnFlavor('181347cf-e559-43d4-9617-24ac1b38a977', 'm2.c2m4', 2, 4, 'general'),
  nhnFlavor('91d86793-b769-403b-a75f-3173ee60099e', 'm2.c4m8', 4, 8, 'general'),
  nhnFlavor('ca7e1000-734a-4cf0-9d5d-e530e7d9890f', 'm2.c8m16', 8, 16, 'general'),
  nhnFlavor('c6e197ea-c0a4-4042-842c-3f158f4947c1', 'c2.c2m4', 2, 4, 'compute'),
  nhnFlavor('19ecd7a8-f47f-4e8f-b816-3d7fd9eb7b6f', 'c2.c4m8', 4, 8, 'compute'),
  nhnFlavor('94514e3d-1322-43f9-a99b-d17dedcf31d5', 'r2.c2m16', 2, 16, 'memory'),
  nhnFlavor('edf96554-673f-49a5-9742-ecb369a4efe1', 'r2.c4m32', 4, 32, 'memory'),
  nhnFlavor('31fa632d-aeec-4f12-8a57-ce9d146228e5', 'x1.c32m128', 32, 128, 'performance'),
  nhnFlavor('97604802-a090-43fa-a5ce-c7cfd737fbba', 'x1.c32m256', 32, 256, 'performance'),
  nhnFlavor('b6e9890c-08b9-4cce-b5dc-a3102677ba5d', 'u2.c1m1', 1, 1, 'u2', 20),
  nhnFlavor('28af14f7-4742-4949-82aa-13bbbf4d4b44', 'u2.c2m4', 2, 4, 'u2', 40),
]

function scpServerType(family: 's1' | 'h1', vcpus: number, ramGb: number): FlavorSeed {
  const name = `${family}v${vcpus}m${ramGb}`
  const kind = family === 's1' ? 'Standard' : 'High capacity'
  return {
    id: name,
    name,
    description: `${kind} ${vcpus} vCPU, ${ramGb} GB memory`,
    vcpus,
    ramMb: ramGb * GB,
    diskGb: 0,
    extraSpecs: { [SCP_SERVER_TYPE_SPEC]: family },
  }
}

/**
 * SCP server types, named `<family>v<vCPUs>m<RAM GB>` with id = name (seed 004's `s1v1m2`). SCP
 * servers boot from a block-storage volume given on create, so the root disk here is 0.
 */
export const scpDemoServerTypes: readonly FlavorSeed[] = [
  scpServerType('s1', 1, 2),
  scpServerType('s1', 2, 4),
  scpServerType('s1', 2, 8),
  scpServerType('s1', 4, 8),
  scpServerType('s1', 4, 16),
  scpServerType('s1', 8, 16),
  scpServerType('s1', 8, 32),
  scpServerType('s1', 16, 64),
  scpServerType('h1', 8, 32),
  scpServerType('h1', 16, 64),
  scpServerType('h1', 32, 128),
]
