import { describe, expect, it } from 'vitest'
import type { TaskState, VmState } from '../../core/servers/server.ts'
import { V1_STATUSES, v1Status } from './status.ts'

describe('NHN v1.0 status from (vm_state, task_state)', () => {
  it.each<[VmState, TaskState | null, string]>([
    ['building', 'scheduling', 'BUILD'],
    ['building', 'spawning', 'BUILD'],
    ['active', null, 'ACTIVE'],
    ['active', 'powering-off', 'POWERING_OFF'],
    ['error', 'powering-off', 'POWERING_OFF'],
    ['stopped', null, 'STOP'],
    ['stopped', 'powering-on', 'POWERING_ON'],
    ['active', 'rebooting', 'REBOOTING'],
    ['stopped', 'rebooting_hard', 'REBOOTING'],
    ['active', 'resize_prep', 'RESIZING'],
    ['stopped', 'resize_migrating', 'RESIZING'],
    ['resized', null, 'RESIZING'],
    ['resized', 'resize_confirming', 'RESIZING'],
    ['resized', 'resize_reverting', 'RESIZING'],
    ['active', 'rebuilding', 'BUILD'],
    ['active', 'image_snapshot', 'ACTIVE'],
    ['stopped', 'image_uploading', 'STOP'],
    ['paused', null, 'ACTIVE'],
    ['active', 'pausing', 'ACTIVE'],
    ['suspended', null, 'STOP'],
    ['active', 'suspending', 'POWERING_OFF'],
    ['suspended', 'resuming', 'POWERING_ON'],
    ['rescued', null, 'ACTIVE'],
    ['active', 'deleting', 'DELETING'],
    ['error', 'deleting', 'DELETING'],
    ['building', 'deleting', 'DELETING'],
    ['error', null, 'ERROR'],
  ])('%s / %s → %s', (vmState, taskState, expected) => {
    expect(v1Status({ vmState, taskState })).toBe(expected)
  })

  it('only ever answers with a status of the documented list', () => {
    const vmStates: VmState[] = ['building', 'active', 'stopped', 'paused', 'suspended', 'resized', 'rescued', 'error', 'deleted']
    const taskStates: (TaskState | null)[] = [null, 'scheduling', 'networking', 'block_device_mapping', 'spawning',
      'powering-off', 'powering-on', 'rebooting', 'rebooting_hard', 'resize_prep', 'resize_migrating', 'resize_migrated',
      'resize_finish', 'resize_reverting', 'resize_confirming', 'image_snapshot', 'image_uploading', 'rebuilding', 'pausing',
      'unpausing', 'suspending', 'resuming', 'deleting']
    for (const vmState of vmStates) {
      for (const taskState of taskStates) expect(V1_STATUSES).toContain(v1Status({ vmState, taskState }))
    }
  })
})
