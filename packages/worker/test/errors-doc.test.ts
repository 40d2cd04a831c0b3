/** The worker section of docs/errors.md lists exactly the codes the SDK can raise, and the source raises no other. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WORKER_ERROR_CODES } from '../src/errors.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('error catalogue', () => {
  it('documents every worker code, and only those, in docs/errors.md', () => {
    const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Worker SDK'));
    const end = section.indexOf('\n## ', 5);
    const documented = [
      ...(end === -1 ? section : section.slice(0, end)).matchAll(/^\| `(NS_WORKER_[A-Z_]+)` +\|/gm),
    ].map((m) => m[1]);
    expect(documented.sort()).toEqual([...WORKER_ERROR_CODES].sort());
  });

  it('raises no code outside the catalogue', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(root, 'packages', 'worker', 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/'(NS_WORKER_[A-Z_]+)'/g)) used.add(match[1]!);
    }
    expect([...used].filter((code) => !(WORKER_ERROR_CODES as readonly string[]).includes(code))).toEqual([]);
  });
});
