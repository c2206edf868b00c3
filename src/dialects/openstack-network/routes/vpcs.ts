import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { errorResponses, IdParams, type ListQuery } from '../schemas/common.ts'
import {
  VPC_ATTRIBUTES, VPC_SUBNET_ATTRIBUTES, VpcListQuery, VpcListResponse, VpcResponse, VpcSubnetListQuery, VpcSubnetListResponse,
  VpcSubnetResponse,
} from '../schemas/vpcs.ts'
import { listCollection, parseListQuery, singleFilter } from '../views/collection.ts'
import { networkFilter } from '../views/networks.ts'
import { VpcReader } from '../views/vpcs.ts'
import { neutronRoute, ownerOf } from './route.ts'

/** NHN Cloud's read-only VPC and VPC subnet views of the caller's networks and subnets. */
export function vpcRoutes(api: DialectApp, { services: { networks } }: DialectContext): void {
  neutronRoute(api, {
    method: 'GET',
    url: '/vpcs',
    schema: {
      operationId: 'listVpcs', tags: ['vpcs'], querystring: VpcListQuery, response: { 200: VpcListResponse, ...errorResponses(400) },
    },
    handler: async (request) => {
      const owner = ownerOf(request)
      const reader = new VpcReader(networks, owner)
      const list = parseListQuery(request.query as ListQuery, VPC_ATTRIBUTES)
      const filter = networkFilter(list.filters)
      const { items, links } = await listCollection(request, list, {
        page: (page) => networks.listNetworks(owner, filter, page),
        toWire: (items) => Promise.all(items.map((network) => reader.vpc(network))),
      })
      return { vpcs: items, ...(links.length > 0 ? { networks_links: links } : {}) }
    },
  })

  neutronRoute(api, {
    method: 'GET',
    url: '/vpcs/:id',
    schema: { operationId: 'showVpc', tags: ['vpcs'], params: IdParams, response: { 200: VpcResponse, ...errorResponses(404) } },
    handler: async (request) => {
      const owner = ownerOf(request)
      const network = await networks.getNetwork(owner, (request.params as IdParams).id)
      return { vpc: await new VpcReader(networks, owner).vpcDetail(network) }
    },
  })

  neutronRoute(api, {
    method: 'GET',
    url: '/vpcsubnets',
    schema: {
      operationId: 'listVpcSubnets', tags: ['vpcs'], querystring: VpcSubnetListQuery,
      response: { 200: VpcSubnetListResponse, ...errorResponses(400) },
    },
    handler: async (request) => {
      const owner = ownerOf(request)
      const reader = new VpcReader(networks, owner)
      const list = parseListQuery(request.query as ListQuery, VPC_SUBNET_ATTRIBUTES)
      const filter = {
        id: singleFilter(list.filters, 'id'), name: singleFilter(list.filters, 'name'),
        networkId: singleFilter(list.filters, 'vpc_id'), cidr: singleFilter(list.filters, 'cidr'),
      }
      const { items, links } = await listCollection(request, list, {
        page: (page) => networks.listSubnets(owner, filter, page),
        toWire: (items) => Promise.all(items.map((subnet) => reader.vpcSubnet(subnet))),
      })
      return { vpcsubnets: items, ...(links.length > 0 ? { subnets_links: links } : {}) }
    },
  })

  neutronRoute(api, {
    method: 'GET',
    url: '/vpcsubnets/:id',
    schema: {
      operationId: 'showVpcSubnet', tags: ['vpcs'], params: IdParams, response: { 200: VpcSubnetResponse, ...errorResponses(404) },
    },
    handler: async (request) => {
      const owner = ownerOf(request)
      const subnet = await networks.getSubnet(owner, (request.params as IdParams).id)
      return { vpcsubnet: await new VpcReader(networks, owner).vpcSubnet(subnet) }
    },
  })
}
