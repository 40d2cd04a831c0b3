import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveKeys, open } from '../../src/secrets/crypto.js';
import { openKeyring } from '../../src/secrets/keyring.js';
import { nextKeyPath, parseMasterKey, writeNextKey } from '../../src/secrets/master-key.js';
import * as store from '../../src/store/index.js';
import { makeWorld, useTempDir } from './helpers.js';

const temp = useTempDir();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

function withDb<T>(home: string, fn: (db: store.Db) => T): T {
  const db = store.openDb(join(home, 'state.db'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('parseMasterKey', () => {
  it('takes base64 or base64url of exactly 32 bytes, with or without padding and a newline', () => {
    const key = randomBytes(32);
    for (const text of [
      key.toString('base64'),
      `${key.toString('base64')}\n`,
      key.toString('base64url'),
      key.toString('base64').replace(/=+$/, ''),
    ]) {
      expect(parseMasterKey(text, 'K').equals(key)).toBe(true);
    }
  });

  it('refuses other lengths and junk without repeating the text', () => {
    const short = randomBytes(16).toString('base64');
    for (const text of [
      short,
      randomBytes(33).toString('base64'),
      '',
      'not a key at all, clearly not base64!!',
      `${randomBytes(32).toString('base64')}#`,
    ]) {
      try {
        parseMasterKey(text, 'NIGHTSHIFT_MASTER_KEY');
        throw new Error(`accepted ${JSON.stringify(text)}`);
      } catch (err) {
        expect((err as { code: string }).code).toBe('NS_SECRETS_KEY_INVALID');
        if (text.length > 0) expect((err as Error).message).not.toContain(text.trim());
      }
    }
  });
});

describe('openKeyring', () => {
  it('creates master.key 0600 on first start and records its fingerprint', () => {
    const home = temp();
    const ring = withDb(home, (db) => openKeyring(db, join(home, 'master.key'), undefined, 1));
    expect(statSync(join(home, 'master.key')).mode & 0o777).toBe(0o600);
    const key = parseMasterKey(readFileSync(join(home, 'master.key'), 'utf8'), 'file');
    expect(ring.keys.fingerprint).toBe(deriveKeys(key).fingerprint);
    expect(ring.source).toBe('file');
    expect(withDb(home, (db) => store.getKeyFingerprint(db))).toBe(ring.keys.fingerprint);
    // Same key again on the next start.
    expect(
      withDb(home, (db) => openKeyring(db, join(home, 'master.key'), undefined, 2)).keys.fingerprint,
    ).toBe(ring.keys.fingerprint);
  });

  it('refuses a key file its group or other users can read or write', () => {
    const home = temp();
    withDb(home, (db) => openKeyring(db, join(home, 'master.key'), undefined, 1));
    for (const mode of [0o640, 0o604, 0o620, 0o666]) {
      chmodSync(join(home, 'master.key'), mode);
      expect(
        withDb(home, (db) => codeOf(() => openKeyring(db, join(home, 'master.key'), undefined, 2))),
      ).toBe('NS_SECRETS_KEY_UNSAFE');
    }
    chmodSync(join(home, 'master.key'), 0o400);
    expect(
      withDb(home, (db) => codeOf(() => openKeyring(db, join(home, 'master.key'), undefined, 2))),
    ).toBeUndefined();
  });

  it('prefers NIGHTSHIFT_MASTER_KEY, and refuses a key that is not the store’s', () => {
    const home = temp();
    const envKey = randomBytes(32).toString('base64');
    const ring = withDb(home, (db) => openKeyring(db, join(home, 'master.key'), envKey, 1));
    expect(ring.source).toBe('env');
    expect(existsSync(join(home, 'master.key'))).toBe(false);
    expect(
      withDb(home, (db) =>
        codeOf(() => openKeyring(db, join(home, 'master.key'), randomBytes(32).toString('base64'), 2)),
      ),
    ).toBe('NS_SECRETS_KEY_MISMATCH');
    // Neither the variable nor a file: a new key would not decrypt the store, so no key is made up.
    expect(withDb(home, (db) => codeOf(() => openKeyring(db, join(home, 'master.key'), undefined, 2)))).toBe(
      'NS_SECRETS_KEY_MISMATCH',
    );
    expect(existsSync(join(home, 'master.key'))).toBe(false);
    expect(
      withDb(home, (db) => codeOf(() => openKeyring(db, join(home, 'master.key'), envKey, 3))),
    ).toBeUndefined();
  });
});

describe('rotate-key', () => {
  it('re-encrypts every secret of every app: all decrypt under the new key, none under the old one', async () => {
    const home = temp();
    const world = makeWorld(home);
    await world.secrets.set(
      'shop',
      { DATABASE_URL: 'postgres://u:pw-one-111@db/shop', SMTP_PASS: 'smtp-pass-222' },
      true,
    );
    await world.secrets.set('blog', { API_TOKEN: 'token-blog-333' }, true);
    const oldKey = parseMasterKey(readFileSync(join(home, 'master.key'), 'utf8'), 'old');
    const before = store.listSecrets(world.db);

    const result = world.secrets.rotateKey();
    expect(result).toMatchObject({ previous: deriveKeys(oldKey).fingerprint, secrets: 3 });
    const newKey = parseMasterKey(readFileSync(join(home, 'master.key'), 'utf8'), 'new');
    expect(deriveKeys(newKey).fingerprint).toBe(result.fingerprint);
    expect(statSync(join(home, 'master.key')).mode & 0o777).toBe(0o600);
    expect(existsSync(nextKeyPath(join(home, 'master.key')))).toBe(false);

    const after = store.listSecrets(world.db);
    for (const row of after) {
      expect(codeOf(() => open(deriveKeys(oldKey), row.app, row.name, row))).toBe('NS_SECRET_DECRYPT_FAILED');
      const was = before.find((b) => b.app === row.app && b.name === row.name)!;
      expect(row.createdAt).toBe(was.createdAt);
      expect(row.digest).not.toBe(was.digest);
    }
    expect(world.secrets.values('shop', ['DATABASE_URL', 'SMTP_PASS'])).toEqual({
      DATABASE_URL: 'postgres://u:pw-one-111@db/shop',
      SMTP_PASS: 'smtp-pass-222',
    });
    expect(world.events.at(-1)).toMatchObject({
      type: 'secrets:key-rotated',
      data: { secrets: 3, fingerprint: result.fingerprint },
    });

    // The next start opens with the new file; the old key is refused.
    world.reopen();
    expect(world.secrets.values('blog', ['API_TOKEN'])).toEqual({ API_TOKEN: 'token-blog-333' });
    expect(codeOf(() => world.reopen(oldKey.toString('base64')))).toBe('NS_SECRETS_KEY_MISMATCH');
    await world.close();
  });

  it('changes nothing when one value fails authentication (and leaves no new key behind)', async () => {
    const home = temp();
    const world = makeWorld(home);
    await world.secrets.set('shop', { A_SECRET: 'value-aaaaaa', B_SECRET: 'value-bbbbbb' }, true);
    world.db
      .prepare("UPDATE secrets SET ciphertext = zeroblob(length(ciphertext)) WHERE name = 'B_SECRET'")
      .run();
    const keyBefore = readFileSync(join(home, 'master.key'), 'utf8');
    const rowsBefore = store.listSecrets(world.db);
    expect(codeOf(() => world.secrets.rotateKey())).toBe('NS_SECRET_DECRYPT_FAILED');
    expect(readFileSync(join(home, 'master.key'), 'utf8')).toBe(keyBefore);
    expect(existsSync(nextKeyPath(join(home, 'master.key')))).toBe(false);
    expect(store.listSecrets(world.db)).toEqual(rowsBefore);
    expect(world.secrets.values('shop', ['A_SECRET'])).toEqual({ A_SECRET: 'value-aaaaaa' });
    await world.close();
  });

  it('refuses to rotate a key that comes from NIGHTSHIFT_MASTER_KEY', async () => {
    const home = temp();
    const world = makeWorld(home, randomBytes(32).toString('base64'));
    expect(codeOf(() => world.secrets.rotateKey())).toBe('NS_SECRETS_KEY_FROM_ENV');
    await world.close();
  });

  it('after a crash between the commit and the rename, the next start completes the rotation', async () => {
    const home = temp();
    const keyFile = join(home, 'master.key');
    const world = makeWorld(home);
    await world.secrets.set('shop', { DATABASE_URL: 'postgres://crash-test-url' }, true);
    const oldText = readFileSync(keyFile, 'utf8');
    world.secrets.rotateKey();
    // The state a crash right after the database commit leaves: old key in master.key, new one beside it.
    const newText = readFileSync(keyFile, 'utf8');
    writeFileSync(keyFile, oldText, { mode: 0o600 });
    writeFileSync(nextKeyPath(keyFile), newText, { mode: 0o600 });
    world.reopen();
    expect(readFileSync(keyFile, 'utf8')).toBe(newText);
    expect(existsSync(nextKeyPath(keyFile))).toBe(false);
    expect(world.secrets.values('shop', ['DATABASE_URL'])).toEqual({
      DATABASE_URL: 'postgres://crash-test-url',
    });
    await world.close();
  });

  it('after a crash before the commit, the next start drops the unused new key', async () => {
    const home = temp();
    const keyFile = join(home, 'master.key');
    const world = makeWorld(home);
    await world.secrets.set('shop', { DATABASE_URL: 'postgres://crash-test-url' }, true);
    const keyBefore = readFileSync(keyFile, 'utf8');
    writeNextKey(keyFile, randomBytes(32));
    world.reopen();
    expect(readFileSync(keyFile, 'utf8')).toBe(keyBefore);
    expect(existsSync(nextKeyPath(keyFile))).toBe(false);
    expect(world.secrets.values('shop', ['DATABASE_URL'])).toEqual({
      DATABASE_URL: 'postgres://crash-test-url',
    });
    await world.close();
  });
});
