/** Server actions: the action bodies → core commands (the answers are the server views or none). */
import type { RebuildCommand, ResizeCommand } from '../../../core/servers/server-commands.ts'
import { badRequest } from '../../../core/shared/errors.ts'
import { atLeast, type Microversion } from '../microversion.ts'
import type { ServerActionBody } from '../schemas/server-actions.ts'
import { idFromRef } from './servers.ts'

type Action<K extends keyof ServerActionBody> = Exclude<ServerActionBody[K], undefined>

export const SERVER_ACTIONS = [
  'os-start', 'os-stop', 'reboot', 'resize', 'confirmResize', 'revertResize', 'createImage', 'addSecurityGroup',
  'removeSecurityGroup', 'addFloatingIp', 'removeFloatingIp', 'rebuild', 'pause', 'unpause', 'suspend', 'resume',
  'lock', 'unlock', 'os-getConsoleOutput',
] as const satisfies readonly (keyof ServerActionBody)[]
export type ServerActionName = (typeof SERVER_ACTIONS)[number]

/** The one action a body asks for; several keys or an unknown one are a 400, as in Nova. */
export function requestedAction(body: ServerActionBody): ServerActionName {
  const keys = Object.keys(body)
  if (keys.length !== 1) throw badRequest('Malformed request body: too many body keys', 'action')
  const [name] = keys
  if (!(SERVER_ACTIONS as readonly string[]).includes(name)) throw badRequest(`There is no such action: ${name}`, 'action')
  return name as ServerActionName
}

export function rebootKind(body: Action<'reboot'>): 'soft' | 'hard' {
  return body.type.toLowerCase() === 'hard' ? 'hard' : 'soft'
}

export function resizeCommand(body: Action<'resize'>): ResizeCommand {
  return { flavorId: idFromRef(body.flavorRef), ...(body['OS-DCF:diskConfig'] ? { diskConfig: body['OS-DCF:diskConfig'] } : {}) }
}

export function rebuildCommand(body: Action<'rebuild'>, version: Microversion): RebuildCommand {
  if (body.description !== undefined && !atLeast(version, 19)) {
    throw badRequest("Invalid input for field/attribute rebuild. Reason: Additional properties are not allowed ('description' was unexpected)", 'description')
  }
  return {
    imageId: idFromRef(body.imageRef),
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
    ...(body.user_data !== undefined ? { userData: body.user_data } : {}),
    ...(body.key_name !== undefined ? { keyName: body.key_name } : {}),
  }
}

/** `length` of os-getConsoleOutput: lines from the end; absent, null or -1 means everything (Nova). */
export function consoleLines(body: Action<'os-getConsoleOutput'>): number | undefined {
  if (body.length === undefined || body.length === null) return undefined
  const lines = typeof body.length === 'number' ? body.length : Number.parseInt(body.length, 10)
  if (lines < -1) throw badRequest('Invalid input for field/attribute length. Value must be -1 or greater.', 'length')
  return lines === -1 ? undefined : lines
}
