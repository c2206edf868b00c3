/** Keyset pagination: lists return at most `limit` items after the item whose id is `marker`. */
export interface PageRequest {
  readonly limit: number
  /** Id of the last item of the previous page; null for the first page. */
  readonly marker: string | null
}

export interface Page<T> {
  readonly items: readonly T[]
  /** True when more items follow this page. */
  readonly hasMore: boolean
}
