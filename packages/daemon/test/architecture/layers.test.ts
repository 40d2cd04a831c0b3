import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sources } from './sources.js';

// DESIGN §9's dependency direction for the daemon, checked on the source text (the lint config checks the same
// for PURE folders; this runs with the tests). Paths are relative to the daemon's src.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const files = sources(SRC).map((file) => ({ path: relative(SRC, file), text: readFileSync(file, 'utf8') }));

/** The src-relative modules a file imports at run time (type-only imports vanish at compile time). */
function runtimeImports(path: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/gm)) {
    out.push(relative(SRC, resolve(SRC, dirname(path), m[1]!)).replace(/\.js$/, '.ts'));
  }
  return out;
}

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);

describe('daemon layers', () => {
  it('nothing but the composition root and the package index imports the API', () => {
    const offenders = files
      .filter((f) => !under('api')(f.path) && f.path !== 'main.ts' && f.path !== 'index.ts')
      .filter((f) => runtimeImports(f.path, f.text).some(under('api')))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('routes reach services, never the store', () => {
    const offenders = files
      .filter((f) => under('api/routes')(f.path))
      .filter((f) => runtimeImports(f.path, f.text).some(under('store')) || /\bstore\.\w+\(/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('apps/ sits above the services it drives: only the API and the composition root import it', () => {
    const offenders = files
      .filter((f) => !under('apps')(f.path) && !under('api')(f.path) && f.path !== 'main.ts')
      .filter((f) => runtimeImports(f.path, f.text).some(under('apps')))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it("only apps/ changes an app's desired state (formation, live release, reconcile, activate)", () => {
    const changes =
      /\bstore\.(setScaled|setStopped|setLiveRelease)\(|\bsupervisor\.(reconcile|activate|restart|remove)\(/;
    const offenders = files
      .filter((f) => !under('apps')(f.path) && !under('store')(f.path) && !under('supervisor')(f.path))
      .filter((f) => changes.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('PURE folders import no filesystem, process or socket module and read no clock', () => {
    const impure = /from\s+'(?:node:)?(?:fs|fs\/promises|child_process|net|http|https|dgram|tls|cluster)'/;
    const clock = /\bDate\.now\(\)|new Date\(\)/;
    const offenders = files
      .filter((f) => /(^|\/)pure\//.test(f.path))
      .filter((f) => impure.test(f.text) || clock.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });
});
