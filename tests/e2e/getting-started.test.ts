import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers.js';

// Issue 20: docs/getting-started.md shows the shop's manifest without its comments; it must stay the real one,
// and both it and the shop's file must validate with the `nightshift validate` the page tells readers to run.
const doc = () => readFileSync(join(ROOT, 'docs', 'getting-started.md'), 'utf8');
const shopManifest = join(ROOT, 'examples', 'shop', '.paas', 'app.yaml');

/** YAML without comment lines, trailing comments and blank lines. */
function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .map((line) => line.replace(/\s+#\s.*$/, '').trimEnd())
    .filter(Boolean)
    .join('\n');
}

describe('docs/getting-started.md', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows the shop's manifest as it is, and it validates", () => {
    const snippet = /```yaml\n([\s\S]*?)```/.exec(doc())?.[1] ?? '';
    expect(withoutComments(snippet)).toBe(withoutComments(readFileSync(shopManifest, 'utf8')));
    dir = mkdtempSync(join(tmpdir(), 'ns-getting-started-'));
    mkdirSync(join(dir, '.paas'));
    writeFileSync(join(dir, '.paas', 'app.yaml'), snippet);
    // `nightshift validate` in the app's folder, as step 3 shows it.
    const out = execFileSync(process.execPath, [BIN, 'validate'], { cwd: dir, encoding: 'utf8' });
    expect(out).toContain('shop: web, 2 workers (3 replicas), 2 cron jobs, redis');
    const shop = execFileSync(process.execPath, [BIN, 'validate'], {
      cwd: join(ROOT, 'examples', 'shop'),
      encoding: 'utf8',
    });
    expect(shop).toBe(out);
  });
});
