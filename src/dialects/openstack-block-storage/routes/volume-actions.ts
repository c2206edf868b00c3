/**
 * `POST /volumes/{id}/action`: one action key per body. Extend, bootable and read-only flag are served.
 * Cinder's attach bookkeeping (os-reserve … os-detach, connections) is driven by Nova in OpenStack; in
 * Gureum the compute API attaches volumes through the core, which has no separate block-storage attach
 * API, so those actions answer 501 with where to go instead. Unknown actions are 400 as in Cinder.
 */
import { Value } from 'typebox/value'
import { Type, type Static, type TSchema } from 'typebox'
import { badRequest, notSupported } from '../../../core/shared/errors.ts'
import type { Owner } from '../../../core/shared/owner.ts'
import type { DialectContext } from '../../shared/context.ts'
import type { DialectApp } from '../../shared/listener.ts'
import { atLeast, type VolumeApiVersion } from '../microversion.ts'
import { NoContent, sendEmpty, cinderErrors } from '../schemas/common.ts'
import { BooleanLike, VolumeActionBody, VolumeParams } from '../schemas/volumes.ts'
import { booleanOf } from '../views/common.ts'
import type { VolumeService } from '../../../core/volumes/volume-service.ts'

const ATTACH_ACTIONS = new Set([
  'os-reserve', 'os-unreserve', 'os-begin_detaching', 'os-roll_detaching', 'os-attach', 'os-detach',
  'os-initialize_connection', 'os-terminate_connection', 'os-force_detach',
])

/** Cinder actions that exist but that this cloud does not perform. */
const UNSUPPORTED_ACTIONS = new Set([
  'os-retype', 'os-migrate_volume', 'os-migrate_volume_completion', 'os-volume_upload_image', 'revert',
  'os-reset_status', 'os-force_delete', 'os-set_image_metadata', 'os-unset_image_metadata', 'os-show_image_metadata',
  'os-unmanage', 'os-reimage',
])

const ExtendArgs = Type.Object({ new_size: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-9]+$' })]) }, { additionalProperties: false })
const BootableArgs = Type.Object({ bootable: BooleanLike }, { additionalProperties: false })
const ReadonlyArgs = Type.Object({ readonly: BooleanLike }, { additionalProperties: false })

function argsOf<T extends TSchema>(schema: T, args: unknown, action: string): Static<T> {
  if (!Value.Check(schema, args)) throw badRequest(`Invalid input for field/attribute ${action}. Value: ${JSON.stringify(args)}.`, action)
  return args as Static<T>
}

interface ActionContext {
  readonly volumes: VolumeService
  readonly owner: Owner
  readonly volumeId: string
  readonly version: VolumeApiVersion
}

/** Each served action: the status it answers with once done. */
const ACTIONS: Readonly<Record<string, (context: ActionContext, args: unknown) => Promise<202 | 200>>> = {
  'os-extend': async ({ volumes, owner, volumeId, version }, args) => {
    const { new_size: newSize } = argsOf(ExtendArgs, args, 'os-extend')
    // Extending an attached volume came with microversion 3.42; before it Cinder wants it available.
    if (!atLeast(version, 42) && (await volumes.get(owner, volumeId)).status !== 'available') {
      throw badRequest("Invalid volume: Volume status must be 'available' to extend (extending an in-use volume needs microversion 3.42).", 'os-extend')
    }
    await volumes.extend(owner, volumeId, Number(newSize))
    return 202
  },
  'os-set_bootable': async ({ volumes, owner, volumeId }, args) => {
    const { bootable } = argsOf(BootableArgs, args, 'os-set_bootable')
    await volumes.setBootable(owner, volumeId, booleanOf(bootable, 'bootable'))
    return 200
  },
  // Cinder keeps the flag in admin metadata and shows it in the volume's metadata as readonly="True"/"False".
  'os-update_readonly_flag': async ({ volumes, owner, volumeId }, args) => {
    const { readonly } = argsOf(ReadonlyArgs, args, 'os-update_readonly_flag')
    await volumes.setMetadata(owner, volumeId, { readonly: booleanOf(readonly, 'readonly') ? 'True' : 'False' }, 'merge')
    return 202
  },
}

async function refuse(context: ActionContext, action: string): Promise<never> {
  await context.volumes.get(context.owner, context.volumeId)
  if (ATTACH_ACTIONS.has(action)) {
    throw notSupported(`${action} is not supported: attach and detach volumes through the compute API `
      + '(POST /v2.1/{project_id}/servers/{server_id}/os-volume_attachments), which keeps the volume status here.')
  }
  throw notSupported(`Volume action ${action} is not supported by this cloud.`)
}

export function volumeActionRoutes(app: DialectApp, { services: { volumes } }: DialectContext): void {
  app.route({
    method: 'POST',
    url: '/volumes/:volumeId/action',
    schema: {
      operationId: 'volumeAction', tags: ['volume actions'], params: VolumeParams, body: VolumeActionBody,
      response: { 200: NoContent, 202: NoContent, ...cinderErrors(404, 413, 501) },
    },
    handler: async (request, reply) => {
      const [action, args] = Object.entries(request.body)[0]
      const context = { volumes, owner: request.auth!.owner, volumeId: request.params.volumeId, version: request.volumeApiVersion }
      const run = ACTIONS[action]
      if (run) return sendEmpty(reply, await run(context, args))
      if (ATTACH_ACTIONS.has(action) || UNSUPPORTED_ACTIONS.has(action)) return refuse(context, action)
      throw badRequest(`There is no such action: ${action}`, 'action')
    },
  })
}
