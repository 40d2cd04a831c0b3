import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AutoscaleSpec, ProcessSpec } from '@nightshift/manifest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AutoscaleBounds } from '../../src/autoscale/index.js';
import * as store from '../../src/store/index.js';

const spec = (min: number, max: number) => ({ min, max }) as AutoscaleSpec;
const proc = (name: string, autoscale: AutoscaleSpec | null) =>
  ({ name, autoscale }) as unknown as ProcessSpec;

describe('autoscale bounds set with scale --min/--max', () => {
  let dir: string;
  let file: string;
  let db: store.Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ns-bounds-'));
    file = join(dir, 'state.db');
    db = store.openDb(file);
    store.ensureApp(db, 'shop', dir, 0);
    store.ensureApp(db, 'blog', dir, 0);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('outlive the daemon: a new instance on the same database restores them', () => {
    new AutoscaleBounds(db).set('shop', 'emails', spec(1, 6), 2, 3);
    db.close();
    db = store.openDb(file);
    const restored = new AutoscaleBounds(db);
    expect(restored.of('shop', 'emails', spec(1, 6))).toEqual({ min: 2, max: 3, overridden: true });
    expect(restored.of('shop', 'other', spec(1, 6))).toEqual({ min: 1, max: 6, overridden: false });
  });

  it('end when a deploy changes the manifest bounds of that process, and only then', () => {
    const bounds = new AutoscaleBounds(db);
    bounds.set('shop', 'emails', spec(1, 6), 2, 3);
    bounds.set('shop', 'pdf', spec(0, 2), 1, 1);
    bounds.set('blog', 'emails', spec(1, 6), 4, 4);
    // Same bounds for emails, pdf's max changed: only pdf's override ends; another app's is left alone.
    const cleared = bounds.follow('shop', [proc('emails', spec(1, 6)), proc('pdf', spec(0, 5))]);
    expect(cleared).toEqual([
      { process: 'pdf', min: 1, max: 1, againstMin: 0, againstMax: 2, manifestMin: 0, manifestMax: 5 },
    ]);
    const after = new AutoscaleBounds(db);
    expect(after.of('shop', 'emails', spec(1, 6)).overridden).toBe(true);
    // Back to the old manifest bounds: the ended override does not come back.
    expect(after.of('shop', 'pdf', spec(0, 2))).toEqual({ min: 0, max: 2, overridden: false });
    expect(after.of('blog', 'emails', spec(1, 6)).overridden).toBe(true);
    // A process no longer autoscaled (or gone) ends its override too.
    expect(after.follow('shop', [proc('emails', null)]).map((c) => c.process)).toEqual(['emails']);
    expect(store.listAutoscaleBounds(db).map((b) => b.app)).toEqual(['blog']);
  });

  it('go with a destroyed app', () => {
    const bounds = new AutoscaleBounds(db);
    bounds.set('shop', 'emails', spec(1, 6), 2, 3);
    bounds.forgetApp('shop');
    expect(new AutoscaleBounds(db).of('shop', 'emails', spec(1, 6)).overridden).toBe(false);
  });
});
