/** The JSON schemas glanceclient reads to validate image bodies. */
import type { DialectApp } from '../../shared/listener.ts'
import { JsonDocument } from '../schemas/images.ts'
import { imageSchema, imagesSchema, memberSchema, membersSchema } from '../views/image-schemas.ts'
import { glanceErrors } from './responses.ts'

const DOCUMENTS = { image: imageSchema, images: imagesSchema, member: memberSchema, members: membersSchema }

export function schemaRoutes(app: DialectApp): void {
  for (const [name, document] of Object.entries(DOCUMENTS)) {
    app.route({
      method: 'GET',
      url: `/v2/schemas/${name}`,
      schema: { operationId: `show${name[0].toUpperCase()}${name.slice(1)}Schema`, tags: ['schemas'], response: { 200: JsonDocument, ...glanceErrors() } },
      handler: async () => document,
    })
  }
}
