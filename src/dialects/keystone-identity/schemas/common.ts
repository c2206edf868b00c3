import { Type, type Static } from 'typebox'

/** Keystone's error body; `code` repeats the HTTP status. */
export const KeystoneError = Type.Object({
  error: Type.Object({
    code: Type.Integer(),
    title: Type.String(),
    message: Type.String(),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type KeystoneError = Static<typeof KeystoneError>

type ErrorStatus = 400 | 401 | 403 | 404 | 413 | 500

/** The error statuses a route may answer with, each in Keystone's body; 500 is always possible. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S | 500, typeof KeystoneError> {
  const responses = {} as Record<S | 500, typeof KeystoneError>
  for (const status of [...statuses, 500 as const]) responses[status] = KeystoneError
  return responses
}

/** A domain as Keystone names it inside tokens and selectors. */
export const DomainRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
}, { additionalProperties: false })
export type DomainRef = Static<typeof DomainRef>

/** How a request names a domain: by id or by name (Keystone's schema; neither is a 400 later). */
export const DomainSelector = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 64 })),
  name: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: true })
export type DomainSelector = Static<typeof DomainSelector>

/** Keystone's collection links: only `self`, as lists here are never paged. */
export const CollectionLinks = Type.Object({
  self: Type.String(),
  previous: Type.Null(),
  next: Type.Null(),
}, { additionalProperties: false })
export type CollectionLinks = Static<typeof CollectionLinks>

/** The two headers of the v3 token routes: the caller's token and the token asked about. */
export const SubjectTokenHeaders = Type.Object({
  'x-auth-token': Type.Optional(Type.String()),
  'x-subject-token': Type.Optional(Type.String()),
}, { additionalProperties: true })
