import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { nodeCrypto } from '../runtime/builtins.js';
import { KEY_BYTES } from './crypto.js';

/** The environment variable that carries the master key instead of the file (base64 of 32 bytes). */
export const MASTER_KEY_ENV = 'NIGHTSHIFT_MASTER_KEY';

/** Where the master key came from: only a key kept in the file can be rotated by the daemon. */
export type KeySource = 'env' | 'file';

export interface LoadedKey {
  readonly master: Buffer;
  readonly source: KeySource;
}

/** Decodes a key written as base64 (or base64url) of exactly 32 bytes; the error never repeats the text. */
export function parseMasterKey(text: string, where: string): Buffer {
  const bare = text.trim().replace(/=+$/, '');
  const key = Buffer.from(bare, 'base64url');
  // Decoding is lenient (it skips junk), so the key must also encode back to exactly the text given.
  const roundTrips = key.toString('base64url') === bare.replaceAll('+', '-').replaceAll('/', '_');
  if (key.length !== KEY_BYTES || !roundTrips) {
    throw new NightshiftError(
      ErrorCodes.secretsKeyInvalid,
      `${where} is not a master key: it must be the base64 of exactly ${KEY_BYTES} bytes (${text.trim().length} characters given)`,
      `make one with \`openssl rand -base64 ${KEY_BYTES}\`, or remove it to let the daemon keep its own key in master.key`,
    );
  }
  return key;
}

/**
 * Refuses a key file anyone but its owner could read or change: a secret store is only as private as its key.
 * The home is 0700 already, but a key copied in with a loose mode, or a home opened up later, must not pass.
 */
export function checkKeyFile(file: string): void {
  const info = statSync(file);
  if (!info.isFile()) {
    throw new NightshiftError(
      ErrorCodes.secretsKeyUnsafe,
      `${file} is not a regular file`,
      'replace it with the key file (base64 of 32 bytes, mode 0600)',
    );
  }
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new NightshiftError(
      ErrorCodes.secretsKeyUnsafe,
      `${file} belongs to another user (uid ${info.uid})`,
      "the master key must belong to the daemon's user: chown it, or use a NIGHTSHIFT_HOME of your own",
    );
  }
  const loose = info.mode & 0o077;
  if (loose !== 0) {
    const who = [loose & 0o070 ? 'its group' : '', loose & 0o007 ? 'other users' : '']
      .filter(Boolean)
      .join(' and ');
    throw new NightshiftError(
      ErrorCodes.secretsKeyUnsafe,
      `${file} has mode 0${(info.mode & 0o777).toString(8)}: ${who} can reach the master key`,
      `run \`chmod 600 ${file}\`; if others may have read it, rotate it afterwards (\`nightshift secrets rotate-key\`)`,
    );
  }
}

/** The key in the file, or null when there is no file. Checks the file's mode first. */
export function readKeyFile(file: string): Buffer | null {
  if (!existsSync(file)) return null;
  checkKeyFile(file);
  return parseMasterKey(readFileSync(file, 'utf8'), file);
}

/** The key to use: NIGHTSHIFT_MASTER_KEY when set, else the file; null when neither exists. */
export function loadMasterKey(file: string, envValue: string | undefined): LoadedKey | null {
  // The file is checked even when the environment wins: a readable key file on disk is a leak either way.
  const fromFile = readKeyFile(file);
  if (envValue !== undefined && envValue !== '')
    return { master: parseMasterKey(envValue, MASTER_KEY_ENV), source: 'env' };
  return fromFile === null ? null : { master: fromFile, source: 'file' };
}

/** A new random master key. */
export function newMasterKey(): Buffer {
  return nodeCrypto().randomBytes(KEY_BYTES);
}

/** Writes a new key file (0600 from the first byte, never over an existing file) and syncs it and its folder. */
export function createKeyFile(file: string, key: Buffer): void {
  writeDurably(file, key);
}

/** Where a rotation keeps the new key until the database has been re-encrypted under it. */
export function nextKeyPath(file: string): string {
  return `${file}.next`;
}

/** Step 1 of a rotation: the new key on disk beside the old one. */
export function writeNextKey(file: string, key: Buffer): void {
  rmSync(nextKeyPath(file), { force: true });
  writeDurably(nextKeyPath(file), key);
}

/** Step 3 of a rotation (after the database commit): the new key replaces the old one in one rename. */
export function commitNextKey(file: string): void {
  renameSync(nextKeyPath(file), file);
  syncDir(dirname(file));
}

export function discardNextKey(file: string): void {
  rmSync(nextKeyPath(file), { force: true });
}

/**
 * Finishes or undoes a rotation a crash interrupted. The database says which key won: when it records the new
 * key's fingerprint the commit happened and the new key takes the file's place; otherwise the new key is dropped.
 */
export function recoverRotation(
  file: string,
  storedFingerprint: string | null,
  fingerprintOf: (key: Buffer) => string,
): void {
  const next = nextKeyPath(file);
  if (!existsSync(next)) return;
  checkKeyFile(next);
  const key = parseMasterKey(readFileSync(next, 'utf8'), next);
  if (storedFingerprint !== null && fingerprintOf(key) === storedFingerprint) commitNextKey(file);
  else discardNextKey(file);
}

function writeDurably(path: string, key: Buffer): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, key.toString('base64') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDir(dirname(path));
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
