import { describe, expect, it } from 'vitest'
import { ControllableClock, isAdvanceableClock } from './controllable-clock.ts'

const START = new Date('2024-01-01T00:00:00.000Z')

/** Lets every promise callback queued so far run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('ControllableClock', () => {
  it('a frozen clock stands still until advanced', async () => {
    const clock = new ControllableClock({ frozenAt: START })
    expect(clock.now()).toEqual(START)
    await flush()
    expect(clock.nowMs()).toBe(START.getTime())
    expect(clock.advance(1500)).toEqual(new Date(START.getTime() + 1500))
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:01.500Z')
  })

  it('an unfrozen clock reads real time plus the advanced offset', () => {
    const clock = new ControllableClock()
    const before = Date.now()
    clock.advance(3_600_000)
    const reading = clock.nowMs()
    const after = Date.now()
    expect(reading).toBeGreaterThanOrEqual(before + 3_600_000)
    expect(reading).toBeLessThanOrEqual(after + 3_600_000)
  })

  it('sleep resolves only once the clock reaches its target', async () => {
    const clock = new ControllableClock({ frozenAt: START })
    let woke = false
    const sleeping = clock.sleep(1000).then(() => { woke = true })
    expect(clock.pendingSleeps).toBe(1)
    clock.advance(999)
    await flush()
    expect(woke).toBe(false)
    clock.advance(1)
    await sleeping
    expect(woke).toBe(true)
    expect(clock.pendingSleeps).toBe(0)
  })

  it('advance wakes reached sleeps in target order, leaving later ones pending', async () => {
    const clock = new ControllableClock({ frozenAt: START })
    const order: string[] = []
    const sleeps = [
      clock.sleep(300).then(() => order.push('300')),
      clock.sleep(100).then(() => order.push('100')),
      clock.sleep(200).then(() => order.push('200a')),
      clock.sleep(200).then(() => order.push('200b')),
      clock.sleep(5000).then(() => order.push('5000')),
    ]
    clock.advance(1000)
    await Promise.all(sleeps.slice(0, 4))
    expect(order).toEqual(['100', '200a', '200b', '300'])
    expect(clock.pendingSleeps).toBe(1)
    expect(clock.nextWakeAt()).toEqual(new Date(START.getTime() + 5000))
  })

  it('a zero or negative sleep resolves without an advance', async () => {
    const clock = new ControllableClock({ frozenAt: START })
    await clock.sleep(0)
    await clock.sleep(-5)
    expect(clock.pendingSleeps).toBe(0)
  })

  it('sleep honours an AbortSignal, before and during the wait', async () => {
    const clock = new ControllableClock({ frozenAt: START })
    const already = new AbortController()
    already.abort(new Error('stop early'))
    await expect(clock.sleep(100, already.signal)).rejects.toThrow('stop early')

    const controller = new AbortController()
    const sleeping = clock.sleep(100, controller.signal)
    controller.abort()
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' })
    expect(clock.pendingSleeps).toBe(0)
  })

  it('set() forward wakes sleeps and notifies listeners; backward makes sleeps wait longer', async () => {
    const clock = new ControllableClock({ frozenAt: START })
    const deltas: number[] = []
    clock.onAdvance((ms) => deltas.push(ms))
    let woke = false
    const sleeping = clock.sleep(10_000).then(() => { woke = true })

    clock.set(new Date(START.getTime() - 5000))
    expect(deltas).toEqual([])
    clock.advance(10_000)
    await flush()
    expect(woke).toBe(false)

    clock.set(new Date(START.getTime() + 10_000))
    await sleeping
    expect(woke).toBe(true)
    expect(deltas).toEqual([10_000, 5000])
  })

  it('onAdvance listeners hear every forward move and can unsubscribe', () => {
    const clock = new ControllableClock({ frozenAt: START })
    const heard: number[] = []
    const unsubscribe = clock.onAdvance((ms) => heard.push(ms))
    clock.advance(10)
    clock.advance(0)
    clock.advance(25)
    unsubscribe()
    clock.advance(40)
    expect(heard).toEqual([10, 25])
  })

  it('advance rejects negative and non-finite amounts', () => {
    const clock = new ControllableClock({ frozenAt: START })
    expect(() => clock.advance(-1)).toThrow(RangeError)
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError)
    expect(clock.now()).toEqual(START)
  })

  it('advanceAsync wakes sleeps that are started by code woken earlier in the same call', async () => {
    const clock = new ControllableClock({ frozenAt: START })
    const wokeAt: string[] = []
    const chain = (async () => {
      await clock.sleep(100)
      wokeAt.push(clock.now().toISOString())
      await clock.sleep(100)
      wokeAt.push(clock.now().toISOString())
    })()
    await clock.advanceAsync(250)
    await chain
    expect(wokeAt).toEqual(['2024-01-01T00:00:00.100Z', '2024-01-01T00:00:00.200Z'])
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:00.250Z')
  })

  it('freeze and unfreeze keep the reading continuous', () => {
    const clock = new ControllableClock({ frozenAt: START })
    clock.advance(1000)
    clock.unfreeze()
    expect(clock.frozen).toBe(false)
    expect(clock.nowMs()).toBeGreaterThanOrEqual(START.getTime() + 1000)
    clock.freeze()
    const frozenReading = clock.nowMs()
    expect(clock.frozen).toBe(true)
    expect(clock.nowMs()).toBe(frozenReading)
  })

  it('is recognised as an advanceable clock', () => {
    expect(isAdvanceableClock(new ControllableClock())).toBe(true)
    expect(isAdvanceableClock({ now: () => new Date(), nowMs: () => 0, sleep: async () => {} })).toBe(false)
  })
})
