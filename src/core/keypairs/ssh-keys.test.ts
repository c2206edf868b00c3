import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../shared/errors.ts'
import {
  fingerprintMd5,
  fingerprintSha256,
  generateKeypair,
  parsePublicKey,
  validateKeypairName,
} from './ssh-keys.ts'

// Fixtures made with `ssh-keygen -t <type> -N '' -C fixture-<type>@gureum` (OpenSSH 9.2p1, OpenSSL 3.0);
// the expected fingerprints are what `ssh-keygen -lf` and `ssh-keygen -E md5 -lf` printed for them,
// so they are independent of the code under test.
const RSA_3072 =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDG5yhQTmssTzy3jb+exOs864qYsf4u63w8d2VeimfkwA3FDvaHMUrzFUeMvLkV9TS4iVkWvnsL5t7DbpdUppVudDv5NtHu4vDl85FXdYqUSkW6uCyCPdjN08ojCyQFfhJ6hbPPJD+siFdrNZfvx9KqwP3wzeNWfy94tWrGDGQWr9ao4htvwXuSisbTNDWOZ3aoapdTX/v/qJ8qqzacUrZCEI2pjvwQc4vVhL6lEVa51e0x9D8jzx+gG51OP+ZLHVuNwvRZG90Y9HA4bFE6KEr6lXMzKVJX+gy1elWYbnUF58dlZ+yQo801aSjXsr+uM9pcVKluZKpRjNF386qUiKz9GLsMSgHXavx0lwfNZiIta6y9bCxGE6f+pz3uxdv51QBkx6cVEp7SC3ISgplhkW3HmwxL/FnG0bxNBxCtju4QwWfKy68c5uXbgwLkUa3hGA59YXjRNsxpsESA5zrUui019/ST5H/X0ogNv+KXIbUGMDOHwc34bryOx1PpHdk3zpE= fixture-rsa@gureum'
const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG6t4rJJOPLGnhQ2AqMesxPMRTMDfHVnyviQQo7Ur+BB fixture-ed25519@gureum'
const ECDSA_P256 =
  'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFAc6b2iIRPP88y5lSf3jzN7g4IloRMFg802ayUPsedPS5k6GnXNSInFKJu1FsviliM1O+IE8ista/bVT+/Rb5M= fixture-ecdsa@gureum'
const DSA =
  'ssh-dss AAAAB3NzaC1kc3MAAACBAPxa/qE1Vhc0IQ4iplt76wSyCY4v36UrfgYbMWlCd/6P27aYdKQpv1WHYGCul9Jbcb6jpXamtYi/p3UQ8YD9kBR9LnVFOKoc/14o+aZ08vh0/b2DX0O2/uqhMZdBsqTThQ+LiSfcjbrMjnjw3+4ZftjDBtoLoeRsDm2rtAkAFXA3AAAAFQCUOYtfNRrybHl4idjUf29OX6dCyQAAAIAarLvNmq/FDAIz/P9dIRVu1PLeOV0rCNwxxxPkRk4C7jsSgveZghXRhsxsvav5NbRSRxXKQz7B1HI+qvKnTj6n3gyqZBsbW7eFgx9CRYBLW4XryS3UU6p9S4RgftR98OeiZ+rxTCP2s+d4k8f/K2aoZk7vIssH7yQBSMEnQ9YiewAAAIEAqSsBoEtEeuzKleRg+5lWycxVcEGgB45OKumBZBEcixysTjrcYh2dZcfOZVLSc10G2qbzfnVQ5EaR8Kx7rtv55aygwSWVyeieyleFseD89fWxlVWeIMUSzGf92S/Bk7BbtBXAbvpIuZwPmol56sHsdMVk/eUQj03vtWG3gtGWgko= fixture-dsa@gureum'

