import { describe, expect, it } from 'vitest'
import { DomainError } from '../shared/errors.ts'
import type { TaskState, VmState } from './server.ts'
import { assertActionAllowed, isActionAllowed, serverActionRules, type ServerAction } from './server-states.ts'

const vmStates: VmState[] = ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error', 'deleted']

/**
 * The expected table, written out independently of serverActionRules: for each action, the vm_states
 * from which it may start when the server is idle (task_state null). Sources: seeds 001/002 §actions
 * (start ← SHUTOFF; stop ← ACTIVE, ERROR; SOFT ← ACTIVE; HARD ← ACTIVE, ERROR, PAUSED, SHUTOFF,
 * SUSPENDED; resize ← ACTIVE, SHUTOFF; createImage ← ACTIVE, SHUTOFF, SUSPENDED, PAUSED) and Nova.
 */
const allowedWhenIdle: Record<ServerAction, VmState[]> = {
  delete: ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error'],
  start: ['stopped'],
  stop: ['active', 'error', 'rescued'],
  reboot_soft: ['active'],
  reboot_hard: ['active', 'stopped', 'paused', 'suspended', 'error'],
  resize: ['active', 'stopped'],
  confirm_resize: ['resized'],
  revert_resize: ['resized'],
  rebuild: ['active', 'stopped', 'error'],
  pause: ['active'],
  unpause: ['paused'],
  suspend: ['active'],
  resume: ['suspended'],
  lock: ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error'],
  unlock: ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error'],
  create_image: ['active', 'stopped', 'paused', 'suspended'],
  attach_volume: ['active', 'stopped', 'paused', 'suspended', 'resized'],
  detach_volume: ['active', 'stopped', 'paused', 'suspended', 'resized'],
  attach_interface: ['active', 'stopped', 'paused'],
  detach_interface: ['active', 'stopped', 'paused'],
  add_security_group: ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error'],
  remove_security_group: ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error'],
  add_floating_ip: ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error'],
  remove_floating_ip: ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error'],
  update: ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error'],
}

const actions = Object.keys(serverActionRules) as ServerAction[]

describe('server state machine', () => {
  it('covers every action', () => {
    expect(actions.sort()).toEqual((Object.keys(allowedWhenIdle) as ServerAction[]).sort())
  })

  for (const action of actions) {
    for (const vmState of vmStates) {
      const allowed = allowedWhenIdle[action].includes(vmState)
      it(`${action} from ${vmState} (idle) is ${allowed ? 'allowed' : 'a conflict'}`, () => {
        const server = { id: 's1', vmState, taskState: null, locked: false }
        expect(isActionAllowed(action, server)).toBe(allowed)
        if (allowed) {
          expect(() => assertActionAllowed(action, server, { isAdmin: false })).not.toThrow()
        } else {
          let error: unknown
          try {
            assertActionAllowed(action, server, { isAdmin: false })
          } catch (caught) {
            error = caught
          }
          expect(error).toBeInstanceOf(DomainError)
          expect((error as DomainError).kind).toBe('invalid_state')
          expect((error as DomainError).message).toContain(`vm_state ${vmState}`)
        }
      })
    }
  }

  it('refuses state-changing actions while another task runs, naming the task_state', () => {
    const busy = { id: 's1', vmState: 'active' as VmState, taskState: 'powering-off' as TaskState, locked: false }
    for (const action of ['start', 'stop', 'reboot_soft', 'resize', 'rebuild', 'pause', 'create_image'] as ServerAction[]) {
      expect(() => assertActionAllowed(action, busy, { isAdmin: false })).toThrow(/task_state powering-off/)
    }
    // A delete interrupts any task but another delete.
    expect(isActionAllowed('delete', busy)).toBe(true)
    expect(isActionAllowed('delete', { ...busy, taskState: 'deleting' })).toBe(false)
  })

  it('lets a HARD reboot interrupt a reboot in progress (seeds: from REBOOT and HARD_REBOOT)', () => {
    expect(isActionAllowed('reboot_hard', { vmState: 'active', taskState: 'rebooting' })).toBe(true)
    expect(isActionAllowed('reboot_hard', { vmState: 'active', taskState: 'rebooting_hard' })).toBe(true)
    expect(isActionAllowed('reboot_soft', { vmState: 'active', taskState: 'rebooting' })).toBe(false)
  })

  it('blocks mutating actions on a locked server for non-admins only; lock and unlock always pass', () => {
    const locked = { id: 's1', vmState: 'active' as VmState, taskState: null, locked: true }
    expect(() => assertActionAllowed('stop', locked, { isAdmin: false })).toThrow(/locked/)
    expect(() => assertActionAllowed('delete', locked, { isAdmin: false })).toThrow(/locked/)
    expect(() => assertActionAllowed('stop', locked, { isAdmin: true })).not.toThrow()
    expect(() => assertActionAllowed('unlock', locked, { isAdmin: false })).not.toThrow()
    expect(() => assertActionAllowed('update', locked, { isAdmin: false })).not.toThrow()
  })

  it('names the task_state each asynchronous action sets', () => {
    expect(serverActionRules.stop.sets).toBe('powering-off')
    expect(serverActionRules.start.sets).toBe('powering-on')
    expect(serverActionRules.reboot_hard.sets).toBe('rebooting_hard')
    expect(serverActionRules.resize.sets).toBe('resize_prep')
    expect(serverActionRules.delete.sets).toBe('deleting')
    expect(serverActionRules.attach_volume.sets).toBeNull()
  })
})
