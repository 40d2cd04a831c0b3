import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

/** Every code the render or its CLI command can report has a row in docs/errors.md, and no row is orphaned. */

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SOURCES = [
  ...readdirSync(join(ROOT, 'packages/render-kubernetes/src')).map((f) =>
    join(ROOT, 'packages/render-kubernetes/src', f),
  ),
  join(ROOT, 'packages/cli/src/commands/render.ts'),
  join(ROOT, 'packages/cli/src/commands/render-run.ts'),
];

function codes(text: string): Set<string> {
  return new Set(text.match(/NS_RENDER_K8S_[A-Z_]*[A-Z]/g) ?? []);
}

test('the error catalogue lists exactly the codes the render reports', () => {
  const used = codes(SOURCES.map((f) => readFileSync(f, 'utf8')).join('\n'));
  const catalogue = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
  const rows = new Set([...catalogue.matchAll(/^\| `(NS_RENDER_K8S_[A-Z_]+)`\s*\|/gm)].map((m) => m[1]));
  expect([...used].sort()).toEqual([...rows].sort());
});
