import type { Repositories, Store } from '../ports/store.ts'

interface Item {
  readonly work: (tx: Repositories) => Promise<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

/**
 * Group commit for task handlers: units of work submitted while another batch is being written (or in
 * the same turn of the event loop) run one after the other in ONE transaction, and each caller's
 * promise settles only after that transaction committed. Every unit stays atomic and durable: it
 * commits with its batch or not at all. When any unit throws (or the commit fails), the batch is rolled
 * back whole and every unit runs again alone in its own transaction, so each gets exactly the outcome
 * it would have had by itself; work must therefore only touch the store (as any transaction's work
 * must, since PostgreSQL retries them too).
 *
 * Workers run many tasks at once, and a transaction's commit (a WAL write, a round trip and a flush on
 * PostgreSQL) costs more than the few statements in it: sharing it is what lets a burst of builds keep
 * up with the API.
 */
export class TransactionBatcher {
  readonly #store: Store
  readonly #maxBatch: number
  #pending: Item[] = []
  #flushing = false

  constructor(store: Store, options: { maxBatch?: number } = {}) {
    this.#store = store
    this.#maxBatch = Math.max(1, options.maxBatch ?? 32)
  }

  run<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: unknown) => void, reject })
      if (!this.#flushing) {
        this.#flushing = true
        // Units submitted in the same turn join the first batch.
        setImmediate(() => void this.#flush())
      }
    })
  }

  async #flush(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.#maxBatch)
        if (batch.length === 1) {
          await this.#alone(batch[0])
          continue
        }
        let results: unknown[]
        try {
          results = await this.#store.transaction(async (tx) => {
            const out: unknown[] = []
            for (const item of batch) out.push(await item.work(tx))
            return out
          })
        } catch {
          for (const item of batch) await this.#alone(item)
          continue
        }
        batch.forEach((item, index) => item.resolve(results[index]))
      }
    } finally {
      this.#flushing = false
    }
  }

  async #alone(item: Item): Promise<void> {
    try {
      item.resolve(await this.#store.transaction(item.work))
    } catch (error) {
      item.reject(error)
    }
  }
}