const KNOWN = [
  {
    line: RSA_3072, type: 'ssh-rsa', comment: 'fixture-rsa@gureum',
    sha256: 'SHA256:QL1L2zqCjjgS2dcrSN2Y3z0vsYm2O9MrRZMpIcH1NMI',
    md5: '08:38:6f:90:b3:f1:34:eb:fe:b4:4a:b6:a0:a2:25:75',
  },
  {
    line: ED25519, type: 'ssh-ed25519', comment: 'fixture-ed25519@gureum',
    sha256: 'SHA256:5QxCHiSO3Hdw88tXVt3XccIotB6Vu6Rr4qUFR4HrmuY',
    md5: '89:2b:4b:25:9f:10:8f:05:93:1c:c8:b3:c9:a5:7b:62',
  },
  {
    line: ECDSA_P256, type: 'ecdsa-sha2-nistp256', comment: 'fixture-ecdsa@gureum',
    sha256: 'SHA256:rFWy3kwx2KELh3map3Jv87rCDpuzDLzT5TLzfRcpa7M',
    md5: '0a:81:95:7f:fb:6d:11:4e:2e:fe:d2:9a:ff:9b:74:de',
  },
  {
    line: DSA, type: 'ssh-dss', comment: 'fixture-dsa@gureum',
    sha256: 'SHA256:e6DsLQp9zIhds2/DuW9xlARGQMK3ChKClG0GpuUcZPI',
    md5: 'd1:93:6c:12:51:18:3b:b3:46:c4:14:94:50:d0:02:2c',
  },
]

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}

function line(type: string, blob: Buffer, comment = 'test'): string {
  return `${type} ${blob.toString('base64')} ${comment}`
}

function rsaBlob(modulusBytes: number): Buffer {
  const n = Buffer.alloc(modulusBytes + 1, 0xab)
  n[0] = 0 // sign pad, since 0xab has the top bit set
  n[n.length - 1] = 0xad // odd, like any RSA modulus
  return Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([1, 0, 1])), sshString(n)])
}

function ed25519Blob(keyBytes = 32): Buffer {
  return Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(keyBytes, 7))])
}

function expectBadRequest(action: () => unknown, field: string, message: RegExp): void {
  let caught: unknown
  try {
    action()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(DomainError)
  const error = caught as DomainError
  expect(error.kind).toBe('bad_request')
  expect(error.field).toBe(field)
  expect(error.message).toMatch(message)
}

const expectInvalidKey = (text: string, message: RegExp) =>
  expectBadRequest(() => parsePublicKey(text), 'public_key', message)

describe('generateKeypair', () => {
  it('makes an RSA 2048 key whose public line parses back to the same fingerprint', () => {
    const pair = generateKeypair('rsa', 'alice@example')
    expect(pair.type).toBe('rsa')
    expect(pair.publicKey).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E[A-Za-z0-9+/]+=* alice@example$/)
    expect(pair.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/)
    const parsed = parsePublicKey(pair.publicKey)
    expect(parsed.type).toBe('ssh-rsa')
    expect(parsed.comment).toBe('alice@example')
    expect(fingerprintSha256(parsed.blob)).toBe(pair.fingerprint)
    expect(pair.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })

  it('defaults to RSA and omits the comment when none is given', () => {
    const pair = generateKeypair()
    expect(pair.type).toBe('rsa')
    expect(pair.publicKey.split(' ')).toHaveLength(2)
    expect(parsePublicKey(pair.publicKey).comment).toBeNull()
  })

  it('makes an ed25519 key whose public line parses back to the same fingerprint', () => {
    const pair = generateKeypair('ed25519', 'bob')
    expect(pair.type).toBe('ed25519')
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} bob$/)
    expect(pair.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/)
    const parsed = parsePublicKey(pair.publicKey)
    expect(parsed.type).toBe('ssh-ed25519')
    expect(fingerprintSha256(parsed.blob)).toBe(pair.fingerprint)
  })

  it('returns RSA private keys in PKCS#1 that sign what the SSH public key verifies', () => {
    const pair = generateKeypair('rsa')
    const privateKey = createPrivateKey(pair.privateKey)
    expect(privateKey.asymmetricKeyType).toBe('rsa')
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048)

    // Rebuild a node public key from the SSH wire blob alone, so the check covers our encoding.
    const blob = parsePublicKey(pair.publicKey).blob
    const eLength = blob.readUInt32BE(11)
    const e = blob.subarray(15, 15 + eLength)
    const nLength = blob.readUInt32BE(15 + eLength)
    const n = blob.subarray(19 + eLength, 19 + eLength + nLength)
    const publicKey = createPublicKey({
      key: { kty: 'RSA', e: e.toString('base64url'), n: n.subarray(n[0] === 0 ? 1 : 0).toString('base64url') },
      format: 'jwk',
    })
    const message = Buffer.from('gureum keypair round trip')
    const signature = sign('sha256', message, privateKey)
    expect(verify('sha256', message, publicKey, signature)).toBe(true)
    expect(verify('sha256', Buffer.from('tampered'), publicKey, signature)).toBe(false)
  })

  it('returns ed25519 private keys in PKCS#8 that sign what the SSH public key verifies', () => {
    const pair = generateKeypair('ed25519')
    const privateKey = createPrivateKey(pair.privateKey)
    expect(privateKey.asymmetricKeyType).toBe('ed25519')

    const raw = parsePublicKey(pair.publicKey).blob.subarray(4 + 11 + 4)
    expect(raw).toHaveLength(32)
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' })
    const message = Buffer.from('gureum keypair round trip')
    const signature = sign(null, message, privateKey)
    expect(verify(null, message, publicKey, signature)).toBe(true)
  })

  it('produces a different key every time', () => {
    expect(generateKeypair('ed25519').publicKey).not.toBe(generateKeypair('ed25519').publicKey)
  })

  it('keeps a comment with line breaks on one line', () => {
    const pair = generateKeypair('ed25519', 'evil\nssh-rsa AAAA')
    expect(pair.publicKey).not.toMatch(/[\r\n]/)
    expect(parsePublicKey(pair.publicKey).comment).toBe('evil ssh-rsa AAAA')
  })

  it('rejects an unsupported type', () => {
    expectBadRequest(() => generateKeypair('dsa' as 'rsa'), 'type', /not supported/)
  })
})

