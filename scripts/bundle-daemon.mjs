// Bundles the daemon (its modules, @nightshift/protocol, the dependency-free part of @nightshift/manifest,
// croner, shell-quote) into packages/daemon/dist/bundle/daemon.js, the file `nightshift daemon` runs.
// Why: every ES module a process loads costs it memory for its whole life (~56 KB each, measured with 100 tiny
// modules), and the daemon loads ~120; one file saves it ~1.7 MB of RSS. Tests import the unbundled modules;
// the e2e tests run the daemon from this bundle. Runs after `tsc -b` (see the root `build` script).
import { build } from 'rolldown';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const daemon = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'daemon');
await build({
  cwd: daemon,
  input: join(daemon, 'dist', 'index.js'),
  platform: 'node',
  external: [/^node:/, '@nightshift/daemon/package.json', '@nightshift/daemon/manifest-child'],
  logLevel: 'warn',
  output: { file: join(daemon, 'dist', 'bundle', 'daemon.js'), format: 'esm', codeSplitting: false },
});
