/**
 * The real openstackclient (Debian's python3-openstackclient, with openstacksdk for images and
 * cinderclient for volumes) against a started `gureum serve`: Keystone v3 login from the catalog, then
 * image list/create --file/show/save and volume create/list/set/show/delete with snapshots. Skipped with
 * a printed reason where `openstack` is not installed, except in CI (CI=true), where that is a failure.
 */
import { execFile, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGureumProcess, type GureumProcess } from '../support/gureum-process.ts'

const openstackMissing = spawnSync('which', ['openstack']).status !== 0
if (openstackMissing) {
  if (process.env.CI === 'true') throw new Error('openstack (python3-openstackclient) is required in CI: apt-get install python3-openstackclient')
  console.warn('skipping openstackclient tests: `openstack` is not installed (apt-get install python3-openstackclient)')
}

describe.skipIf(openstackMissing)('openstackclient against gureum serve: images and volumes', () => {
  let gureum: GureumProcess
  let dataDir: string
  let env: Record<string, string>

  const openstack = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile('openstack', args, { env, cwd: dataDir, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
  const json = async (...args: string[]) => {
    const result = await openstack(...args, '-f', 'json')
    expect(result.code, `openstack ${args.join(' ')}\n${result.stderr}`).toBe(0)
    return JSON.parse(result.stdout)
  }

  beforeAll(async () => {
    gureum = await startGureumProcess()
    dataDir = gureum.dataDir
    const { credentials } = gureum
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dataDir,
      OS_AUTH_URL: `${gureum.urls.identity}/v3`,
      OS_IDENTITY_API_VERSION: '3',
      OS_USERNAME: credentials.user.name,
      OS_PASSWORD: credentials.user.password,
      OS_PROJECT_NAME: credentials.project.name,
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_REGION_NAME: 'KR1',
      OS_INTERFACE: 'public',
    }
  }, 180_000)

  afterAll(async () => {
    await gureum?.stop()
  })

  it('lists the seeded images and shows one with its NHN properties', async () => {
    const images = await json('image', 'list')
    expect(images.map((image: { Name: string }) => image.Name)).toContain('Ubuntu Server 22.04 LTS (2024.11.19)')
    const ubuntu = await json('image', 'show', 'Ubuntu Server 22.04 LTS (2024.11.19)')
    expect(ubuntu).toMatchObject({ status: 'active', visibility: 'public', disk_format: 'qcow2' })
    expect(ubuntu.properties).toMatchObject({ os_distro: 'ubuntu', login_username: 'ubuntu' })
  }, 180_000)

  it('uploads an image with --file and saves the same bytes back', async () => {
    const bytes = randomBytes(150_000)
    writeFileSync(join(dataDir, 'disk.raw'), bytes)
    const created = await openstack('image', 'create', '--file', join(dataDir, 'disk.raw'), '--disk-format', 'raw',
      '--container-format', 'bare', '--property', 'purpose=client-test', 'client-image')
    expect(created.code, created.stderr).toBe(0)
    const image = await json('image', 'show', 'client-image')
    expect(image).toMatchObject({ status: 'active', size: bytes.length, checksum: createHash('md5').update(bytes).digest('hex') })
    expect(image.properties.purpose).toBe('client-test')
    const saved = await openstack('image', 'save', '--file', join(dataDir, 'saved.raw'), 'client-image')
    expect(saved.code, saved.stderr).toBe(0)
    expect(Buffer.compare(readFileSync(join(dataDir, 'saved.raw')), bytes)).toBe(0)
    expect((await openstack('image', 'delete', 'client-image')).code).toBe(0)
    expect((await openstack('image', 'show', 'client-image')).code).not.toBe(0)
  }, 180_000)

  it('creates, lists, renames, snapshots and deletes a volume', async () => {
    const volume = await json('volume', 'create', '--size', '1', '--property', 'tier=gold', 'client-volume')
    expect(volume).toMatchObject({ size: 1, name: 'client-volume', bootable: 'false' })
    const shown = await json('volume', 'show', 'client-volume')
    expect(shown).toMatchObject({ status: 'available', type: 'General HDD' })
    const listed = await json('volume', 'list')
    expect(listed.map((item: { Name: string }) => item.Name)).toContain('client-volume')

    const set = await openstack('volume', 'set', '--name', 'renamed-volume', '--property', 'owner=tests', 'client-volume')
    expect(set.code, set.stderr).toBe(0)
    const renamed = await json('volume', 'show', 'renamed-volume')
    expect(renamed.properties).toMatchObject({ tier: 'gold', owner: 'tests' })

    const snapshot = await json('volume', 'snapshot', 'create', '--volume', 'renamed-volume', 'client-snapshot')
    expect(snapshot).toMatchObject({ status: 'available', size: 1, name: 'client-snapshot' })
    const refused = await openstack('volume', 'delete', 'renamed-volume')
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('HTTP 400')
    expect((await openstack('volume', 'snapshot', 'delete', 'client-snapshot')).code).toBe(0)
    expect((await openstack('volume', 'delete', 'renamed-volume')).code).toBe(0)
    const after = await json('volume', 'list')
    expect(after.map((item: { Name: string }) => item.Name)).not.toContain('renamed-volume')
  }, 240_000)
})
