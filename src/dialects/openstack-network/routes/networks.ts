import type { Network as CoreNetwork } from '../../../core/networks/network.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import {
  Network, NETWORK_ATTRIBUTES, NetworkCreateBody, NetworkListQuery, NetworkUpdateBody, type NetworkCreate, type NetworkUpdate,
} from '../schemas/networks.ts'
import { networkCreateInput, networkFilter, networkUpdateInput, networkView } from '../views/networks.ts'
import { resourceRoutes } from './resource-routes.ts'

export function networkRoutes(api: DialectApp, { services: { networks } }: DialectContext): void {
  resourceRoutes<CoreNetwork, Network>(api, {
    singular: 'network', plural: 'networks', title: 'Network', view: Network, attributes: NETWORK_ATTRIBUTES,
    listQuery: NetworkListQuery,
    toWire: async (_owner, items) => items.map(networkView),
    list: (owner, filters, page) => networks.listNetworks(owner, networkFilter(filters), page),
    get: (owner, id) => networks.getNetwork(owner, id),
    create: {
      body: NetworkCreateBody,
      run: (owner, body) => networks.createNetwork(owner, networkCreateInput(body as NetworkCreate, owner)),
    },
    update: {
      body: NetworkUpdateBody,
      run: (owner, id, body) => networks.updateNetwork(owner, id, networkUpdateInput(body as NetworkUpdate)),
    },
    delete: (owner, id) => networks.deleteNetwork(owner, id),
  })
}
