import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKeys, digestOf, open, seal, type Sealed } from '../../src/secrets/crypto.js';

const keys = deriveKeys(randomBytes(32));
const VALUE = 'postgres://app:s3cr3t-p4ss@db.internal:5432/shop';

function flipByte(bytes: Uint8Array, at = 0): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at % copy.length]! ^= 0x01;
  return copy;
}

function decryptError(fn: () => string): { code?: string; message: string } {
  try {
    const value = fn();
    throw new Error(`decrypted to ${JSON.stringify(value)} instead of failing`);
  } catch (err) {
    return err as { code?: string; message: string };
  }
}

describe('AES-256-GCM sealing of one secret', () => {
  it('round-trips any UTF-8 value, with a fresh 96-bit nonce per write', () => {
    for (const value of [VALUE, 'é✓ 🎉', 'line one\nline two\n', 'x'.repeat(32 * 1024)]) {
      expect(open(keys, 'shop', 'X', seal(keys, 'shop', 'X', value))).toBe(value);
    }
    const a = seal(keys, 'shop', 'DATABASE_URL', VALUE);
    const b = seal(keys, 'shop', 'DATABASE_URL', VALUE);
    expect(a.nonce).toHaveLength(12);
    expect(a.tag).toHaveLength(16);
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
    expect(Buffer.from(a.ciphertext).includes(Buffer.from(VALUE))).toBe(false);
  });

  it('fails loudly with NS_SECRET_DECRYPT_FAILED when ciphertext, nonce, tag or associated data change', () => {
    const sealed = seal(keys, 'shop', 'DATABASE_URL', VALUE);
    const cases: [string, () => string][] = [
      [
        'ciphertext',
        () => open(keys, 'shop', 'DATABASE_URL', { ...sealed, ciphertext: flipByte(sealed.ciphertext, 7) }),
      ],
      ['nonce', () => open(keys, 'shop', 'DATABASE_URL', { ...sealed, nonce: flipByte(sealed.nonce) })],
      ['tag', () => open(keys, 'shop', 'DATABASE_URL', { ...sealed, tag: flipByte(sealed.tag, 15) })],
      [
        'truncated tag',
        () => open(keys, 'shop', 'DATABASE_URL', { ...sealed, tag: sealed.tag.subarray(0, 12) }),
      ],
      ['moved to another app', () => open(keys, 'shop2', 'DATABASE_URL', sealed)],
      ['moved to another name', () => open(keys, 'shop', 'REDIS_PASSWORD', sealed)],
      ['another key', () => open(deriveKeys(randomBytes(32)), 'shop', 'DATABASE_URL', sealed)],
    ];
    for (const [what, attempt] of cases) {
      const err = decryptError(attempt);
      expect(err.code, what).toBe('NS_SECRET_DECRYPT_FAILED');
      expect(err.message).toMatch(/^secret (DATABASE_URL|REDIS_PASSWORD) of shop2? fails authentication/);
      expect(err.message).not.toContain(VALUE);
    }
  });

  it('never yields a value for a ciphertext spliced from another secret of the same length', () => {
    const a = seal(keys, 'shop', 'A', 'value-one-aaaa');
    const b = seal(keys, 'shop', 'B', 'value-two-bbbb');
    const spliced: Sealed = { nonce: a.nonce, ciphertext: b.ciphertext, tag: a.tag };
    expect(decryptError(() => open(keys, 'shop', 'A', spliced)).code).toBe('NS_SECRET_DECRYPT_FAILED');
  });
});

describe('derived keys', () => {
  it('gives a keyed digest: stable under one key, different under another, never a plain hash of the value', () => {
    const other = deriveKeys(randomBytes(32));
    expect(digestOf(keys, VALUE)).toMatch(/^[0-9a-f]{16}$/);
    expect(digestOf(keys, VALUE)).toBe(digestOf(keys, VALUE));
    expect(digestOf(keys, VALUE)).not.toBe(digestOf(keys, `${VALUE}x`));
    expect(digestOf(other, VALUE)).not.toBe(digestOf(keys, VALUE));
    for (const algo of ['sha256', 'sha1', 'md5', 'sha512']) {
      expect(createHash(algo).update(VALUE).digest('hex')).not.toContain(digestOf(keys, VALUE));
    }
  });

  it('separates the encryption key, the digest key and the fingerprint', () => {
    const master = randomBytes(32);
    const k = deriveKeys(master);
    expect(k.encryption.equals(master)).toBe(false);
    expect(k.digest.equals(k.encryption)).toBe(false);
    expect(k.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(deriveKeys(Buffer.from(master)).fingerprint).toBe(k.fingerprint);
    expect(() => deriveKeys(randomBytes(16))).toThrow(/32 bytes/);
  });
});
