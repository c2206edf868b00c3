import type { FloatingIp as CoreFloatingIp } from '../../../core/networks/network.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import {
  FloatingIp, FLOATING_IP_ATTRIBUTES, FloatingIpCreateBody, FloatingIpListQuery, FloatingIpUpdateBody,
  type FloatingIpCreate, type FloatingIpUpdate,
} from '../schemas/floating-ips.ts'
import { floatingIpCreateInput, floatingIpFilter, floatingIpView, updateFloatingIp } from '../views/floating-ips.ts'
import { resourceRoutes } from './resource-routes.ts'

export function floatingIpRoutes(api: DialectApp, { services: { networks } }: DialectContext): void {
  resourceRoutes<CoreFloatingIp, FloatingIp>(api, {
    singular: 'floatingip', plural: 'floatingips', title: 'FloatingIp', view: FloatingIp, attributes: FLOATING_IP_ATTRIBUTES,
    listQuery: FloatingIpListQuery,
    toWire: async (_owner, items) => items.map(floatingIpView),
    list: (owner, filters, page) => networks.listFloatingIps(owner, floatingIpFilter(filters), page),
    get: (owner, id) => networks.getFloatingIp(owner, id),
    create: {
      body: FloatingIpCreateBody,
      run: (owner, body) => networks.allocateFloatingIp(owner, floatingIpCreateInput(body as FloatingIpCreate, owner)),
    },
    update: {
      body: FloatingIpUpdateBody,
      run: (owner, id, body) => updateFloatingIp(networks, owner, id, body as FloatingIpUpdate),
    },
    delete: (owner, id) => networks.releaseFloatingIp(owner, id),
  })
}
