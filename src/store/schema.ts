/**
 * Row types of every table, the Kysely way. Times are epoch milliseconds, booleans 0/1, JSON text;
 * repositories convert to core types explicitly (SQLite has no boolean, timestamp or JSON type).
 */
import type { Generated } from 'kysely'

type Bool = number
type Millis = number
type Json = string

export interface ProjectsTable {
  id: string; name: string; description: string; domain_id: string; appkey: string
  enabled: Bool; strict_nhn: Bool; auto_confirm_resize_seconds: number | null; created_at: Millis
}
export interface UsersTable {
  id: string; project_id: string; name: string; email: string | null; password_hash: string; role: string
  enabled: Bool; password_changed_at: Millis; created_at: Millis
}
export interface TokensTable {
  id_hash: string; user_id: string; project_id: string; audit_id: string; issued_at: Millis; expires_at: Millis
}
export interface AccessKeysTable {
  id: string; project_id: string; user_id: string; secret_salt: string; secret_hash: string; description: string
  enabled: Bool; expires_at: Millis | null; created_at: Millis
}
export interface AvailabilityZonesTable { name: string; available: Bool; created_at: Millis }
export interface HostsTable {
  id: string; name: string; availability_zone: string; driver: string; state: string; enabled: Bool
  vcpus: number; ram_mb: number; disk_gb: number; vcpus_used: Generated<number>; ram_mb_used: Generated<number>
  disk_gb_used: Generated<number>; server_count: Generated<number>; cpu_allocation_ratio: number; ram_allocation_ratio: number; disk_allocation_ratio: number
  updated_at: Millis
}
export interface HostAllocationsTable {
  id: string; consumer_id: string; host_id: string; vcpus: number; ram_mb: number; disk_gb: number; created_at: Millis
}
export interface FlavorsTable {
  id: string; name: string; description: string | null; vcpus: number; ram_mb: number; disk_gb: number
  ephemeral_gb: number; swap_mb: number; rxtx_factor: number; is_public: Bool; disabled: Bool; extra_specs: Json
  created_at: Millis
}
export interface ImagesTable {
  id: string; owner_project_id: string | null; name: string; status: string; visibility: string
  disk_format: string | null; container_format: string | null; min_disk_gb: number; min_ram_mb: number
  size_bytes: number | null; virtual_size_bytes: number | null; checksum: string | null; protected: Bool
  os_type: string; properties: Json; tags: Json; file_path: string | null; source_server_id: string | null
  created_at: Millis; updated_at: Millis
}
export interface ImageMembersTable {
  image_id: string; member_project_id: string; status: string; created_at: Millis; updated_at: Millis
}
export interface KeypairsTable {
  id: Generated<number>; project_id: string; user_id: string; name: string; type: string; public_key: string
  fingerprint: string; created_at: Millis
}
export interface NetworksTable {
  id: string; project_id: string | null; name: string; description: string; shared: Bool; external: Bool
  status: string; admin_state_up: Bool; mtu: number; created_at: Millis; updated_at: Millis
}
export interface SubnetsTable {
  id: string; network_id: string; project_id: string | null; name: string; description: string; cidr: string
  ip_version: number; gateway_ip: string | null; allocation_start: number; allocation_end: number; next_ip: number
  enable_dhcp: Bool; dns_nameservers: Json; created_at: Millis; updated_at: Millis
}
export interface SecurityGroupsTable {
  id: string; project_id: string; name: string; description: string; created_at: Millis; updated_at: Millis
}
export interface SecurityGroupRulesTable {
  id: string; security_group_id: string; project_id: string; direction: string; ethertype: string
  protocol: string | null; port_range_min: number | null; port_range_max: number | null
  remote_ip_prefix: string | null; remote_group_id: string | null; description: string; created_at: Millis
}
export interface PortsTable {
  id: string; project_id: string; network_id: string; subnet_id: string; name: string; mac_address: string
  ip_address: string; ip_int: number; device_id: string | null; device_owner: string | null; status: string
  admin_state_up: Bool; preserve_on_delete: Bool; created_at: Millis; updated_at: Millis
}
export interface PortSecurityGroupsTable { port_id: string; security_group_id: string }
export interface FloatingIpsTable {
  id: string; project_id: string; floating_network_id: string; subnet_id: string; address: string; ip_int: number
  port_id: string | null; fixed_ip: string | null; status: string; description: string
  created_at: Millis; updated_at: Millis
}
export interface VolumeTypesTable {
  id: string; name: string; description: string; is_default: Bool; is_public: Bool; extra_specs: Json
  created_at: Millis
}
export interface VolumesTable {
  id: string; project_id: string; user_id: string | null; name: string; description: string; size_gb: number
  volume_type: string; status: string; bootable: Bool; multiattach: Bool; image_id: string | null
  snapshot_id: string | null; source_volume_id: string | null; availability_zone: string; metadata: Json
  created_at: Millis; updated_at: Millis
}
export interface VolumeAttachmentsTable {
  id: string; project_id: string; volume_id: string; server_id: string; device: string; boot_index: number | null
  delete_on_termination: Bool; status: string; created_at: Millis
}
export interface SnapshotsTable {
  id: string; project_id: string; volume_id: string; name: string; description: string; size_gb: number
  status: string; metadata: Json; created_at: Millis; updated_at: Millis
}
export interface ServerGroupsTable {
  id: string; project_id: string; user_id: string; name: string; policy: string; partition_size: number | null
  created_at: Millis
}
export interface ServerGroupMembersTable {
  server_id: string; server_group_id: string; partition_number: number | null; created_at: Millis
}
export interface QuotasTable { project_id: string; resource: string; hard_limit: number; in_use: number }
export interface ServersTable {
  id: string; project_id: string; user_id: string; name: string; description: string | null
  image_id: string | null; flavor_id: string; vcpus: number; ram_mb: number; root_gb: number; ephemeral_gb: number
  key_name: string | null; vm_state: string; task_state: string | null; power_state: number
  host_id: string | null; availability_zone: string | null; locked: Bool; locked_reason: string | null
  metadata: Json; user_data: string | null; config_drive: string; disk_config: string
  access_ipv4: string; access_ipv6: string; reservation_id: string; launch_index: number
  boot_volume_id: string | null; os_type: string; progress: number
  previous_flavor_id: string | null; previous_host_id: string | null; previous_vm_state: string | null
  attributes: Json
  fault_code: number | null; fault_message: string | null; fault_details: string | null
  fault_created_at: Millis | null
  launched_at: Millis | null; terminated_at: Millis | null; created_at: Millis; updated_at: Millis
  deleted: Bool; deleted_at: Millis | null
}
export interface ServerActionsTable {
  id: string; server_id: string; project_id: string; user_id: string | null; action: string
  request_id: string | null; message: string | null; result: string | null; start_time: Millis
  finish_time: Millis | null
}
export interface TasksTable {
  id: string; kind: string; resource_id: string | null; project_id: string | null; payload: Json; status: string
  attempts: number; max_attempts: number; run_after: Millis; lease_owner: string | null
  lease_expires_at: Millis | null; deadline_at: Millis; last_error: string | null; created_at: Millis
  updated_at: Millis; finished_at: Millis | null
}

export interface Database {
  projects: ProjectsTable
  users: UsersTable
  tokens: TokensTable
  access_keys: AccessKeysTable
  availability_zones: AvailabilityZonesTable
  hosts: HostsTable
  host_allocations: HostAllocationsTable
  flavors: FlavorsTable
  images: ImagesTable
  image_members: ImageMembersTable
  keypairs: KeypairsTable
  networks: NetworksTable
  subnets: SubnetsTable
  security_groups: SecurityGroupsTable
  security_group_rules: SecurityGroupRulesTable
  ports: PortsTable
  port_security_groups: PortSecurityGroupsTable
  floating_ips: FloatingIpsTable
  volume_types: VolumeTypesTable
  volumes: VolumesTable
  volume_attachments: VolumeAttachmentsTable
  snapshots: SnapshotsTable
  server_groups: ServerGroupsTable
  server_group_members: ServerGroupMembersTable
  quotas: QuotasTable
  servers: ServersTable
  server_actions: ServerActionsTable
  tasks: TasksTable
}
