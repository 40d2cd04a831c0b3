import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, Sandbox, scanProc, waitFor } from './helpers.js';

// Issue 20: the README's first command runs `npm run build` and then scripts/demo.mjs (the suite has built
// already). With a redis-server on PATH the demo deploys examples/shop; this test proves the shop works end to
// end: orders taken by web, processed by the SDK worker, counted by the events worker, cron jobs listed and run.
const SHOP = 'http://127.0.0.1:5400';
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

describe('npm run demo (the shop example under a daemon, with a managed Redis)', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    const box = sb;
    if (!box) return; // skipped: no redis-server
    await box.cleanup();
    expect(
      scanProc((env) => env.NIGHTSHIFT_APP === 'shop' && env.NIGHTSHIFT_REPLICA !== undefined).filter((pid) =>
        ownedBy(pid, box.home),
      ),
    ).toEqual([]);
  });

  it.skipIf(!hasRedisServer)(
    'deploys the shop, sends orders that the worker processes, shows ps and cron, and says how to go on',
    async () => {
      const box = (sb = new Sandbox('demo'));
      // Without NIGHTSHIFT_REDIS_ADMIN_URL the daemon runs its own redis-server, as on a fresh machine.
      const env: Record<string, string | undefined> = { ...process.env, ...box.daemonEnv };
      delete env.NIGHTSHIFT_REDIS_ADMIN_URL;
      const out = await run(env);
      expect(out.code, out.stdout + out.stderr).toBe(0);
      expect(out.stderr).toContain('migrated the schema from v0 to v2'); // the predeploy hook (deploy output: stderr)
      expect(out.stdout.match(/→ 201 /g)).toHaveLength(3);
      expect(out.stdout.match(/ processed by orders\.[12]$/gm)).toHaveLength(3);
      for (const replica of ['web.1', 'orders.1', 'orders.2', 'events.1'])
        expect(out.stdout).toMatch(
          new RegExp(`^${replica.replace('.', '\\.')}\\s+running\\s+healthy\\s`, 'm'),
        );
      expect(out.stdout).toMatch(/^cleanup\s+\*\/5 \* \* \* \*\s/m);
      expect(out.stdout).toMatch(/^nightly-report\s+0 2 \* \* \*\s/m);
      expect(out.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login#code=\S+$/m); // the dashboard's login link
      for (const next of [
        'ps --app shop',
        'logs -t --app shop',
        'cron run nightly-report',
        'dashboard',
        'daemon stop',
      ])
        expect(out.stdout).toContain(next);

      // The daemon keeps the shop running after the script is done: the page lists the processed orders, and
      // the events worker has counted what web and the orders worker published on the stream.
      const page = await waitFor(
        async () => {
          const html = await (await fetch(`${SHOP}/`)).text();
          return html.includes('order.processed: 3') ? html : null;
        },
        10_000,
        'the events worker counted 3 order.processed events',
      );
      expect(page).toContain('order.created: 3');
      expect(page.match(/<td>processed<\/td>/g)).toHaveLength(3);
      const ps = JSON.parse((await box.cliOk(['ps', '--json', '--app', 'shop'])).stdout) as {
        replica: string;
      }[];
      expect(ps.map((r) => r.replica).sort()).toEqual(['events.1', 'orders.1', 'orders.2', 'web.1']);

      // A cron run from the live release, with the secret the deploy required.
      const report = await box.cliOk(['cron', 'run', 'nightly-report', '--wait', '--app', 'shop']);
      expect(report.stdout).toContain('nightly report: 3 processed (6 items)');
    },
    90_000,
  );

  it('without a redis-server on PATH, says how to get one and deploys examples/hello instead', async () => {
    const box = (sb = new Sandbox('demo'));
    // A PATH with this Node and git only: no redis-server.
    const bin = join(box.root, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const git = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    if (git) symlinkSync(git, join(bin, 'git'));
    const env: Record<string, string | undefined> = { ...process.env, ...box.daemonEnv, PATH: bin };
    delete env.NIGHTSHIFT_REDIS_ADMIN_URL;
    const out = await run(env);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('no redis-server is on PATH');
    expect(out.stdout).toContain('apt-get install redis-server');
    expect(out.stdout).toMatch(/^ticker\.1\s+running\s/m);
    expect(out.stdout).toContain('ps --app hello');
  }, 60_000);
});

/** Runs `npm run demo`'s script (the build is done). */
function run(
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [join(ROOT, 'scripts', 'demo.mjs')],
      { env, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
    ),
  );
}

/** Whether a shop replica belongs to this test's daemon (its cwd is a release under the sandbox's home). */
function ownedBy(pid: number, home: string): boolean {
  try {
    return readlinkSync(`/proc/${pid}/cwd`).startsWith(home);
  } catch {
    return false;
  }
}
