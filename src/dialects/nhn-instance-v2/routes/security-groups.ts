/**
 * Nova's os-security-groups proxy, read side, and a server's groups (not in the seeds): openstackclient's
 * `server add security group` looks the group up here before it posts `addSecurityGroup`. Groups are
 * Neutron's (the network listener manages them); 404 from 2.36, where Nova removed the proxies.
 */
import type { FastifyRequest } from 'fastify'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { MAX_PAGE_SIZE, TenantParams } from '../schemas/common.ts'
import { faultResponses } from '../schemas/responses.ts'
import {
  NovaSecurityGroupList, NovaSecurityGroupShow, SecurityGroupListQuery, SecurityGroupParams,
} from '../schemas/security-groups.ts'
import { ServerParams } from '../schemas/servers.ts'
import { groupByIdOrName, groupPage, novaSecurityGroup, requireProxyVersion } from '../views/security-groups.ts'

const tags = ['security-groups']

export function securityGroupRoutes(api: DialectApp, { services }: DialectContext): void {
  const { networks, servers } = services

  // A project's groups are few (its security_groups quota); rules name remote groups by id, so the
  // views need the whole set.
  const projectGroups = async (request: FastifyRequest) => {
    requireProxyVersion(request.microversion)
    const groups = (await networks.listSecurityGroups(request.auth!.owner, {}, { limit: MAX_PAGE_SIZE, marker: null })).items
    return { groups, byId: new Map(groups.map((group) => [group.id, group])) }
  }

  api.get('/:tenantId/os-security-groups', {
    schema: {
      operationId: 'listSecurityGroups', tags, params: TenantParams, querystring: SecurityGroupListQuery,
      response: { 200: NovaSecurityGroupList, ...faultResponses(404) },
    },
  }, async (request) => {
    const { groups, byId } = await projectGroups(request)
    return { security_groups: groupPage(groups, request.query).map((group) => novaSecurityGroup(group, byId)) }
  })

  api.get('/:tenantId/os-security-groups/:securityGroupId', {
    schema: {
      operationId: 'showSecurityGroup', tags, params: SecurityGroupParams,
      response: { 200: NovaSecurityGroupShow, ...faultResponses(404) },
    },
  }, async (request) => {
    const { groups, byId } = await projectGroups(request)
    return { security_group: novaSecurityGroup(groupByIdOrName(groups, request.params.securityGroupId), byId) }
  })

  api.get('/:tenantId/servers/:serverId/os-security-groups', {
    schema: {
      operationId: 'listServerSecurityGroups', tags, params: ServerParams,
      response: { 200: NovaSecurityGroupList, ...faultResponses(404) },
    },
  }, async (request) => {
    const { groups, byId } = await projectGroups(request)
    const server = await servers.get(request.auth!.owner, request.params.serverId)
    const names = new Set((await servers.describe(request.auth!.owner, [server])).get(server.id)?.securityGroupNames)
    return { security_groups: groups.filter((group) => names.has(group.name)).map((group) => novaSecurityGroup(group, byId)) }
  })
}
