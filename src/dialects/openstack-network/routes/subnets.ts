import type { Subnet as CoreSubnet } from '../../../core/networks/network.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import {
  Subnet, SUBNET_ATTRIBUTES, SubnetCreateBody, SubnetListQuery, SubnetUpdateBody, type SubnetCreate, type SubnetUpdate,
} from '../schemas/subnets.ts'
import { subnetCreateInput, subnetFilter, subnetUpdateInput, subnetView } from '../views/subnets.ts'
import { resourceRoutes } from './resource-routes.ts'

export function subnetRoutes(api: DialectApp, { services: { networks } }: DialectContext): void {
  resourceRoutes<CoreSubnet, Subnet>(api, {
    singular: 'subnet', plural: 'subnets', title: 'Subnet', view: Subnet, attributes: SUBNET_ATTRIBUTES,
    listQuery: SubnetListQuery,
    toWire: async (_owner, items) => items.map(subnetView),
    list: (owner, filters, page) => networks.listSubnets(owner, subnetFilter(filters), page),
    get: (owner, id) => networks.getSubnet(owner, id),
    create: {
      body: SubnetCreateBody,
      run: (owner, body) => networks.createSubnet(owner, subnetCreateInput(body as SubnetCreate, owner)),
    },
    update: {
      body: SubnetUpdateBody,
      run: (owner, id, body) => networks.updateSubnet(owner, id, subnetUpdateInput(body as SubnetUpdate)),
    },
    delete: (owner, id) => networks.deleteSubnet(owner, id),
  })
}
