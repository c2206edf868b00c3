import type { SecurityGroup as CoreSecurityGroup, SecurityGroupRule as CoreRule } from '../../../core/networks/network.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import {
  SecurityGroup, SECURITY_GROUP_ATTRIBUTES, SECURITY_GROUP_RULE_ATTRIBUTES, SecurityGroupCreateBody, SecurityGroupListQuery,
  SecurityGroupRule, SecurityGroupRuleCreateBody, SecurityGroupRuleListQuery, SecurityGroupUpdateBody,
  type SecurityGroupCreate, type SecurityGroupRuleCreate, type SecurityGroupUpdate,
} from '../schemas/security-groups.ts'
import {
  securityGroupCreateInput, securityGroupFilter, securityGroupRuleFilter, securityGroupRuleInput, securityGroupRuleView,
  securityGroupUpdateInput, securityGroupView,
} from '../views/security-groups.ts'
import { resourceRoutes } from './resource-routes.ts'

export function securityGroupRoutes(api: DialectApp, { services: { networks } }: DialectContext): void {
  resourceRoutes<CoreSecurityGroup, SecurityGroup>(api, {
    singular: 'security_group', plural: 'security_groups', path: 'security-groups', title: 'SecurityGroup', view: SecurityGroup,
    attributes: SECURITY_GROUP_ATTRIBUTES, listQuery: SecurityGroupListQuery,
    toWire: async (_owner, items) => items.map(securityGroupView),
    list: (owner, filters, page) => networks.listSecurityGroups(owner, securityGroupFilter(filters), page),
    get: (owner, id) => networks.getSecurityGroup(owner, id),
    create: {
      body: SecurityGroupCreateBody,
      run: (owner, body) => networks.createSecurityGroup(owner, securityGroupCreateInput(body as SecurityGroupCreate, owner)),
    },
    update: {
      body: SecurityGroupUpdateBody,
      run: (owner, id, body) => networks.updateSecurityGroup(owner, id, securityGroupUpdateInput(body as SecurityGroupUpdate)),
    },
    delete: (owner, id) => networks.deleteSecurityGroup(owner, id),
  })

  resourceRoutes<CoreRule, SecurityGroupRule>(api, {
    singular: 'security_group_rule', plural: 'security_group_rules', path: 'security-group-rules', title: 'SecurityGroupRule', view: SecurityGroupRule,
    attributes: SECURITY_GROUP_RULE_ATTRIBUTES, listQuery: SecurityGroupRuleListQuery,
    toWire: async (_owner, items) => items.map(securityGroupRuleView),
    list: (owner, filters, page) => networks.listSecurityGroupRules(owner, securityGroupRuleFilter(filters), page),
    get: (owner, id) => networks.getSecurityGroupRule(owner, id),
    create: {
      body: SecurityGroupRuleCreateBody,
      run: (owner, body) => networks.createSecurityGroupRule(owner, securityGroupRuleInput(body as SecurityGroupRuleCreate, owner)),
    },
    delete: (owner, id) => networks.deleteSecurityGroupRule(owner, id),
  })
}
