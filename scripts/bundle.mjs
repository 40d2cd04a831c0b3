// Bundles what runs as a process, so each loads one file (or a few chunks) instead of many ES modules.
// 1. The CLI (packages/cli/dist/bundle/cli.cjs, with chunks for what its commands load lazily): `nightshift ps`
//    starts ~30 ms sooner. The bin falls back to dist/main.js when only `tsc -b` ran.
// 2. The daemon (its modules, @nightshift/protocol, the dependency-free part of @nightshift/manifest,
//    croner) into packages/daemon/dist/bundle/daemon.cjs, the file `nightshift daemon` runs, and
//    the manifest reader (zod, yaml, @nightshift/manifest) into dist/bundle/manifest-child.cjs, which then
//    starts in ~70 ms instead of ~270 ms (it resolves and compiles one file instead of ~190).
// Why: every ES module a process loads costs it memory for its whole life, and the daemon loads ~120; one file
// saves most of that (docs/architecture.md). All three are CommonJS (see below).
// Tests import the unbundled modules; the e2e tests run these bundles. Runs after `tsc -b` (the root `build`).
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
// Every bundle is CommonJS: an ES module's `import … from 'node:fs'` (or node:util, node:http) builds the builtin's whole
// namespace, which runs its lazy getters and loads fs/promises, worker_threads, undici and more; `require` loads
// only the builtin itself (`npm run bench daemon-up daemon-ps` measure the effect).

// Chunk names carry a content hash: clear the old ones.
for (const pkg of [cli, daemon]) rmSync(join(pkg, 'dist', 'bundle'), { recursive: true, force: true });

await build({
  cwd: cli,
  input: { cli: join(cli, 'dist', 'main.js') },
  platform: 'node',
  // The daemon is its own bundle (below), reached through daemon-entry.js or a lazy import.
  external: [/^node:/, /^@nightshift\/daemon/],
  logLevel: 'warn',
  output: {
    dir: join(cli, 'dist', 'bundle'),
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: '[name]-[hash].cjs',
    ...LEAN,
  },
});

for (const [from, to] of [
  ['index.js', 'daemon.cjs'],
  ['releases/manifest-child.js', 'manifest-child.cjs'],
]) {
  await build({
    cwd: daemon,
    input: join(daemon, 'dist', from),
    platform: 'node',
    // ioredis stays a package loaded on first need (redis/admin.ts): a daemon without Redis apps never reads it.
    // bullmq likewise, loaded by the first `queues` command (queues/service.ts), and amqplib by the first
    // RabbitMQ queue-depth read of the autoscaler (autoscale/queue-depth.ts).
    external: [/^node:/, /^ioredis$/, /^bullmq$/, /^amqplib$/],
    logLevel: 'warn',
    output: { file: join(daemon, 'dist', 'bundle', to), format: 'cjs', codeSplitting: false, ...LEAN },
  });
}
