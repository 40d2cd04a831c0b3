import { type Db, prepared } from './db.js';

/** One stored secret: ciphertext, nonce and tag of AES-256-GCM, never the value. */
export interface SecretRow {
  readonly app: string;
  readonly name: string;
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
  /** Keyed digest of the value (HMAC under a key derived from the master key), for `secrets ls`. */
  readonly digest: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface RawSecret {
  app: string;
  name: string;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
  digest: string;
  created_at: number;
  updated_at: number;
}

const toSecret = (r: RawSecret): SecretRow => ({
  app: r.app,
  name: r.name,
  nonce: r.nonce,
  ciphertext: r.ciphertext,
  tag: r.tag,
  digest: r.digest,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** An app's secrets by name; every app's when `app` is omitted (key rotation). */
export function listSecrets(db: Db, app?: string): SecretRow[] {
  const rows =
    app === undefined
      ? prepared(db, 'SELECT * FROM secrets ORDER BY app, name').all()
      : prepared(db, 'SELECT * FROM secrets WHERE app = ? ORDER BY name').all(app);
  return (rows as unknown as RawSecret[]).map(toSecret);
}

/** Apps that hold at least one secret (some may not be deployed yet). */
export function listSecretApps(db: Db): string[] {
  return (prepared(db, 'SELECT DISTINCT app FROM secrets ORDER BY app').all() as { app: string }[]).map(
    (r) => r.app,
  );
}

/** Inserts or replaces a secret's ciphertext; `createdAt` of an existing secret is kept. */
export function upsertSecret(db: Db, row: Omit<SecretRow, 'createdAt' | 'updatedAt'>, now: number): void {
  prepared(
    db,
    `INSERT INTO secrets (app, name, nonce, ciphertext, tag, digest, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(app, name) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext, tag = excluded.tag,
       digest = excluded.digest, updated_at = excluded.updated_at`,
  ).run(row.app, row.name, row.nonce, row.ciphertext, row.tag, row.digest, now, now);
}

/** Re-encryption under a new key: same value, times untouched. */
export function replaceSecretCiphertext(
  db: Db,
  row: Pick<SecretRow, 'app' | 'name' | 'nonce' | 'ciphertext' | 'tag' | 'digest'>,
): void {
  prepared(
    db,
    'UPDATE secrets SET nonce = ?, ciphertext = ?, tag = ?, digest = ? WHERE app = ? AND name = ?',
  ).run(row.nonce, row.ciphertext, row.tag, row.digest, row.app, row.name);
}

export function deleteSecret(db: Db, app: string, name: string): void {
  prepared(db, 'DELETE FROM secrets WHERE app = ? AND name = ?').run(app, name);
}

export function deleteAppSecrets(db: Db, app: string): void {
  prepared(db, 'DELETE FROM secrets WHERE app = ?').run(app);
}

/** The fingerprint of the master key the secrets are encrypted under, or null before the first start. */
export function getKeyFingerprint(db: Db): string | null {
  const row = prepared(db, 'SELECT fingerprint FROM secrets_key WHERE id = 1').get() as
    { fingerprint: string } | undefined;
  return row?.fingerprint ?? null;
}

/** Records the master key's fingerprint: at the first start, and at each rotation (`rotated` true). */
export function setKeyFingerprint(db: Db, fingerprint: string, now: number, rotated: boolean): void {
  prepared(
    db,
    `INSERT INTO secrets_key (id, fingerprint, created_at) VALUES (1, ?, ?)
     ON CONFLICT(id) DO UPDATE SET fingerprint = excluded.fingerprint, rotated_at = ?`,
  ).run(fingerprint, now, rotated ? now : null);
}
