/**
 * Group commit: units submitted together share one transaction, every caller learns its own outcome
 * only after the commit, and a unit that fails leaves no trace while the others still commit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Repositories, Store } from '../../src/core/ports/store.ts'
import { TransactionBatcher } from '../../src/core/tasks/transaction-batcher.ts'
import { createTestDatabase, testEngines, type TestDatabase } from '../support/stores.ts'

const AT = new Date('2026-11-28T00:00:00.000Z')

describe.each(await testEngines())('transaction batcher on %s', (engine) => {
  let database: TestDatabase
  let transactions: number
  let store: Store

  beforeEach(async () => {
    database = await createTestDatabase(engine)
    transactions = 0
    store = {
      ...database.store,
      transaction: (work) => {
        transactions++
        return database.store.transaction(work)
      },
    }
  })
  afterEach(async () => database?.close())

  const enqueue = (tx: Repositories, id: string) => tx.tasks.enqueue({
    id, kind: 'test', resourceId: null, projectId: null, payload: {}, maxAttempts: 1, runAfter: AT, deadlineAt: AT, createdAt: AT,
  })
  const stored = async (id: string) => (await database.store.tasks.get(id)) !== undefined

  it('commits units submitted together in one transaction, each caller getting its own result', async () => {
    const batcher = new TransactionBatcher(store)
    const ids = ['a', 'b', 'c', 'd', 'e']
    const results = await Promise.all(ids.map((id) => batcher.run(async (tx) => {
      await enqueue(tx, id)
      return `done ${id}`
    })))
    expect(results).toEqual(ids.map((id) => `done ${id}`))
    expect(transactions).toBe(1)
    for (const id of ids) expect(await stored(id)).toBe(true)
  })

  it('settles a caller only once its unit is committed', async () => {
    const batcher = new TransactionBatcher(store)
    const seen = await batcher.run(async (tx) => {
      await enqueue(tx, 'x')
      return 'x'
    }).then(async (value) => ({ value, committed: await stored('x') }))
    expect(seen).toEqual({ value: 'x', committed: true })
  })

  it('rolls back only the unit that failed: the others commit, it leaves nothing and gets its own error', async () => {
    const batcher = new TransactionBatcher(store)
    const outcomes = await Promise.allSettled(['ok1', 'bad', 'ok2'].map((id) => batcher.run(async (tx) => {
      await enqueue(tx, id)
      if (id === 'bad') throw new Error('refused')
      return id
    })))
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'refused' })
    expect(await stored('ok1')).toBe(true)
    expect(await stored('ok2')).toBe(true)
    expect(await stored('bad')).toBe(false)
  })

  it('keeps batches within the size it is given', async () => {
    const batcher = new TransactionBatcher(store, { maxBatch: 2 })
    await Promise.all(['p', 'q', 'r', 's', 't'].map((id) => batcher.run((tx) => enqueue(tx, id))))
    expect(transactions).toBe(3)
  })
})
