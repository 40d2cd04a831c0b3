import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { dashboardPages } from '../../src/api/dashboard/pages.js';
import { inject } from './inject.js';

describe("the dashboard's files (pages.ts)", () => {
  const root = mkdtempSync(join(tmpdir(), 'ns-pages-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(root, 'assets', 'app-1.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app-1.js.gz'), gzipSync('console.log(1)'));
  writeFileSync(join(root, 'secret.txt'), 'not an asset');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const pages = dashboardPages(root);
  const as = (authorized: boolean) => inject((req, res) => pages(req, res, authorized));

  it('answers every page path with index.html: 200 with a session, 401 without', async () => {
    for (const path of ['/', '/apps/shop', '/apps/shop/runs/3?x=1']) {
      const ok = await as(true)(path);
      expect([ok.status, await ok.text()], path).toEqual([200, '<!doctype html><title>x</title>']);
      expect(ok.headers.get('cache-control')).toBe('no-store');
      expect((await as(false)(path)).status, path).toBe(401);
    }
    // The overview's data is preloaded for a session only, and only on the overview.
    expect((await as(true)('/')).headers.get('link')).toBe(
      ['apps', 'ps', 'cron'].map((p) => `</api/v1/${p}>; rel=preload; as=fetch; crossorigin`).join(', '),
    );
    expect((await as(false)('/')).headers.get('link')).toBeNull();
    expect((await as(true)('/apps/shop')).headers.get('link')).toBeNull();
  });

  it('serves hashed assets to anyone, gzipped when accepted, and nothing outside assets/', async () => {
    const plain = await as(false)('/assets/app-1.js');
    expect([plain.status, plain.headers.get('content-type'), await plain.text()]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'console.log(1)',
    ]);
    expect(plain.headers.get('cache-control')).toContain('immutable');
    const zipped = await as(false)('/assets/app-1.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    for (const path of [
      '/assets/../secret.txt',
      '/assets/%2e%2e/secret.txt',
      '/assets/nope.js',
      '/assets/',
    ]) {
      const res = await as(true)(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('not an asset');
    }
    expect((await as(true)('/', { method: 'POST', body: '' })).status).toBe(405);
  });
});
