// `BENCH_COMPARE=<folder>`: another built checkout of Nightshift (e.g. a `git worktree` of an older commit after
// `npm ci && npm run build`). Benchmarks that support it run the same cases against that build too, in the same
// invocation, so a before/after reads off one table instead of two runs on a machine whose speed drifts.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const folder = process.env.BENCH_COMPARE ? resolve(process.env.BENCH_COMPARE) : null;
if (folder && !existsSync(join(folder, 'packages', 'cli', 'bin', 'nightshift.js'))) {
  throw new Error(
    `BENCH_COMPARE=${folder}: no packages/cli/bin/nightshift.js there (a built checkout is needed)`,
  );
}

/** The other build, or null: `{ label, bin, logsModuleUrl }`. */
export const COMPARE = folder && {
  label: process.env.BENCH_COMPARE_LABEL ?? 'compare build',
  bin: join(folder, 'packages', 'cli', 'bin', 'nightshift.js'),
  logsModuleUrl: pathToFileURL(join(folder, 'packages', 'daemon', 'dist', 'logs', 'index.js')),
  daemonDistUrl: pathToFileURL(join(folder, 'packages', 'daemon', 'dist') + '/'),
};

/** `cases` plus, with a compare build, a copy of each run against it (`run(ctx.compare)`). */
export function withCompare(cases) {
  if (!COMPARE) return cases;
  return [
    ...cases,
    ...cases.map((c) => ({
      name: `${c.name} [${COMPARE.label}]`,
      run: (ctx) => c.run({ ...ctx, ...ctx.compare }),
    })),
  ];
}
