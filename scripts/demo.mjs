// `npm run demo`: the shop example (examples/shop) under a daemon in a temporary home, a few orders through it,
// and how to go on. The shop needs Redis (`redis: true`): the daemon runs its own `redis-server` from PATH, or
// uses NIGHTSHIFT_REDIS_ADMIN_URL. With neither, the demo says so and deploys examples/hello, which needs nothing.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages', 'cli', 'bin', 'nightshift.js');
const home = process.env.NIGHTSHIFT_HOME ?? mkdtempSync(join(tmpdir(), 'nightshift-demo-'));
const env = {
  ...process.env,
  NIGHTSHIFT_HOME: home,
  NIGHTSHIFT_HTTP_PORT: process.env.NIGHTSHIFT_HTTP_PORT ?? '0',
  // The daemon passes its PATH to the apps: this Node (24, from the devDependency) first, so `node` in the
  // manifests is a Node with node:sqlite even where the system's is older.
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
};
/** The shop's web port (examples/shop/.paas/app.yaml). */
const SHOP = 'http://127.0.0.1:5400';

const ns = (args, opts = {}) =>
  spawnSync(process.execPath, [bin, ...args], { env, stdio: 'inherit', ...opts });
const title = (text) => console.log(`\n== ${text}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const redis = env.NIGHTSHIFT_REDIS_ADMIN_URL
  ? 'the Redis at NIGHTSHIFT_REDIS_ADMIN_URL'
  : spawnSync('redis-server', ['--version'], { env }).status === 0
    ? 'a redis-server of its own (from PATH)'
    : null;

if (redis) await shop();
else await hello();

async function shop() {
  const app = join(root, 'examples', 'shop');
  const cwd = { cwd: app };
  title(`nightshift up: examples/shop (home: ${home}; Redis: ${redis})`);
  // The secret the nightly report needs (the deploy refuses to start without it), its value on stdin; and
  // the config the shop reads: the workspace's packages (examples/shop/README.md) and where its SQLite file goes.
  // Both are set before the first deploy, so their "not deployed yet" warnings are kept off the screen.
  quietly(['secrets', 'set', 'REPORT_TOKEN', '--app', 'shop'], randomBytes(16).toString('hex'));
  quietly([
    'config',
    'set',
    `NODE_PATH=${join(root, 'node_modules')}`,
    `SHOP_DATA_DIR=${join(home, 'shop-data')}`,
    '--app',
    'shop',
  ]);
  console.log('set the secret REPORT_TOKEN and the config vars NODE_PATH, SHOP_DATA_DIR of shop');
  await portFree();
  if (ns(['up'], cwd).status !== 0) process.exit(1);

  title(`three orders: POST ${SHOP}/orders`);
  await until(() => get('/healthz'), 20_000, `the shop's web process did not answer on ${SHOP}`);
  for (const [item, qty] of [
    ['tea', 2],
    ['coffee', 1],
    ['croissant', 3],
  ]) {
    const res = await fetch(`${SHOP}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item, qty }),
    });
    console.log(`POST /orders ${JSON.stringify({ item, qty })} → ${res.status} ${await res.text()}`);
  }
  const orders = await until(
    async () => {
      const list = await get('/orders');
      return list?.slice(0, 3).every((o) => o.status === 'processed') ? list : null;
    },
    20_000,
    'the orders worker did not process the orders',
  );
  title(`GET ${SHOP}/orders (the page at ${SHOP}/ shows the same)`);
  for (const o of orders.slice(0, 3).reverse())
    console.log(`#${o.id}  ${o.qty} × ${o.item.padEnd(10)} ${o.status} by ${o.processedBy}`);

  // The workers' health probes run every 2 s: show ps once every replica has passed one.
  await until(
    () => ps().then((rows) => rows.length >= 4 && rows.every((r) => r.health === 'healthy')),
    15_000,
    'the replicas did not all turn healthy',
  );
  title('nightshift ps');
  ns(['ps'], cwd);
  title('nightshift cron ls');
  ns(['cron', 'ls'], cwd);
  title('nightshift logs -n 12');
  ns(['logs', '-n', '12'], cwd);
  title('nightshift dashboard (open the second link: it logs you in once, within 60 s)');
  ns(['dashboard'], cwd);

  console.log(`
The daemon keeps the shop running in the background. Open ${SHOP}/ to place orders. To go on (README.md has
the tour), paste these two lines in a shell in the repository's folder:

  export NIGHTSHIFT_HOME=${home}
  alias nightshift='npm run -s nightshift --'

then:
  nightshift ps --app shop                          replicas, health, CPU, memory, restarts
  nightshift logs -t --app shop                     follow the logs of web, workers and cron runs
  nightshift scale orders=4 --app shop              more order workers
  nightshift cron run nightly-report --wait --app shop   a cron job now, with its output
  nightshift events --app shop                      the timeline: deploys, crashes, restarts, runs
  nightshift dashboard                              the dashboard's address and a fresh login link
  nightshift render kubernetes -f examples/shop/.paas/app.yaml   the same app as Kubernetes objects
  nightshift daemon stop                            stop everything (the shop, its Redis, the daemon)
`);
}

async function hello() {
  console.log(`
The shop (examples/shop) needs Redis, and no redis-server is on PATH (nor NIGHTSHIFT_REDIS_ADMIN_URL set).
Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) and run
npm run demo again; meanwhile, here is examples/hello, which needs nothing.`);
  const cwd = { cwd: join(root, 'examples', 'hello') };
  title(`nightshift up (home: ${home})`);
  if (ns(['up'], cwd).status !== 0) process.exit(1);
  title('a few seconds later: nightshift ps');
  await sleep(6000);
  ns(['ps'], cwd);
  title('nightshift logs -n 15');
  ns(['logs', '-n', '15'], cwd);
  title('nightshift events -n 8');
  ns(['events', '-n', '8'], cwd);
  const cmd = `NIGHTSHIFT_HOME=${home} npm run -s nightshift --`;
  console.log(`
The daemon keeps running in the background. Go on with (from the repository's folder):
  ${cmd} ps --app hello              replicas, restarts, last exits
  ${cmd} logs -t --app hello         follow the logs
  ${cmd} scale ticker=4 --app hello  more tickers
  ${cmd} events --app hello          the timeline: crashes, restarts, scaling
  ${cmd} daemon stop                 stop everything
`);
}

/**
 * Stops the demo when another program holds the shop's port: most often the shop of an earlier `npm run demo`
 * (each run has a home, and a daemon, of its own). Its web would answer our requests instead of this one.
 */
async function portFree() {
  if ((await ps()).some((r) => r.process === 'web')) return; // this home's own shop: the deploy replaces it
  const busy = await new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 5400 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
  if (!busy) return;
  const earlier = readdirSync(tmpdir())
    .filter((name) => name.startsWith('nightshift-demo-'))
    .map((name) => join(tmpdir(), name))
    .filter((dir) => dir !== home && existsSync(join(dir, 'daemon.json')));
  console.error(`
Port 5400, the shop's, is taken: probably by the shop of an earlier \`npm run demo\`. Stop that daemon first:
${(earlier.length ? earlier : ['<the home it printed>']).map((dir) => `  NIGHTSHIFT_HOME=${dir} npm run -s nightshift -- daemon stop`).join('\n')}
or run the demo against its home again: NIGHTSHIFT_HOME=<that home> npm run demo`);
  // The daemon this run started in its fresh home has nothing to do.
  if (!process.env.NIGHTSHIFT_HOME) quietly(['daemon', 'stop']);
  process.exit(1);
}

/** Runs a command whose warnings would only confuse here; its errors are shown, and stop the demo. */
function quietly(args, input) {
  const res = spawnSync(process.execPath, [bin, ...args], { env, input, encoding: 'utf8' });
  if (res.status === 0) return;
  process.stderr.write(res.stderr);
  process.exit(1);
}

/** The shop's replicas, as `nightshift ps --json` lists them. */
async function ps() {
  const res = spawnSync(process.execPath, [bin, 'ps', '--json', '--app', 'shop'], { env, encoding: 'utf8' });
  return res.status === 0 ? JSON.parse(res.stdout) : [];
}

/** GET a JSON path of the shop; null while it does not answer. */
async function get(path) {
  try {
    const res = await fetch(`${SHOP}${path}`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/** Polls `check` until it returns something truthy; exits with `failure` after `ms`. */
async function until(check, ms, failure) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      console.error(`\n${failure} within ${ms / 1000} s: see \`nightshift logs\` and \`nightshift events\``);
      ns(['logs', '-n', '30', '--app', 'shop']);
      process.exit(1);
    }
    await sleep(250);
  }
}
