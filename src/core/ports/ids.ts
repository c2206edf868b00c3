/** Identifier generation, injectable so that simulations can be seeded and replayed. */
export interface IdGenerator {
  /** A random UUID v4 string. */
  uuid(): string
  /** `length` lowercase hex characters. */
  hex(length: number): string
}
