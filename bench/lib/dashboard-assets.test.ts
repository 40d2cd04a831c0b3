import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 19: the dashboard's JavaScript is ≤ 120 KB gzipped in all, and the page has no inline script (the CSP
// refuses it). Reads the build (`npm test` builds first), so a dependency that bloats the bundle fails here.
const dist = fileURLToPath(new URL('../../packages/daemon/dist/dashboard/', import.meta.url));

describe.runIf(existsSync(dist))('the built dashboard', () => {
  it('ships ≤ 120 KB of gzipped JavaScript, pre-compressed beside each file', () => {
    const js = readdirSync(`${dist}assets`).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    const total = js.reduce((sum, f) => sum + statSync(`${dist}assets/${f}.gz`).size, 0);
    expect(total).toBeLessThanOrEqual(120 * 1024);
  });

  it('loads its scripts and styles from files only', () => {
    const html = readFileSync(`${dist}index.html`, 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });
});
