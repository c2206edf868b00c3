import type { CreateSecurityGroupInput, UpdateSecurityGroupInput } from '../../../core/networks/network-service.ts'
import type { SecurityGroupFilter, SecurityGroupRuleFilter } from '../../../core/networks/network-repositories.ts'
import type { SecurityGroup as CoreSecurityGroup, SecurityGroupRule as CoreRule } from '../../../core/networks/network.ts'
import type { SecurityGroupRuleInput } from '../../../core/networks/security-group-rules.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import type {
  SecurityGroup, SecurityGroupCreate, SecurityGroupRule, SecurityGroupRuleCreate, SecurityGroupUpdate,
} from '../schemas/security-groups.ts'
import { singleFilter } from './collection.ts'
import { checkProjectAttributes, neutronTime, ownerAttributes, standardAttributes, unsupportedValue } from './common.ts'

export function securityGroupRuleView(rule: CoreRule): SecurityGroupRule {
  return {
    id: rule.id,
    security_group_id: rule.securityGroupId,
    direction: rule.direction,
    ethertype: rule.ethertype,
    protocol: rule.protocol,
    port_range_min: rule.portRangeMin,
    port_range_max: rule.portRangeMax,
    remote_ip_prefix: rule.remoteIpPrefix,
    remote_group_id: rule.remoteGroupId,
    remote_address_group_id: null,
    description: rule.description,
    ...ownerAttributes(rule.projectId),
    // Rules are never changed, only created and deleted.
    created_at: neutronTime(rule.createdAt),
    updated_at: neutronTime(rule.createdAt),
    revision_number: 1,
  }
}

export function securityGroupView(group: CoreSecurityGroup): SecurityGroup {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    ...ownerAttributes(group.projectId),
    security_group_rules: group.rules.map(securityGroupRuleView),
    stateful: true,
    shared: false,
    ...standardAttributes(group),
    tags: [],
  }
}

/** Groups are stateful (connection tracking) in Gureum's model. */
function checkStateful(stateful: boolean | undefined): void {
  if (stateful === false) throw unsupportedValue('stateful', 'stateless security groups are not supported')
}

export function securityGroupCreateInput(body: SecurityGroupCreate, owner: Owner): CreateSecurityGroupInput {
  checkProjectAttributes(body, owner)
  checkStateful(body.stateful)
  return { name: body.name ?? '', description: body.description }
}

export function securityGroupUpdateInput(body: SecurityGroupUpdate): UpdateSecurityGroupInput {
  checkStateful(body.stateful)
  return { name: body.name, description: body.description }
}

/** Port numbers arrive as integers or numeric strings; anything else is refused as Neutron does. */
function portNumber(value: number | string | null | undefined, attribute: string): number | null | undefined {
  if (typeof value !== 'string') return value
  if (!/^-?\d+$/.test(value.trim())) throw unsupportedValue(attribute, `'${value}' is not an integer`)
  return Number(value)
}

export function securityGroupRuleInput(body: SecurityGroupRuleCreate, owner: Owner): SecurityGroupRuleInput {
  checkProjectAttributes(body, owner)
  if (body.remote_address_group_id != null) {
    throw unsupportedValue('remote_address_group_id', 'address groups are not supported')
  }
  return {
    securityGroupId: body.security_group_id,
    direction: body.direction,
    ethertype: body.ethertype,
    protocol: body.protocol,
    portRangeMin: portNumber(body.port_range_min, 'port_range_min'),
    portRangeMax: portNumber(body.port_range_max, 'port_range_max'),
    remoteIpPrefix: body.remote_ip_prefix,
    remoteGroupId: body.remote_group_id,
    description: body.description,
  }
}

export function securityGroupFilter(filters: ReadonlyMap<string, readonly string[]>): SecurityGroupFilter {
  return { id: singleFilter(filters, 'id'), name: singleFilter(filters, 'name') }
}

export function securityGroupRuleFilter(filters: ReadonlyMap<string, readonly string[]>): SecurityGroupRuleFilter {
  return {
    id: singleFilter(filters, 'id'),
    securityGroupId: singleFilter(filters, 'security_group_id'),
    direction: singleFilter(filters, 'direction'),
    ethertype: singleFilter(filters, 'ethertype'),
    protocol: singleFilter(filters, 'protocol'),
  }
}
