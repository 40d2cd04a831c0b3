import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations.js';

describe('state.db schema version', () => {
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ns-schema-'));
    file = join(dir, 'state.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates a new file to the latest version, and opens it again unchanged', () => {
    openDb(file).close();
    const db = openDb(file);
    expect(db.prepare('SELECT version FROM schema_version').get()).toEqual({ version: migrations.length });
    db.close();
  });

  it('refuses a file written by a newer daemon instead of running on it', () => {
    openDb(file).close();
    const raw = new DatabaseSync(file);
    raw.prepare('UPDATE schema_version SET version = ?').run(migrations.length + 1);
    raw.close();
    expect(() => openDb(file)).toThrow(
      expect.objectContaining({
        code: 'NS_STATE_TOO_NEW',
        message: expect.stringContaining('newer nightshift'),
      }),
    );
  });
});