describe('parsePublicKey', () => {
  it.each(KNOWN)('parses the $type fixture and fingerprints it like ssh-keygen', ({ line: text, type, comment, sha256, md5 }) => {
    const parsed = parsePublicKey(text)
    expect(parsed.type).toBe(type)
    expect(parsed.comment).toBe(comment)
    expect(parsed.normalized).toBe(text)
    expect(fingerprintSha256(parsed.blob)).toBe(sha256)
    expect(fingerprintMd5(parsed.blob)).toBe(md5)
  })

  it('accepts surrounding whitespace and a trailing newline, and normalizes spacing', () => {
    const parsed = parsePublicKey(`  ${ED25519.replace(' fixture', '\t\tfixture')} \r\n`)
    expect(parsed.normalized).toBe(ED25519)
  })

  it('keeps a comment containing spaces', () => {
    expect(parsePublicKey(`${ED25519} laptop key`).comment).toBe('fixture-ed25519@gureum laptop key')
  })

  it('accepts a key without a comment', () => {
    const bare = ED25519.split(' ').slice(0, 2).join(' ')
    const parsed = parsePublicKey(bare)
    expect(parsed.comment).toBeNull()
    expect(parsed.normalized).toBe(bare)
  })

  it('accepts nistp384 and nistp521 keys made by node:crypto', () => {
    for (const [curve, name, coordinate] of [['P-384', 'nistp384', 48], ['P-521', 'nistp521', 66]] as const) {
      const jwk = generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ format: 'jwk' })
      const point = Buffer.concat([
        Buffer.from([4]),
        Buffer.from(jwk.x!, 'base64url'),
        Buffer.from(jwk.y!, 'base64url'),
      ])
      expect(point).toHaveLength(1 + 2 * coordinate)
      const type = `ecdsa-sha2-${name}`
      const parsed = parsePublicKey(line(type, Buffer.concat([sshString(type), sshString(name), sshString(point)])))
      expect(parsed.type).toBe(type)
    }
  })

  it('accepts the smallest allowed RSA modulus', () => {
    expect(parsePublicKey(line('ssh-rsa', rsaBlob(128))).type).toBe('ssh-rsa')
  })

  describe('rejects', () => {
    it('empty and blank input', () => {
      expectInvalidKey('', /Keypair data is invalid: the public key is empty/)
      expectInvalidKey('  \n\t ', /empty/)
    })

    it('a non-string', () => {
      expectInvalidKey(42 as unknown as string, /must be a string/)
    })

    it('garbage', () => {
      expectInvalidKey('hello world', /unsupported key type 'hello'/)
      expectInvalidKey('ssh-rsa', /key data after the type is missing/)
      expectInvalidKey('ssh-rsa not*base64! comment', /not valid base64/)
    })

    it('an unknown or misspelled key type', () => {
      expectInvalidKey(ED25519.replace('ssh-ed25519', 'ssh-ed448'), /unsupported key type 'ssh-ed448'/)
      expectInvalidKey(ED25519.replace('ssh-ed25519', 'SSH-ED25519'), /unsupported key type/)
    })

    it('truncated base64', () => {
      const [type, data] = RSA_3072.split(' ')
      expectInvalidKey(`${type} ${data.slice(0, 101)}`, /not valid base64/)
      // Cut at a multiple of 4: the base64 is well formed but the structure ends early.
      expectInvalidKey(`${type} ${data.slice(0, 100)}`, /truncated inside the RSA modulus/)
      expectInvalidKey(`${type} ${data.slice(0, 24)}`, /ends before the RSA modulus/)
    })

    it('base64 with stray padding or non-canonical trailing bits', () => {
      const [edType, edData] = ED25519.split(' ')
      expectInvalidKey(`${edType} ${edData}==`, /not valid base64/)
      // Decodes to the same bytes ('E' → 'F' only sets an unused low bit), which a lenient decoder would accept.
      const [type, data] = RSA_3072.split(' ')
      expect(data.endsWith('zpE=')).toBe(true)
      expectInvalidKey(`${type} ${data.slice(0, -2)}F=`, /not valid base64/)
    })

    it('a type prefix that does not match the blob', () => {
      const edData = ED25519.split(' ')[1]
      expectInvalidKey(`ssh-rsa ${edData}`, /the key says 'ssh-rsa' but its data is a 'ssh-ed25519' key/)
      const rsaData = RSA_3072.split(' ')[1]
      expectInvalidKey(`ssh-ed25519 ${rsaData}`, /data is a 'ssh-rsa' key/)
      expectInvalidKey(`ecdsa-sha2-nistp384 ${ECDSA_P256.split(' ')[1]}`, /data is a 'ecdsa-sha2-nistp256' key/)
    })

    it('a private key pasted by mistake', () => {
      const { privateKey } = generateKeypair('ed25519')
      expectInvalidKey(privateKey, /this is a private key/)
      expectInvalidKey(generateKeypair('rsa').privateKey, /this is a private key/)
      expectInvalidKey('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
        /this is a private key/)
      expectInvalidKey('PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none', /this is a private key/)
    })

    it('PEM and RFC 4716 public keys', () => {
      const pem = createPublicKey(generateKeypair('ed25519').privateKey).export({ format: 'pem', type: 'spki' }).toString()
      expectInvalidKey(pem, /only OpenSSH one-line public keys/)
      expectInvalidKey('---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----', /only OpenSSH one-line/)
    })

    it('several keys or lines', () => {
      expectInvalidKey(`${ED25519}\n${RSA_3072}`, /must be a single line/)
      expectInvalidKey(`${ED25519}\r\nmore`, /single line/)
    })

    it('an RSA modulus under 1024 bits', () => {
      expectInvalidKey(line('ssh-rsa', rsaBlob(127)), /RSA modulus has 1016 bits; at least 1024/)
      const jwk = generateKeyPairSync('rsa', { modulusLength: 512 }).publicKey.export({ format: 'jwk' })
      const blob = Buffer.concat([
        sshString('ssh-rsa'),
        sshString(Buffer.from(jwk.e!, 'base64url')),
        sshString(Buffer.concat([Buffer.from([0]), Buffer.from(jwk.n!, 'base64url')])),
      ])
      expectInvalidKey(line('ssh-rsa', blob), /512 bits/)
    })

    it('an RSA key with a missing, even or negative exponent', () => {
      const n = rsaBlob(256).subarray(11 + 7) // the modulus field, after type and e
      const withE = (e: Buffer) => line('ssh-rsa', Buffer.concat([sshString('ssh-rsa'), sshString(e), n]))
      expectInvalidKey(withE(Buffer.alloc(0)), /exponent/)
      expectInvalidKey(withE(Buffer.from([1, 0, 0])), /exponent/)
      expectInvalidKey(withE(Buffer.from([1])), /exponent/)
      expectInvalidKey(withE(Buffer.from([0x81])), /RSA exponent is negative/)
      expectInvalidKey(line('ssh-rsa', sshString('ssh-rsa')), /ends before the RSA exponent/)
    })

    it('an ed25519 key of the wrong length', () => {
      expectInvalidKey(line('ssh-ed25519', ed25519Blob(31)), /ed25519 key is 32 bytes, this one is 31/)
      expectInvalidKey(line('ssh-ed25519', ed25519Blob(33)), /this one is 33/)
      expectInvalidKey(line('ssh-ed25519', sshString('ssh-ed25519')), /ends before the ed25519 key/)
    })

    it('trailing bytes after a valid structure', () => {
      expectInvalidKey(line('ssh-ed25519', Buffer.concat([ed25519Blob(), Buffer.from([0])])), /trailing bytes/)
    })

    it('an ECDSA key with the wrong curve name or an invalid point', () => {
      const type = 'ecdsa-sha2-nistp256'
      const point = Buffer.concat([Buffer.from([4]), Buffer.alloc(32, 1), Buffer.alloc(32, 2)])
      expectInvalidKey(line(type, Buffer.concat([sshString(type), sshString('nistp384'), sshString(point)])),
        /curve nistp256 but its data names 'nistp384'/)
      expectInvalidKey(line(type, Buffer.concat([sshString(type), sshString('nistp256'), sshString(point)])),
        /not on curve nistp256/)
      expectInvalidKey(line(type, Buffer.concat([sshString(type), sshString('nistp256'), sshString(point.subarray(0, 33))])),
        /not an uncompressed nistp256 point/)
    })

    it('a DSA key with missing parameters', () => {
      const data = Buffer.from(DSA.split(' ')[1], 'base64')
      const withoutY = data.subarray(0, data.length - (4 + 129))
      expectInvalidKey(line('ssh-dss', withoutY), /ends before the DSA y/)
    })

    it('absurdly long input', () => {
      expectInvalidKey(`${ED25519} ${'x'.repeat(20000)}`, /too long/)
    })
  })
})

