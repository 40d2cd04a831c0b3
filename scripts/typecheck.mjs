// Type-checks the tests: `tsc --noEmit -p` on every test project (packages/*/test, tests/*, bench/*), which the
// build's `tsc -b` does not cover. Vitest strips types without checking them, so without this a type error in a
// test only shows in an editor. Reads the packages' built types: run it after `npm run build`.
// Exits 1 when any project has errors.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** `<parent>/<each folder>/<sub>/tsconfig.json` that exist, relative to the root. */
function projects(parent, sub = '') {
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(parent, d.name, sub, 'tsconfig.json'))
    .filter((f) => existsSync(join(root, f)))
    .sort();
}

const all = [...projects('packages', 'test'), ...projects('tests'), ...projects('bench')];
const failed = [];
for (const project of all) {
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed.push(project);
}
if (failed.length > 0) {
  console.error(`type errors in ${failed.length} of ${all.length} test projects: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`${all.length} test projects type-check`);
