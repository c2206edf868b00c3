/**
 * NHN's VPC views: a VPC is a network, a VPC subnet a subnet. What NHN shows that Gureum does not keep
 * is derived: a VPC's `cidrv4` is the smallest block covering its subnets, `available_ip_count` the
 * pool size less the addresses the caller's project holds on the subnet. Routing tables and static
 * routes do not exist in Gureum, so `routingtables`/`routes` are empty and `routingtable` is absent.
 */
import type { NetworkService } from '../../../core/networks/network-service.ts'
import type { Network, Subnet } from '../../../core/networks/network.ts'
import { formatIpv4, parseIpv4, parseIpv4Cidr, rangeSize } from '../../../core/networks/ipv4.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import type { Page, PageRequest } from '../../../core/shared/page.ts'
import type { Vpc, VpcDetail, VpcSubnet } from '../schemas/vpcs.ts'
import { MAX_PAGE_SIZE } from './collection.ts'

/** Every VPC and subnet Gureum holds is usable at once. */
const AVAILABLE = 'available'

/** NHN writes `YYYY-MM-DD hh:mm:ss` (UTC). */
export function nhnTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ')
}

/** The smallest CIDR block holding every given block; null for none. */
export function coveringCidr(cidrs: readonly string[]): string | null {
  const blocks = cidrs.map((text) => parseIpv4Cidr(text, false)).filter((block) => block !== null)
  if (blocks.length === 0) return null
  const low = Math.min(...blocks.map((block) => block.network))
  const high = Math.max(...blocks.map((block) => block.broadcast))
  let prefix = Math.min(...blocks.map((block) => block.prefixLength))
  while (prefix > 0) {
    const size = 2 ** (32 - prefix)
    const network = Math.floor(low / size) * size
    if (network + size - 1 >= high) return `${formatIpv4(network)}/${prefix}`
    prefix--
  }
  return '0.0.0.0/0'
}

async function countAll<T extends { readonly id: string }>(
  fetch: (page: PageRequest) => Promise<Page<T>>, counts: (item: T) => boolean,
): Promise<number> {
  let count = 0
  let marker: string | null = null
  for (;;) {
    const page = await fetch({ limit: MAX_PAGE_SIZE, marker })
    count += page.items.filter(counts).length
    if (!page.hasMore || page.items.length === 0) return count
    marker = page.items[page.items.length - 1].id
  }
}

/** Reads what the VPC views need for one caller, each network and subnet list once per request. */
export class VpcReader {
  readonly #networks: NetworkService
  readonly #owner: Owner
  readonly #subnetsOf = new Map<string, Promise<Subnet[]>>()
  readonly #network = new Map<string, Promise<Network>>()

  constructor(networks: NetworkService, owner: Owner) {
    this.#networks = networks
    this.#owner = owner
  }

  subnetsOf(networkId: string): Promise<Subnet[]> {
    let subnets = this.#subnetsOf.get(networkId)
    if (!subnets) {
      subnets = (async () => {
        const all: Subnet[] = []
        await countAll((page) => this.#networks.listSubnets(this.#owner, { networkId }, page), (subnet) => {
          all.push(subnet)
          return true
        })
        return all
      })()
      this.#subnetsOf.set(networkId, subnets)
    }
    return subnets
  }

  network(id: string): Promise<Network> {
    let network = this.#network.get(id)
    if (!network) {
      network = this.#networks.getNetwork(this.#owner, id)
      this.#network.set(id, network)
    }
    return network
  }

  async vpc(network: Network): Promise<Vpc> {
    const subnets = await this.subnetsOf(network.id)
    return {
      'router:external': network.external,
      name: network.name,
      tenant_id: network.projectId ?? '',
      state: AVAILABLE,
      create_time: nhnTime(network.createdAt),
      cidrv4: coveringCidr(subnets.map((subnet) => subnet.cidr)),
      shared: network.shared,
      id: network.id,
    }
  }

  async vpcDetail(network: Network): Promise<VpcDetail> {
    const subnets = await this.subnetsOf(network.id)
    return {
      ...(await this.vpc(network)),
      routingtables: [],
      subnets: await Promise.all(subnets.map(async (subnet) => ({ ...(await this.vpcSubnet(subnet)), enable_dhcp: subnet.enableDhcp }))),
    }
  }

  async vpcSubnet(subnet: Subnet): Promise<VpcSubnet> {
    const network = await this.network(subnet.networkId)
    const vpc = await this.vpc(network)
    return {
      'router:external': network.external,
      name: subnet.name,
      tenant_id: subnet.projectId ?? '',
      id: subnet.id,
      state: AVAILABLE,
      create_time: nhnTime(subnet.createdAt),
      available_ip_count: await this.#availableAddresses(subnet, network),
      vpc: { shared: vpc.shared, state: vpc.state, id: vpc.id, cidrv4: vpc.cidrv4, name: vpc.name },
      vpc_id: network.id,
      routes: [],
      shared: network.shared,
      cidr: subnet.cidr,
      gateway: subnet.gatewayIp,
    }
  }

  async #availableAddresses(subnet: Subnet, network: Network): Promise<number> {
    const size = rangeSize({ start: parseIpv4(subnet.allocationPool.start)!, end: parseIpv4(subnet.allocationPool.end)! })
    const ports = await countAll((page) => this.#networks.listPorts(this.#owner, { subnetId: subnet.id }, page), () => true)
    const floatingIps = network.external
      ? await countAll((page) => this.#networks.listFloatingIps(this.#owner, { floatingNetworkId: network.id }, page),
        (floatingIp) => floatingIp.subnetId === subnet.id)
      : 0
    return Math.max(0, size - ports - floatingIps)
  }
}