describe('fingerprints', () => {
  it('formats SHA256 as unpadded base64 and MD5 as colon-separated hex', () => {
    // sha256("") and md5("") are well-known constants.
    expect(fingerprintSha256(Buffer.alloc(0))).toBe('SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU')
    expect(fingerprintMd5(Buffer.alloc(0))).toBe('d4:1d:8c:d9:8f:00:b2:04:e9:80:09:98:ec:f8:42:7e')
  })
})

describe('validateKeypairName', () => {
  it.each(['a', 'my-key', 'my_key.v2', 'alice@example.com', 'key with spaces', 'x'.repeat(255), ' padded '])(
    'accepts %j unchanged', (name) => {
      expect(validateKeypairName(name)).toBe(name)
    })

  it.each([undefined, null, 42, {}, ''])('rejects %j as not a 1..255 character string', (name) => {
    expectBadRequest(() => validateKeypairName(name), 'name', /between 1 and 255 characters/)
  })

  it('rejects names longer than 255 characters', () => {
    expectBadRequest(() => validateKeypairName('x'.repeat(256)), 'name', /between 1 and 255/)
  })

  it('rejects whitespace-only names', () => {
    expectBadRequest(() => validateKeypairName('   '), 'name', /only of whitespace/)
  })

  it.each(['key/1', 'key:1', 'tab\tkey', 'new\nline', 'clé', '키페어', 'a;b', '<script>'])('rejects %j', (name) => {
    expectBadRequest(() => validateKeypairName(name), 'name', /unsafe characters/)
  })
})
