import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { keypairFingerprintMd5 } from '../../src/core/keypairs/keypair.ts'
import { requireKeypair } from '../../src/core/keypairs/keypair-service.ts'
import type { Owner } from '../../src/core/shared/owner.ts'
import { testEngines } from '../support/stores.ts'
import { createCatalogFixture, expectKind, START, type CatalogFixture } from './catalog-fixture.ts'

// SSH wire encoding written independently of the code under test.
function sshField(data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  return Buffer.concat([length, data])
}
const sshMpint = (magnitude: Buffer) => sshField((magnitude[0] & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude)

/** An OpenSSH ed25519 public key line. */
function ed25519PublicKeyLine(comment: string): { line: string; blob: Buffer } {
  const raw = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url')
  const blob = Buffer.concat([sshField(Buffer.from('ssh-ed25519')), sshField(raw)])
  return { line: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, blob }
}

const sha256Fingerprint = (blob: Buffer) =>
  'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')

describe.each(await testEngines())('keypairs on %s', (engine) => {
  let fx: CatalogFixture
  let alice: Owner

  beforeEach(async () => {
    fx = await createCatalogFixture(engine)
    alice = await fx.newProject({ quotaLimits: { key_pairs: 3 } })
  })
  afterEach(async () => {
    await fx.close()
  })

  const keyPairsInUse = async (owner: Owner) =>
    (await fx.database.store.quotas.list(owner.projectId)).find((quota) => quota.resource === 'key_pairs')?.inUse

  it('generates a pair, hands out the private key once and stores only the public key', async () => {
    const { keypair, privateKey } = await fx.keypairs.create(alice, { name: 'generated' })
    expect(privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/)
    // The private key really belongs to the stored public key.
    const derived = createPublicKey(createPrivateKey(privateKey!)).export({ format: 'jwk' })
    const expectedBlob = Buffer.concat([
      sshField(Buffer.from('ssh-rsa')),
      sshMpint(Buffer.from(derived.e!, 'base64url')),
      sshMpint(Buffer.from(derived.n!, 'base64url')),
    ])
    const [type, data] = keypair.publicKey.split(' ')
    expect(type).toBe('ssh-rsa')
    expect(data).toBe(expectedBlob.toString('base64'))
    expect(keypair.fingerprint).toBe(sha256Fingerprint(expectedBlob))
    expect(keypair).toMatchObject({
      name: 'generated', type: 'ssh', projectId: alice.projectId, userId: alice.userId, createdAt: START,
      updatedAt: null, deletedAt: null, deleted: false,
    })
    expect(Number.isInteger(keypair.id)).toBe(true)

    const shown = await fx.keypairs.get(alice, 'generated')
    expect(shown).toEqual(keypair)
    expect(JSON.stringify(shown)).not.toContain('PRIVATE')
    expect(await keyPairsInUse(alice)).toBe(1)
  })

  it('imports a public key with its SHA256 and MD5 fingerprints', async () => {
    const { line, blob } = ed25519PublicKeyLine('me@laptop')
    const { keypair, privateKey } = await fx.keypairs.create(alice, { name: 'imported', publicKey: `  ${line}\n` })
    expect(privateKey).toBeNull()
    expect(keypair.publicKey).toBe(line)
    expect(keypair.fingerprint).toBe(sha256Fingerprint(blob))
    expect(keypairFingerprintMd5(keypair)).toBe(createHash('md5').update(blob).digest('hex').match(/../g)!.join(':'))
    expect(await requireKeypair(fx.database.store, alice, 'imported')).toEqual(keypair)
  })

  it('refuses invalid names, keys and types without using quota', async () => {
    await expectKind(fx.keypairs.create(alice, { name: 'bad/name' }), 'bad_request')
    await expectKind(fx.keypairs.create(alice, { name: '   ' }), 'bad_request')
    await expectKind(fx.keypairs.create(alice, { name: 'k', publicKey: 'ssh-rsa AAAAB3NzaC1yc2E' }), 'bad_request')
    await expectKind(fx.keypairs.create(alice, { name: 'k', publicKey: 'not a key' }), 'bad_request')
    await expectKind(fx.keypairs.create(alice, { name: 'k', type: 'x509' }), 'bad_request')
    await expectKind(requireKeypair(fx.database.store, alice, 'k'), 'bad_request')
    expect(await keyPairsInUse(alice)).toBe(0)
  })

  it('refuses a duplicate name in one project, rolling back the quota it took', async () => {
    const { line } = ed25519PublicKeyLine('first')
    await fx.keypairs.create(alice, { name: 'k', publicKey: line })
    await expectKind(fx.keypairs.create(alice, { name: 'k', publicKey: ed25519PublicKeyLine('second').line }), 'conflict')
    expect((await fx.keypairs.get(alice, 'k')).publicKey).toBe(line)
    expect(await keyPairsInUse(alice)).toBe(1)
  })

  it('keeps projects apart: both may have a "k", neither sees nor deletes the other one', async () => {
    const bob = await fx.newProject()
    const aliceKey = await fx.keypairs.create(alice, { name: 'k', publicKey: ed25519PublicKeyLine('a').line })
    const bobKey = await fx.keypairs.create(bob, { name: 'k', publicKey: ed25519PublicKeyLine('b').line })
    expect(aliceKey.keypair.id).not.toBe(bobKey.keypair.id)
    expect((await fx.keypairs.get(alice, 'k')).publicKey).toBe(aliceKey.keypair.publicKey)
    expect((await fx.keypairs.get(bob, 'k')).publicKey).toBe(bobKey.keypair.publicKey)

    await fx.keypairs.create(alice, { name: 'alice-only', publicKey: ed25519PublicKeyLine('a2').line })
    await expectKind(fx.keypairs.get(bob, 'alice-only'), 'not_found')
    await expectKind(fx.keypairs.delete(bob, 'alice-only'), 'not_found')
    await expectKind(requireKeypair(fx.database.store, bob, 'alice-only'), 'bad_request')
    expect((await fx.keypairs.list(bob, { limit: 10, marker: null })).items.map((key) => key.name)).toEqual(['k'])
    await expectKind(fx.keypairs.list(bob, { limit: 10, marker: 'alice-only' }), 'bad_request')

    await fx.keypairs.delete(bob, 'k')
    expect((await fx.keypairs.get(alice, 'k')).id).toBe(aliceKey.keypair.id)
  })

  it('enforces the key_pairs quota and gives it back on delete', async () => {
    for (const name of ['one', 'two', 'three']) {
      await fx.keypairs.create(alice, { name, publicKey: ed25519PublicKeyLine(name).line })
    }
    const refused = await expectKind(fx.keypairs.create(alice, { name: 'four' }), 'quota_exceeded')
    expect(refused.quota).toBe('key_pairs')
    await expectKind(fx.keypairs.get(alice, 'four'), 'not_found')

    await fx.keypairs.delete(alice, 'two')
    expect(await keyPairsInUse(alice)).toBe(2)
    await fx.keypairs.create(alice, { name: 'four', publicKey: ed25519PublicKeyLine('four').line })
    await expectKind(fx.keypairs.delete(alice, 'two'), 'not_found')
    expect(await keyPairsInUse(alice)).toBe(3)
  })

  it('pages by name with a name marker', async () => {
    const roomy = await fx.newProject()
    const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo']
    for (const name of names) await fx.keypairs.create(roomy, { name, publicKey: ed25519PublicKeyLine(name).line })

    const first = await fx.keypairs.list(roomy, { limit: 2, marker: null })
    expect(first.items.map((key) => key.name)).toEqual(['alpha', 'bravo'])
    expect(first.hasMore).toBe(true)
    const second = await fx.keypairs.list(roomy, { limit: 2, marker: 'bravo' })
    expect(second.items.map((key) => key.name)).toEqual(['charlie', 'delta'])
    const last = await fx.keypairs.list(roomy, { limit: 2, marker: 'delta' })
    expect(last.items.map((key) => key.name)).toEqual(['echo'])
    expect(last.hasMore).toBe(false)

    const error = await expectKind(fx.keypairs.list(roomy, { limit: 2, marker: 'zulu' }), 'bad_request')
    expect(error.message).toContain('zulu')
  })

  it('lets readers look but not change', async () => {
    await fx.keypairs.create(alice, { name: 'k', publicKey: ed25519PublicKeyLine('k').line })
    const reader: Owner = { ...alice, roles: ['reader'] }
    expect((await fx.keypairs.get(reader, 'k')).name).toBe('k')
    await expectKind(fx.keypairs.create(reader, { name: 'r' }), 'forbidden')
    await expectKind(fx.keypairs.delete(reader, 'k'), 'forbidden')
  })
})
