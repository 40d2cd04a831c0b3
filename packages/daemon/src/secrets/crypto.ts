import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { nodeCrypto } from '../runtime/builtins.js';

/** Length of the master key and of every key derived from it (AES-256). */
export const KEY_BYTES = 32;
/** GCM's recommended nonce: 96 bits, random per write. */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Hex characters of the keyed digest `secrets ls` shows (64 bits: enough to tell values apart). */
const DIGEST_HEX = 16;
const HKDF_SALT = 'nightshift-secrets-v1';

/**
 * The keys one master key stands for. Each purpose gets its own subkey (HKDF-SHA256 with a distinct `info`), so
 * the digest `secrets ls` shows and the key fingerprint stored in the database reveal nothing about the key that
 * encrypts.
 */
export interface SecretKeys {
  readonly encryption: Buffer;
  readonly digest: Buffer;
  /** 16 hex characters naming the master key (derived one way): stored to detect a wrong key at start. */
  readonly fingerprint: string;
}

/** One encrypted value as stored. */
export interface Sealed {
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

export function deriveKeys(master: Buffer): SecretKeys {
  if (master.length !== KEY_BYTES)
    throw new Error(`a master key has ${KEY_BYTES} bytes, not ${master.length}`);
  const sub = (info: string, length: number) =>
    Buffer.from(nodeCrypto().hkdfSync('sha256', master, HKDF_SALT, info, length));
  return {
    encryption: sub('nightshift/secrets/aes-256-gcm', KEY_BYTES),
    digest: sub('nightshift/secrets/digest', KEY_BYTES),
    fingerprint: sub('nightshift/master-key/fingerprint', 8).toString('hex'),
  };
}

/**
 * The associated data binding a ciphertext to its place: a value copied to another app or name (or to another
 * row by editing the database) fails authentication instead of decrypting there. NUL cannot occur in either part.
 */
function associatedData(app: string, name: string): Buffer {
  return Buffer.from(`nightshift:secret:v1\0${app}\0${name}`, 'utf8');
}

/** Encrypts `value` for `app`/`name` with a fresh random nonce. */
export function seal(keys: SecretKeys, app: string, name: string, value: string): Sealed {
  const nonce = nodeCrypto().randomBytes(NONCE_BYTES);
  const cipher = nodeCrypto().createCipheriv('aes-256-gcm', keys.encryption, nonce, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(associatedData(app, name));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Decrypts a stored value. Any change to the ciphertext, nonce, tag, app or name (or another key) fails GCM's
 * authentication: that throws `NS_SECRET_DECRYPT_FAILED` and never returns a wrong value.
 */
export function open(keys: SecretKeys, app: string, name: string, sealed: Sealed): string {
  try {
    if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES)
      throw new Error('malformed nonce or tag');
    const decipher = nodeCrypto().createDecipheriv('aes-256-gcm', keys.encryption, sealed.nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(associatedData(app, name));
    decipher.setAuthTag(sealed.tag);
    const plain = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    return plain.toString('utf8');
  } catch (err) {
    throw new NightshiftError(
      ErrorCodes.secretDecryptFailed,
      `secret ${name} of ${app} fails authentication: its stored ciphertext, nonce or tag was changed, it was moved from another app or name, or it was encrypted under another master key`,
      `set it again (\`nightshift secrets set ${name} --app ${app}\`), or restore state.db and master.key from the same backup`,
      { cause: err },
    );
  }
}

/** The short keyed digest of a value: equal values give equal digests under one master key, nothing more. */
export function digestOf(keys: SecretKeys, value: string): string {
  return nodeCrypto()
    .createHmac('sha256', keys.digest)
    .update(value, 'utf8')
    .digest('hex')
    .slice(0, DIGEST_HEX);
}
