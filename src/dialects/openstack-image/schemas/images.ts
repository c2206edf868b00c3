/** Glance v2 image bodies, parameters and documents. */
import { Type, type Static } from 'typebox'
import { CONTAINER_FORMATS, DISK_FORMATS, IMAGE_VISIBILITIES } from '../../../core/images/image.ts'

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(schema: T) =>
  Type.Union([schema, Type.Null()])

export const IMAGE_STATUSES = [
  'queued', 'saving', 'uploading', 'importing', 'active', 'deactivated', 'killed', 'deleted', 'pending_delete',
] as const

/** One image as Glance shows it: base attributes, then every additional property as a top-level string. */
export const ImageView = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum(IMAGE_STATUSES),
  visibility: Type.Enum(IMAGE_VISIBILITIES),
  protected: Type.Boolean(),
  os_hidden: Type.Boolean(),
  tags: Type.Array(Type.String()),
  container_format: Nullable(Type.String()),
  disk_format: Nullable(Type.String()),
  min_disk: Type.Integer(),
  min_ram: Type.Integer(),
  size: Nullable(Type.Integer()),
  virtual_size: Nullable(Type.Integer()),
  checksum: Nullable(Type.String()),
  os_hash_algo: Nullable(Type.String()),
  os_hash_value: Nullable(Type.String()),
  owner: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
  self: Type.String(),
  file: Type.String(),
  schema: Type.Literal('/v2/schemas/image'),
}, { additionalProperties: Type.String() })
export type ImageView = Static<typeof ImageView>

export const ImageList = Type.Object({
  images: Type.Array(ImageView),
  first: Type.String(),
  schema: Type.Literal('/v2/schemas/images'),
  next: Type.Optional(Type.String()),
}, { additionalProperties: false })
export type ImageList = Static<typeof ImageList>

export const ImageParams = Type.Object({ imageId: Type.String({ minLength: 1 }) }, { additionalProperties: false })
export type ImageParams = Static<typeof ImageParams>

export const TagParams = Type.Object({
  imageId: Type.String({ minLength: 1 }),
  tag: Type.String({ minLength: 1 }),
}, { additionalProperties: false })
export type TagParams = Static<typeof TagParams>

/**
 * Base attributes a client may set on create; anything else is an additional property (a string), and
 * read-only or reserved names are refused by the input converter with Glance's 403.
 */
export const ImageCreateBody = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  visibility: Type.Optional(Type.Enum(IMAGE_VISIBILITIES)),
  protected: Type.Optional(Type.Boolean()),
  os_hidden: Type.Optional(Type.Boolean()),
  container_format: Type.Optional(Type.Union([Type.Enum(CONTAINER_FORMATS), Type.Null()])),
  disk_format: Type.Optional(Type.Union([Type.Enum(DISK_FORMATS), Type.Null()])),
  min_disk: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  min_ram: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }))),
  owner: Type.Optional(Type.Union([Type.String(), Type.Null()])),
}, { additionalProperties: true })
export type ImageCreateBody = Static<typeof ImageCreateBody>

/** A JSON-patch document (`application/openstack-images-v2.1-json-patch`). */
export const ImagePatchBody = Type.Array(Type.Object({
  op: Type.Union([Type.Literal('add'), Type.Literal('replace'), Type.Literal('remove')]),
  path: Type.String({ pattern: '^/' }),
  value: Type.Optional(Type.Unknown()),
}, { additionalProperties: false }))
export type ImagePatchBody = Static<typeof ImagePatchBody>

/**
 * List parameters. Glance treats every parameter it does not know as a filter on an additional
 * property, so the object stays open.
 */
export const ImageListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 0 })),
  marker: Type.Optional(Type.String({ minLength: 1 })),
  name: Type.Optional(Type.String()),
  status: Type.Optional(Type.Enum(IMAGE_STATUSES)),
  visibility: Type.Optional(Type.Enum([...IMAGE_VISIBILITIES, 'all'])),
  member_status: Type.Optional(Type.Enum(['pending', 'accepted', 'rejected', 'all'])),
  owner: Type.Optional(Type.String()),
  tag: Type.Optional(Type.Array(Type.String())),
  sort_key: Type.Optional(Type.String()),
  sort_dir: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  sort: Type.Optional(Type.String()),
}, { additionalProperties: true })
export type ImageListQuery = Static<typeof ImageListQuery>

/** A streamed image file (download) or an empty answer. */
export const ImageData = Type.Unsafe<NodeJS.ReadableStream>({ type: 'string', contentMediaType: 'application/octet-stream' })

export const NoContent = Type.Null()

export const JsonDocument = Type.Object({}, { additionalProperties: true })
