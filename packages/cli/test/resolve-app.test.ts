import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveApp } from '../src/lib/context.js';

// Commands other than validate find the app as the daemon named it at deploy: an unnamed manifest in `My_Shop`
// is the app `my-shop` (defect 7 of issue 22), never `My_Shop`, which no app can be called.

const root = mkdtempSync(join(tmpdir(), 'nightshift-resolve-app-'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, manifest: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, '.paas'), { recursive: true });
  writeFileSync(join(dir, '.paas', 'app.yaml'), manifest);
  return dir;
}

describe('resolveApp', () => {
  it('takes --app first, then the manifest’s name', () => {
    const dir = folder('named', 'name: shop\nworkers: []\n');
    expect(resolveApp({ app: 'other' }, dir)).toBe('other');
    expect(resolveApp({}, dir)).toBe('shop');
  });

  it('makes the name from the folder as the manifest package does', () => {
    expect(resolveApp({}, folder('My_Shop', 'workers: []\n'))).toBe('my-shop');
    expect(resolveApp({}, folder('tmp.x1', 'workers: []\n'))).toBe('tmp-x1');
  });

  it('asks for a name when the folder gives none', () => {
    const dir = folder('1999', 'workers: []\n');
    expect(() => resolveApp({}, dir)).toThrow(/the folder name "1999" has no letter to start one with/);
    expect(() => resolveApp({}, dir)).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('add `name: <app>`') }),
    );
  });
});
