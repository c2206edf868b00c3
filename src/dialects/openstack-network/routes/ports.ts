import type { Port as CorePort } from '../../../core/networks/network.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import {
  Port, PORT_ATTRIBUTES, PortCreateBody, PortListQuery, PortUpdateBody, type PortCreate, type PortUpdate,
} from '../schemas/ports.ts'
import { portCreateInput, portFilter, portSpecialFilters, portUpdateInput, portView } from '../views/ports.ts'
import { resourceRoutes } from './resource-routes.ts'

export function portRoutes(api: DialectApp, { services: { networks } }: DialectContext): void {
  resourceRoutes<CorePort, Port>(api, {
    singular: 'port', plural: 'ports', title: 'Port', view: Port, attributes: PORT_ATTRIBUTES,
    listQuery: PortListQuery, special: portSpecialFilters,
    toWire: async (_owner, items) => items.map(portView),
    list: (owner, filters, page) => networks.listPorts(owner, portFilter(filters), page),
    get: (owner, id) => networks.getPort(owner, id),
    create: { body: PortCreateBody, run: (owner, body) => networks.createPort(owner, portCreateInput(body as PortCreate, owner)) },
    update: { body: PortUpdateBody, run: (owner, id, body) => networks.updatePort(owner, id, portUpdateInput(body as PortUpdate)) },
    delete: (owner, id) => networks.deletePort(owner, id),
  })
}
