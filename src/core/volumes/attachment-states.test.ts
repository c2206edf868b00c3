import { describe, expect, it } from 'vitest'
import { chooseDevice, deviceLetters, isValidDeviceName, volumeStatusFor } from './attachment-states.ts'

describe('volumeStatusFor', () => {
  it('follows the attachments', () => {
    expect(volumeStatusFor([])).toBe('available')
    expect(volumeStatusFor([{ status: 'attaching' }])).toBe('attaching')
    expect(volumeStatusFor([{ status: 'attached' }])).toBe('in-use')
    expect(volumeStatusFor([{ status: 'detaching' }])).toBe('detaching')
  })

  it('keeps a multi-attached volume in-use while another server attaches or detaches', () => {
    expect(volumeStatusFor([{ status: 'attached' }, { status: 'attaching' }])).toBe('in-use')
    expect(volumeStatusFor([{ status: 'detaching' }, { status: 'attached' }])).toBe('in-use')
  })
})

describe('device names', () => {
  it('numbers letters the way Nova does', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(deviceLetters)).toEqual(['a', 'b', 'z', 'aa', 'ab', 'az', 'ba'])
  })

  it('gives the requested device when free, else the next free one after the root', () => {
    expect(chooseDevice(new Set(), undefined, null)).toBe('/dev/vdb')
    expect(chooseDevice(new Set(['/dev/vdb']), undefined, null)).toBe('/dev/vdc')
    expect(chooseDevice(new Set(['/dev/vdb']), '/dev/vdf', null)).toBe('/dev/vdf')
    expect(chooseDevice(new Set(['/dev/vdb', '/dev/vdc']), '/dev/vdb', null)).toBe('/dev/vdd')
  })

  it('reserves /dev/vda for the boot volume', () => {
    expect(chooseDevice(new Set(), undefined, 0)).toBe('/dev/vda')
    expect(chooseDevice(new Set(), '/dev/vda', 1)).toBe('/dev/vdb')
    const all = new Set(Array.from({ length: 25 }, (_, index) => `/dev/vd${deviceLetters(index + 1)}`))
    expect(chooseDevice(all, undefined, null)).toBe('/dev/vdaa')
  })

  it('accepts Nova-style device names only', () => {
    expect(isValidDeviceName('/dev/vdb')).toBe(true)
    expect(isValidDeviceName('/dev/xvdc')).toBe(true)
    expect(isValidDeviceName('/dev/sda1')).toBe(true)
    expect(isValidDeviceName('vdb')).toBe(false)
    expect(isValidDeviceName('/dev/../etc')).toBe(false)
  })
})
