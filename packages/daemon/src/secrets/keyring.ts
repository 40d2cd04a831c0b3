import { existsSync } from 'node:fs';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import * as store from '../store/index.js';
import { deriveKeys, digestOf, open, seal, type SecretKeys } from './crypto.js';
import {
  commitNextKey,
  createKeyFile,
  discardNextKey,
  loadMasterKey,
  MASTER_KEY_ENV,
  newMasterKey,
  nextKeyPath,
  recoverRotation,
  writeNextKey,
  type KeySource,
} from './master-key.js';

/** The master key in use, its derived keys, and where it came from. */
export interface Keyring {
  readonly keys: SecretKeys;
  readonly source: KeySource;
}

/**
 * Whether the daemon must open the keyring at start: there is something to check (a key fingerprint in the
 * store, a key file, the variable, a rotation left half done). Otherwise the key is created with the first
 * secret, so a daemon that never stores one never loads node:crypto.
 */
export function keyringNeededAtStart(db: store.Db, keyFile: string, envKey: string | undefined): boolean {
  return (
    store.getKeyFingerprint(db) !== null ||
    envKey !== undefined ||
    existsSync(keyFile) ||
    existsSync(nextKeyPath(keyFile))
  );
}

/**
 * Opens the master key at daemon start, or refuses to start. In order: finish or undo a rotation a crash
 * interrupted; load `NIGHTSHIFT_MASTER_KEY` or `master.key` (a key file readable by others is refused); with
 * neither, create `master.key` (0600) — unless the database already holds a key's fingerprint, because a new
 * key cannot decrypt what the lost one encrypted; finally the key must be the one the store was written under.
 */
export function openKeyring(db: store.Db, keyFile: string, envKey: string | undefined, now: number): Keyring {
  const stored = store.getKeyFingerprint(db);
  recoverRotation(keyFile, stored, (key) => deriveKeys(key).fingerprint);
  let loaded = loadMasterKey(keyFile, envKey);
  if (loaded === null) {
    if (stored !== null) {
      throw new NightshiftError(
        ErrorCodes.secretsKeyMismatch,
        `the secret store was written under master key ${stored}, but there is neither ${keyFile} nor ${MASTER_KEY_ENV}`,
        `restore master.key from your backup (or set ${MASTER_KEY_ENV}); without that key the stored secrets cannot be read`,
      );
    }
    const master = newMasterKey();
    createKeyFile(keyFile, master);
    loaded = { master, source: 'file' };
  }
  const keys = deriveKeys(loaded.master);
  if (stored === null) {
    store.setKeyFingerprint(db, keys.fingerprint, now, false);
  } else if (stored !== keys.fingerprint) {
    const where = loaded.source === 'env' ? MASTER_KEY_ENV : keyFile;
    throw new NightshiftError(
      ErrorCodes.secretsKeyMismatch,
      `the master key in ${where} (fingerprint ${keys.fingerprint}) is not the key the secret store was written under (${stored})`,
      loaded.source === 'env'
        ? `set ${MASTER_KEY_ENV} to the key the store was written under, or unset it to use ${keyFile}`
        : `restore the master.key that belongs with this state.db (fingerprint ${stored})`,
    );
  }
  return { keys, source: loaded.source };
}

/**
 * Re-encrypts every secret under a new master key, all or nothing. The new key is written beside the old one
 * first; one database transaction decrypts each value with the old key and seals it with the new one (fresh
 * nonce, new digest) and records the new fingerprint; only after the commit does the new key replace the file.
 * A crash between the commit and the rename is finished at the next start (`openKeyring`); a failure before the
 * commit (a value that fails authentication) changes nothing.
 */
export function rotateKeyring(
  db: store.Db,
  keyFile: string,
  current: Keyring,
  now: number,
): { keyring: Keyring; count: number; renameError: unknown } {
  if (current.source === 'env') {
    throw new NightshiftError(
      ErrorCodes.secretsKeyFromEnv,
      `the master key comes from ${MASTER_KEY_ENV}, which the daemon cannot replace`,
      `to rotate it, unset ${MASTER_KEY_ENV} after writing its value to master.key (mode 0600) in the daemon's home, restart the daemon, then run \`nightshift secrets rotate-key\``,
    );
  }
  const master = newMasterKey();
  const keys = deriveKeys(master);
  writeNextKey(keyFile, master);
  let count: number;
  try {
    count = store.transaction(db, () => {
      const rows = store.listSecrets(db);
      for (const row of rows) {
        const value = open(current.keys, row.app, row.name, row);
        store.replaceSecretCiphertext(db, {
          app: row.app,
          name: row.name,
          ...seal(keys, row.app, row.name, value),
          digest: digestOf(keys, value),
        });
      }
      store.setKeyFingerprint(db, keys.fingerprint, now, true);
      return rows.length;
    });
  } catch (err) {
    discardNextKey(keyFile);
    throw err;
  }
  // Committed: from here on the new key is the key, even if the rename fails (the next start completes it).
  let renameError: unknown = null;
  try {
    commitNextKey(keyFile);
  } catch (err) {
    renameError = err;
  }
  return { keyring: { keys, source: 'file' }, count, renameError };
}
