import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../src/routes/api.js';
import * as table from '../src/routes/table.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Modules a source file loads at run time (type-only imports and exports are erased). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
}

function loaded(entry: string, seen = new Set<string>()): Set<string> {
  for (const spec of runtimeImports(entry)) {
    if (!spec.startsWith('.')) {
      seen.add(spec);
      continue;
    }
    const file = resolve(dirname(entry), spec.replace(/\.js$/, '.ts'));
    if (seen.has(file)) continue;
    seen.add(file);
    loaded(file, seen);
  }
  return seen;
}

describe('the zod-free route table (api)', () => {
  it('has every route of the full table, with the same method, path and answer kind', () => {
    const strip = (r: { method: string; path: string; answers?: string; status?: number }) => ({
      method: r.method,
      path: r.path,
      answers: r.answers,
      status: r.status,
    });
    const full = Object.fromEntries(Object.entries(table).map(([name, r]) => [name, strip(r)]));
    const wire = Object.fromEntries(Object.entries(api).map(([name, r]) => [name, strip(r)]));
    expect(wire).toEqual(full);
  });

  it("keeps zod off the package's main entry, which the CLI and the daemon's errors load", () => {
    const deps = loaded(join(src, 'index.ts'));
    expect([...deps].filter((d) => d === 'zod' || d.startsWith('zod/'))).toEqual([]);
    expect([...loaded(join(src, 'routes', 'index.ts'))]).toContain('zod');
  });
});
