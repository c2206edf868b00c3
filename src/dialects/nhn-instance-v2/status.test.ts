import { describe, expect, it } from 'vitest'
import type { TaskState, VmState } from '../../core/servers/server.ts'
import { novaStatus, statusSelection } from './status.ts'

const status = (vmState: VmState, taskState: TaskState | null = null) => novaStatus({ vmState, taskState })

describe('novaStatus', () => {
  it('names each resting vm_state as Nova does', () => {
    expect([
      status('building'), status('active'), status('stopped'), status('paused'), status('suspended'),
      status('resized'), status('rescued'), status('error'), status('deleted'),
    ]).toEqual(['BUILD', 'ACTIVE', 'SHUTOFF', 'PAUSED', 'SUSPENDED', 'VERIFY_RESIZE', 'RESCUE', 'ERROR', 'DELETED'])
  })

  it('shows a build as BUILD whatever step it is at', () => {
    for (const task of ['scheduling', 'networking', 'block_device_mapping', 'spawning'] as const) {
      expect(status('building', task)).toBe('BUILD')
    }
  })

  it('shows the transitions that have a status of their own (CATALOG §3.4)', () => {
    expect(status('active', 'rebooting')).toBe('REBOOT')
    for (const vm of ['active', 'stopped', 'paused', 'suspended', 'error'] as const) {
      expect(status(vm, 'rebooting_hard')).toBe('HARD_REBOOT')
    }
    for (const task of ['resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish'] as const) {
      expect(status('active', task)).toBe('RESIZE')
      expect(status('stopped', task)).toBe('RESIZE')
    }
    expect(status('resized', 'resize_reverting')).toBe('REVERT_RESIZE')
    expect(status('resized', 'resize_confirming')).toBe('VERIFY_RESIZE')
    expect(status('active', 'rebuilding')).toBe('REBUILD')
    expect(status('stopped', 'rebuilding')).toBe('REBUILD')
    expect(status('error', 'rebuilding')).toBe('REBUILD')
  })

  it('keeps the resting status while other tasks run (task_state tells them apart)', () => {
    expect(status('active', 'powering-off')).toBe('ACTIVE')
    expect(status('stopped', 'powering-on')).toBe('SHUTOFF')
    expect(status('active', 'image_snapshot')).toBe('ACTIVE')
    expect(status('stopped', 'deleting')).toBe('SHUTOFF')
    expect(status('paused', 'unpausing')).toBe('PAUSED')
    expect(status('error', 'deleting')).toBe('ERROR')
  })

  it('answers UNKNOWN for a vm_state it does not know', () => {
    expect(novaStatus({ vmState: 'shelved' as VmState, taskState: null })).toBe('UNKNOWN')
  })
})

describe('statusSelection', () => {
  it('selects a whole vm_state for a resting status, without a task filter (Nova)', () => {
    expect(statusSelection(['ACTIVE'])).toEqual({ vmStates: ['active'] })
    expect(statusSelection(['shutoff'])).toEqual({ vmStates: ['stopped'] })
    expect(statusSelection(['VERIFY_RESIZE'])).toEqual({ vmStates: ['resized'] })
  })

  it('selects the task_states of a transitional status', () => {
    expect(statusSelection(['REBOOT'])).toEqual({ vmStates: ['active'], taskStates: ['rebooting'] })
    const hard = statusSelection(['HARD_REBOOT'])!
    expect([...hard.vmStates].sort()).toEqual(['active', 'error', 'paused', 'stopped', 'suspended'])
    expect(hard.taskStates).toEqual(['rebooting_hard'])
    expect(statusSelection(['REVERT_RESIZE'])).toEqual({ vmStates: ['resized'], taskStates: ['resize_reverting'] })
  })

  it('accepts the seed tables names as aliases', () => {
    expect(statusSelection(['BUILDING'])).toEqual(statusSelection(['BUILD']))
    expect(statusSelection(['STOPPED'])).toEqual(statusSelection(['SHUTOFF']))
    expect(statusSelection(['RESIZED'])).toEqual(statusSelection(['RESIZE']))
    expect(statusSelection(['RESCUED'])).toEqual(statusSelection(['RESCUE']))
    expect(statusSelection(['RESIZED'])?.taskStates).toContain('resize_prep')
  })

  it('combines several statuses, dropping the task filter when one of them is a resting status', () => {
    const both = statusSelection(['ACTIVE', 'STOPPED'])!
    expect([...both.vmStates].sort()).toEqual(['active', 'stopped'])
    expect(both.taskStates).toBeUndefined()
  })

  it('matches nothing for an unknown status or one the core never produces', () => {
    expect(statusSelection(['SLEEPING'])).toBeNull()
    expect(statusSelection(['MIGRATING'])).toBeNull()
    expect(statusSelection(['UNKNOWN'])).toBeNull()
  })
})
