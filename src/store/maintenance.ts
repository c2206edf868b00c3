import { sql } from 'kysely'
import type { StoreMaintenance } from '../core/ports/maintenance.ts'
import type { DatabaseHandle } from './database.ts'

export function createMaintenance(handle: DatabaseHandle): StoreMaintenance {
  return {
    async resetTenantResources(keepNetworkNames) {
      await handle.db.transaction().execute(async (trx) => {
        for (const table of ['server_actions', 'tasks', 'host_allocations', 'server_group_members', 'server_groups',
          'volume_attachments', 'snapshots', 'volumes', 'floating_ips', 'port_security_groups', 'ports', 'servers',
          'keypairs', 'image_members'] as const) {
          await trx.deleteFrom(table).execute()
        }
        await trx.deleteFrom('images').where('owner_project_id', 'is not', null).execute()
        await trx.deleteFrom('security_groups').where('name', '!=', 'default').execute()
        const keep = keepNetworkNames.length > 0 ? [...keepNetworkNames] : ['']
        await trx.deleteFrom('networks').where('project_id', 'is not', null).where('name', 'not in', keep).execute()
        await trx.updateTable('hosts').set({ vcpus_used: 0, ram_mb_used: 0, disk_gb_used: 0, server_count: 0 }).execute()
        await trx.updateTable('quotas').set({ in_use: 0 }).execute()
        const counts: [string, string][] = [
          ['networks', 'networks'], ['subnets', 'subnets'], ['security_groups', 'security_groups'],
          ['security_group_rules', 'security_group_rules'],
        ]
        for (const [resource, table] of counts) {
          await sql`update quotas set in_use = (select count(*) from ${sql.table(table)} t where t.project_id = quotas.project_id)
            where resource = ${resource}`.execute(trx)
        }
      })
    },
  }
}
