// Bundles what runs as a process, so each loads one file (or a few chunks) instead of many ES modules.
// 1. The CLI (packages/cli/dist/bundle/cli.js, with chunks for what its commands load lazily): `nightshift ps`
//    starts ~30 ms sooner. The bin falls back to dist/main.js when only `tsc -b` ran.
// 2. The daemon (its modules, @nightshift/protocol, the dependency-free part of @nightshift/manifest,
// croner, shell-quote) into packages/daemon/dist/bundle/daemon.js, the file `nightshift daemon` runs, and the
// manifest reader (zod, yaml, @nightshift/manifest) into dist/bundle/manifest-child.js, which then starts in
// ~140 ms instead of ~270 ms (it resolves and compiles one file instead of ~190).
// Why: every ES module a process loads costs it memory for its whole life (~56 KB each, measured with 100 tiny
// modules), and the daemon loads ~120; one file saves it ~1.7 MB of RSS. Tests import the unbundled modules;
// the e2e tests run the daemon from this bundle. Runs after `tsc -b` (see the root `build` script).
import { build } from 'rolldown';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages');
const daemon = join(packages, 'daemon');
const cli = join(packages, 'cli');
// A process keeps its source text in its heap for its whole life: without comments it is half the size, and in
// ASCII V8 stores it one byte per character (one non-ASCII character makes the whole string two-byte).
// Identifiers and lines stay as written, so stack traces remain readable.
const LEAN = { comments: false, charset: 'ascii' };

// Chunk names carry a content hash: clear the old ones.
for (const pkg of [cli, daemon]) rmSync(join(pkg, 'dist', 'bundle'), { recursive: true, force: true });

await build({
  cwd: cli,
  input: { cli: join(cli, 'dist', 'main.js') },
  platform: 'node',
  // The daemon is its own bundle (below), reached through daemon-entry.js or a lazy import.
  external: [/^node:/, /^@nightshift\/daemon/],
  logLevel: 'warn',
  output: { dir: join(cli, 'dist', 'bundle'), format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs', ...LEAN },
});

// The daemon is CommonJS: an ES module's `import … from 'node:fs'` (or node:util, node:http) builds the builtin's
// whole namespace, which runs its lazy getters and loads fs/promises, worker_threads, undici and more; `require`
// loads only the builtin itself. Measured (`npm run bench daemon-up`): 60.4 -> 59.4 MB of daemon RSS with 50 replicas.
for (const [from, to, format] of [
  ['index.js', 'daemon.cjs', 'cjs'],
  ['releases/manifest-child.js', 'manifest-child.js', 'esm'],
]) {
  await build({
    cwd: daemon,
    input: join(daemon, 'dist', from),
    platform: 'node',
    external: [/^node:/],
    logLevel: 'warn',
    output: { file: join(daemon, 'dist', 'bundle', to), format, codeSplitting: false, ...LEAN },
  });
}
