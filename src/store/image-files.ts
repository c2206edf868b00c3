import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type {
  ImageFileStore, ImageFileTooLargeName, ImageWriteLimits, StoredImageFile,
} from '../core/images/image-file-store.ts'

/** Image ids become file names: only plain id characters, so no id can point outside the directory. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/

const TOO_LARGE: ImageFileTooLargeName = 'ImageFileTooLarge'

export class ImageFileTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`image data exceeds ${maxBytes} bytes`)
    this.name = TOO_LARGE
  }
}

/**
 * Image files in one directory, one file per image id. A write goes to a hidden temporary file in the
 * same directory, is flushed to disk, and is renamed over the final name only when complete, so a
 * reader sees either no file or the whole file; a failed write removes its temporary file.
 */
export class LocalImageFileStore implements ImageFileStore {
  readonly #directory: string

  constructor(directory: string) {
    this.#directory = directory
  }

  /** Where the image's file is (or would be). */
  pathOf(imageId: string): string {
    if (!SAFE_ID.test(imageId)) throw new Error(`invalid image id for a file name: ${JSON.stringify(imageId)}`)
    return join(this.#directory, imageId)
  }

  async write(imageId: string, source: AsyncIterable<Uint8Array>, limits: ImageWriteLimits): Promise<StoredImageFile> {
    const path = this.pathOf(imageId)
    await mkdir(this.#directory, { recursive: true })
    const temporary = join(this.#directory, `.${imageId}.${randomUUID()}.partial`)
    const md5 = createHash('md5')
    const sha512 = createHash('sha512')
    let sizeBytes = 0
    const file = await open(temporary, 'wx')
    try {
      try {
        for await (const chunk of source) {
          sizeBytes += chunk.byteLength
          if (sizeBytes > limits.maxBytes) throw new ImageFileTooLargeError(limits.maxBytes)
          md5.update(chunk)
          sha512.update(chunk)
          await file.write(chunk)
        }
        await file.sync()
      } finally {
        await file.close()
      }
      await rename(temporary, path)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
    await this.#syncDirectory()
    return { sizeBytes, checksumMd5: md5.digest('hex'), sha512: sha512.digest('hex'), path }
  }

  async *read(imageId: string): AsyncIterable<Uint8Array> {
    const stream = createReadStream(this.pathOf(imageId))
    for await (const chunk of stream) yield chunk as Buffer
  }

  async remove(imageId: string): Promise<void> {
    await rm(this.pathOf(imageId), { force: true })
  }

  /** Makes the rename itself durable, where the platform allows opening a directory. */
  async #syncDirectory(): Promise<void> {
    const directory = await open(this.#directory, 'r').catch(() => null)
    if (!directory) return
    try {
      await directory.sync().catch(() => undefined)
    } finally {
      await directory.close()
    }
  }
}
