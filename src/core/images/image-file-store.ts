/**
 * Where image bytes live. The adapter (src/store/image-files.ts) writes to a temporary file and renames
 * it into place, so a reader never sees a half-written image and a failed write leaves nothing behind.
 */

export interface ImageWriteLimits {
  /** More bytes than this make write() reject with an error whose name is IMAGE_FILE_TOO_LARGE. */
  readonly maxBytes: number
}

/** The `name` of the error write() rejects with when the source exceeds ImageWriteLimits.maxBytes. */
export type ImageFileTooLargeName = 'ImageFileTooLarge'
export const IMAGE_FILE_TOO_LARGE: ImageFileTooLargeName = 'ImageFileTooLarge'

export interface StoredImageFile {
  readonly sizeBytes: number
  /** Hex MD5 of the bytes written. */
  readonly checksumMd5: string
  /** Hex SHA-512 of the bytes written. */
  readonly sha512: string
  /** Where the file now is, for drivers that read image files directly. */
  readonly path: string
}

export interface ImageFileStore {
  /**
   * Stores the bytes of `source` as the image's file, replacing any earlier file only once complete.
   * If `source` throws, or the limit is passed, nothing is kept and write() rejects with that error.
   */
  write(imageId: string, source: AsyncIterable<Uint8Array>, limits: ImageWriteLimits): Promise<StoredImageFile>
  /** The image's bytes; iterating rejects when there is no file. */
  read(imageId: string): AsyncIterable<Uint8Array>
  /** Removes the image's file; removing a missing file succeeds. */
  remove(imageId: string): Promise<void>
}
