import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LocalImageFileStore } from '../../src/store/image-files.ts'

const ID = '6a0b1c8e-8d1e-4c55-9d0b-0e6f5f1f2a3b'
const LIMITS = { maxBytes: 1024 }

/** A source that yields `first`, then waits until released before yielding `rest`. */
function pausedSource(first: string, rest: string) {
  let release!: () => void
  const released = new Promise<void>((resolve) => { release = resolve })
  let reachedPause!: () => void
  const paused = new Promise<void>((resolve) => { reachedPause = resolve })
  async function* source(): AsyncIterable<Uint8Array> {
    yield Buffer.from(first)
    reachedPause()
    await released
    yield Buffer.from(rest)
  }
  return { source: source(), paused, release }
}

async function readAll(data: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = []
  for await (const part of data) parts.push(Buffer.from(part))
  return Buffer.concat(parts).toString()
}

describe('LocalImageFileStore', () => {
  let directory: string
  let files: LocalImageFileStore

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'gureum-image-files-'))
    files = new LocalImageFileStore(join(directory, 'images'))
  })
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true })
  })

  it('writes, reports size and checksums, reads back and removes', async () => {
    const stored = await files.write(ID, (async function* () { yield Buffer.from('abc'); yield Buffer.from('def') })(), LIMITS)
    expect(stored).toEqual({
      sizeBytes: 6,
      checksumMd5: createHash('md5').update('abcdef').digest('hex'),
      sha512: createHash('sha512').update('abcdef').digest('hex'),
      path: join(directory, 'images', ID),
    })
    expect(await readAll(files.read(ID))).toBe('abcdef')
    await files.remove(ID)
    await files.remove(ID)
    expect(existsSync(stored.path)).toBe(false)
    await expect(readAll(files.read(ID))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('never shows a half-written file, and a replacement appears only once complete', async () => {
    await files.write(ID, (async function* () { yield Buffer.from('old') })(), LIMITS)
    const { source, paused, release } = pausedSource('new-', 'data')
    const writing = files.write(ID, source, LIMITS)
    await paused
    expect(readFileSync(files.pathOf(ID)).toString()).toBe('old')
    release()
    await writing
    expect(readFileSync(files.pathOf(ID)).toString()).toBe('new-data')
    expect(readdirSync(join(directory, 'images'))).toEqual([ID])
  })

  it('leaves nothing behind when the source fails or passes the limit', async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield Buffer.from('partial')
      throw new Error('broken pipe')
    }
    await expect(files.write(ID, failing(), LIMITS)).rejects.toThrow('broken pipe')
    await expect(files.write(ID, (async function* () { yield Buffer.alloc(1025) })(), LIMITS))
      .rejects.toMatchObject({ name: 'ImageFileTooLarge' })
    expect(readdirSync(join(directory, 'images'))).toEqual([])
  })

  it('refuses ids that are not plain file names', async () => {
    for (const id of ['../escape', 'a/b', '', '.hidden']) {
      await expect(files.write(id, (async function* () { yield Buffer.from('x') })(), LIMITS)).rejects.toThrow(/invalid image id/)
      expect(() => files.pathOf(id)).toThrow(/invalid image id/)
    }
  })
})
