import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import * as store from '../../src/store/index.js';

/** Deterministic, so a failure replays. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A fresh state database in a temporary folder for each test of the suite; `db()` is the current one. */
export function tempDbPerTest(prefix: string): { db: () => store.Db } {
  let dir = '';
  let db: store.Db | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    db = store.openDb(join(dir, 'state.db'));
  });
  afterEach(() => {
    db?.close();
    db = null;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    db: () => {
      if (!db) throw new Error('no database outside a test');
      return db;
    },
  };
}
