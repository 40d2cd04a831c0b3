// `npm run demo`: the hello example under a daemon in a temporary home, then how to go on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages', 'cli', 'bin', 'nightshift.js');
const app = join(root, 'examples', 'hello');
const home = process.env.NIGHTSHIFT_HOME ?? mkdtempSync(join(tmpdir(), 'nightshift-demo-'));
const env = {
  ...process.env,
  NIGHTSHIFT_HOME: home,
  NIGHTSHIFT_HTTP_PORT: process.env.NIGHTSHIFT_HTTP_PORT ?? '0',
};
const ns = (args, opts = {}) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: app, env, stdio: 'inherit', ...opts });

console.log(`\n== nightshift up (home: ${home})\n`);
if (ns(['up']).status !== 0) process.exit(1);

console.log('\n== a few seconds later: nightshift ps\n');
await new Promise((r) => setTimeout(r, 6000));
ns(['ps']);

const logs = spawnSync(process.execPath, [bin, 'logs', '-n', '15'], { cwd: app, env, encoding: 'utf8' });
if (logs.status === 0) {
  console.log('\n== nightshift logs -n 15\n');
  process.stdout.write(logs.stdout);
}

console.log('\n== nightshift events -n 8\n');
ns(['events', '-n', '8']);

const cmd = `NIGHTSHIFT_HOME=${home} npm run -s nightshift --`;
console.log(`
The daemon keeps running in the background. Go on with (from the repository's folder):
  ${cmd} ps --app hello              replicas, restarts, last exits
  ${cmd} logs -t --app hello         follow the logs
  ${cmd} scale ticker=4 --app hello  more tickers
  ${cmd} events --app hello          the timeline: crashes, restarts, scaling
  ${cmd} daemon stop                 stop everything
`);
