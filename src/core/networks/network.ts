/**
 * The networking model, Neutron's shape in native types: networks hold IPv4 subnets; a port is one NIC
 * with one fixed address on one subnet; floating IPs come from external networks and map to a port's
 * fixed address; security groups (rules) apply to ports. A server's NICs are the ports whose deviceId
 * is the server id.
 */
export interface Network {
  readonly id: string
  /** Null for networks owned by the cloud (the external floating IP pool, shared provider networks). */
  readonly projectId: string | null
  readonly name: string
  readonly description: string
  readonly shared: boolean
  /** router:external: a floating IP pool; servers cannot attach to it. */
  readonly external: boolean
  readonly status: 'ACTIVE'
  readonly adminStateUp: boolean
  readonly mtu: number
  /** Ids of its subnets, oldest first. */
  readonly subnetIds: readonly string[]
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface Subnet {
  readonly id: string
  readonly networkId: string
  readonly projectId: string | null
  readonly name: string
  readonly description: string
  readonly cidr: string
  readonly ipVersion: 4
  readonly gatewayIp: string | null
  readonly allocationPool: { readonly start: string; readonly end: string }
  readonly enableDhcp: boolean
  readonly dnsNameservers: readonly string[]
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** DOWN while unbound, ACTIVE while a server uses it. */
export type PortStatus = 'ACTIVE' | 'DOWN'

/** The device_owner of a server's port, as Nova sets it (`compute:<availability zone>`). */
export const COMPUTE_DEVICE_OWNER = 'compute:nova'

export interface Port {
  readonly id: string
  readonly projectId: string
  readonly networkId: string
  readonly subnetId: string
  readonly name: string
  readonly macAddress: string
  readonly ipAddress: string
  /** The server using the port, or null. */
  readonly deviceId: string | null
  readonly deviceOwner: string | null
  readonly status: PortStatus
  readonly adminStateUp: boolean
  /** A port the user created survives its server (only unbound); one made for the server dies with it. */
  readonly preserveOnDelete: boolean
  readonly securityGroupIds: readonly string[]
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type FloatingIpStatus = 'ACTIVE' | 'DOWN'

export interface FloatingIp {
  readonly id: string
  readonly projectId: string
  readonly floatingNetworkId: string
  readonly subnetId: string
  readonly address: string
  readonly portId: string | null
  /** The fixed address of the port the floating IP maps to. */
  readonly fixedIp: string | null
  /** The server of the associated port, when it is bound to one (Nova's instance_id). */
  readonly serverId: string | null
  readonly status: FloatingIpStatus
  readonly description: string
  readonly createdAt: Date
  readonly updatedAt: Date
}

export type RuleDirection = 'ingress' | 'egress'
export type RuleEthertype = 'IPv4' | 'IPv6'

export interface SecurityGroupRule {
  readonly id: string
  readonly securityGroupId: string
  readonly projectId: string
  readonly direction: RuleDirection
  readonly ethertype: RuleEthertype
  readonly protocol: string | null
  readonly portRangeMin: number | null
  readonly portRangeMax: number | null
  readonly remoteIpPrefix: string | null
  readonly remoteGroupId: string | null
  readonly description: string
  readonly createdAt: Date
}

export const DEFAULT_SECURITY_GROUP = 'default'

export interface SecurityGroup {
  readonly id: string
  readonly projectId: string
  readonly name: string
  readonly description: string
  /** Oldest first. */
  readonly rules: readonly SecurityGroupRule[]
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** One NIC a server asks for: an existing port, or a new port on a network / subnet, maybe at a fixed address. */
export interface NetworkRequest {
  readonly networkId?: string
  readonly subnetId?: string
  readonly portId?: string
  readonly fixedIp?: string
}

/** A server's NIC, with what a driver needs to configure it. */
export interface ServerPort {
  readonly portId: string
  readonly networkId: string
  readonly networkName: string
  readonly subnetId: string
  readonly cidr: string
  readonly gatewayIp: string | null
  readonly macAddress: string
  readonly ipAddress: string
}

/** A server's NIC as the API views show it. */
export interface ServerNetworkView extends ServerPort {
  readonly floatingIps: readonly string[]
}
