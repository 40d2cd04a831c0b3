import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Benchmarks load the daemon's built modules by path, which no compiler checks: a module that moves (issue 14
// moved runtime/environment.js to process/) broke a benchmark unnoticed. `npm test` builds first.
const bench = new URL('../', import.meta.url);
const dist = new URL('../../packages/daemon/dist/', import.meta.url);

function builtPaths(text: string): string[] {
  // `.catch(() => imp('…'))` is an older build's path, for BENCH_COMPARE: this build need not have it.
  const fallbacks = new Set([...text.matchAll(/catch\(\(\) =>\s*imp\('([^']+)'\)/g)].map((m) => m[1]!));
  const viaImp = [...text.matchAll(/\bimp\('([^']+)'\)/g)].map((m) => m[1]!).filter((p) => !fallbacks.has(p));
  const viaUrl = [...text.matchAll(/packages\/daemon\/dist\/([\w/.-]+\.js)/g)].map((m) => m[1]!);
  return [...viaImp, ...viaUrl];
}

describe('benchmarks', () => {
  it('load only built daemon modules that exist', () => {
    const files = [
      ...readdirSync(bench).filter((f) => f.endsWith('.mjs')),
      ...readdirSync(new URL('fixtures/', bench))
        .filter((f) => f.endsWith('.mjs'))
        .map((f) => `fixtures/${f}`),
    ];
    const missing = files.flatMap((file) =>
      builtPaths(readFileSync(new URL(file, bench), 'utf8'))
        .filter((path) => !existsSync(fileURLToPath(new URL(path, dist))))
        .map((path) => `${file}: ${path}`),
    );
    expect(files.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });
});
