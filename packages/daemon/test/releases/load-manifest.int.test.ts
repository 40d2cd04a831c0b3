import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadManifest, manifestReaderStarts } from '../../dist/releases/load-manifest.js'; // dist: the reader child is a built file

/** The real reader child, its content cache, and the folder-name default. */
describe('loadManifest', () => {
  let dir: string;
  const now = new Date('2026-12-01T12:00:00Z');
  const write = (text: string) => writeFileSync(join(dir, '.paas', 'app.yaml'), text);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ns-load-manifest-'));
    mkdirSync(join(dir, '.paas'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles once per content: an unchanged manifest skips the reader, a changed one is read again', async () => {
    const cache = join(dir, 'cache');
    write('name: shop\nworkers:\n  - name: emails\n    start: node emails.js\n    replicas: 2\n');
    const starts = manifestReaderStarts();
    const first = await loadManifest(dir, '.paas/app.yaml', now, {
      defaultName: 'x',
      compileCacheDir: cache,
    });
    expect(first.workers.map((w) => [w.name, w.replicas])).toEqual([['emails', 2]]);
    const again = await loadManifest(dir, '.paas/app.yaml', now, {
      defaultName: 'x',
      compileCacheDir: cache,
    });
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    expect(manifestReaderStarts()).toBe(starts + 1);

    write('name: shop\nworkers:\n  - name: emails\n    start: node emails.js\n    replicas: 3\n');
    const changed = await loadManifest(dir, '.paas/app.yaml', now, {
      defaultName: 'x',
      compileCacheDir: cache,
    });
    expect(changed.workers[0]!.replicas).toBe(3);
    expect(manifestReaderStarts()).toBe(starts + 2);
    // Node keeps its compile cache there, so the next reader compiles less.
    expect(readdirSync(cache).length).toBeGreaterThan(0);
  });

  it('names the app after the deployed folder when the manifest has no name', async () => {
    write('workers:\n  - name: emails\n    start: node emails.js\n');
    const spec = await loadManifest(dir, '.paas/app.yaml', now, { defaultName: 'billing' });
    expect(spec.name).toBe('billing');
  });

  it('reports every located problem, and a missing file by its path', async () => {
    write('name: shop\nworkers:\n  - name: 2emails\n    start: node emails.js\n    replicas: -1\n');
    const err = await loadManifest(dir, '.paas/app.yaml', now, { defaultName: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NS_MANIFEST_INVALID' });
    expect((err as Error).message).toMatch(/\.paas\/app\.yaml:3/);
    rmSync(join(dir, '.paas', 'app.yaml'));
    const missing = await loadManifest(dir, '.paas/app.yaml', now, { defaultName: 'x' }).catch(
      (e: unknown) => e,
    );
    expect((missing as Error).message).toContain(
      `cannot read the manifest ${join(dir, '.paas', 'app.yaml')}: ENOENT`,
    );
  });

  it('says why when the reader itself fails, and answers the next deploy normally', async () => {
    write('name: shop\nworkers:\n  - name: emails\n    start: node emails.js\n    replicas: 4\n');
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `--require ${join(dir, 'no-such-preload.cjs')}`; // the reader dies before it reads
    try {
      const err = await loadManifest(dir, '.paas/app.yaml', now, { defaultName: 'x' }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'NS_INTERNAL' });
      expect((err as Error).message).toContain('the manifest reader failed');
      expect((err as Error).message).toContain('no-such-preload.cjs');
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
    const spec = await loadManifest(dir, '.paas/app.yaml', now, { defaultName: 'x' });
    expect(spec.workers[0]!.replicas).toBe(4);
  });
});
