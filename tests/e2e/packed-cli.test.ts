import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, scanProc } from './helpers.js';

// Issue 20: `npm install -g` of the CLI package gives a working `nightshift`. The workspaces the CLI needs are
// packed with `npm pack` (what a publish would upload) and installed into a temporary prefix, and that
// installation, not the checkout, deploys the shop and shows its replicas. Third-party dependencies come from
// npm's cache, which `npm ci` has filled.
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** The workspace packages the CLI depends on, itself included, by walking their package.json files. */
function closure(start: string): string[] {
  const dirs = new Map<string, string>();
  for (const dir of readdirSync(join(ROOT, 'packages'))) {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as {
      name: string;
    };
    dirs.set(pkg.name, dir);
  }
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !dirs.has(name)) return;
    seen.add(name);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', dirs.get(name)!, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
  };
  visit(start);
  return [...seen];
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, ...opts });
  return { code: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

describe('the packed CLI, installed into a temporary prefix', () => {
  const root = mkdtempSync(join(tmpdir(), 'ns-packed-'));
  const home = join(root, 'home');
  const env: NodeJS.ProcessEnv = { ...process.env, NIGHTSHIFT_HOME: home, NIGHTSHIFT_HTTP_PORT: '0' };
  delete env.NIGHTSHIFT_REDIS_ADMIN_URL; // the daemon runs its own redis-server, as on a fresh machine
  const bin = join(root, 'prefix', 'node_modules', '.bin', 'nightshift');
  const ns = (args: string[], opts: { cwd?: string; input?: string } = {}) =>
    run(process.execPath, [bin, ...args], { env, ...opts });

  // The shop's processes of this test carry its home in SHOP_DATA_DIR.
  const leftovers = () =>
    scanProc((e) => e.NIGHTSHIFT_APP === 'shop' && (e.SHOP_DATA_DIR ?? '').startsWith(home));

  afterAll(() => {
    ns(['daemon', 'stop', '--timeout', '60']);
    const leaked = leftovers();
    for (const pid of leaked) process.kill(pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
    expect(leaked).toEqual([]);
  });

  it.skipIf(!hasRedisServer)(
    'runs validate, up and ps on the shop',
    () => {
      const tarballs = join(root, 'tgz');
      mkdirSync(tarballs);
      const packages = closure('@nightshift/cli');
      expect(packages).toEqual(expect.arrayContaining(['@nightshift/cli', '@nightshift/daemon']));
      for (const name of packages) {
        const packed = run('npm', ['pack', '-w', name, '--pack-destination', tarballs], { cwd: ROOT });
        expect(packed.code, packed.stderr).toBe(0);
      }
      const files = readdirSync(tarballs).map((f) => `./tgz/${f}`);
      expect(files).toHaveLength(packages.length);
      const installed = run(
        'npm',
        [
          'install',
          '--prefix',
          join(root, 'prefix'),
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          ...files,
        ],
        { cwd: root },
      );
      expect(installed.code, installed.stderr).toBe(0);
      // The installed bin is a link into the prefix's own copy of the CLI, not into this checkout.
      expect(realpathSync(bin).startsWith(realpathSync(root))).toBe(true);

      const shop = join(ROOT, 'examples', 'shop');
      const validated = ns(['validate'], { cwd: shop });
      expect(validated.code, validated.stderr).toBe(0);
      expect(validated.stdout).toContain('shop: web, 2 workers');

      // What the demo sets before the first deploy: the secret the shop requires and where its packages are.
      expect(
        ns(['secrets', 'set', 'REPORT_TOKEN', '--app', 'shop'], { input: 'packed-cli-test\n' }).code,
      ).toBe(0);
      const config = ns([
        'config',
        'set',
        `NODE_PATH=${join(ROOT, 'node_modules')}`,
        `SHOP_DATA_DIR=${join(home, 'shop-data')}`,
        '--app',
        'shop',
      ]);
      expect(config.code, config.stderr).toBe(0);

      const up = ns(['up'], { cwd: shop });
      expect(up.code, up.stderr + up.stdout).toBe(0);
      // The daemon that `up` started is the prefix's copy.
      const daemon = JSON.parse(readFileSync(join(home, 'daemon.json'), 'utf8')) as { pid: number };
      expect(readFileSync(`/proc/${daemon.pid}/cmdline`, 'utf8')).toContain(join(root, 'prefix'));

      const ps = ns(['ps', '--json', '--app', 'shop']);
      expect(ps.code, ps.stderr).toBe(0);
      const replicas = JSON.parse(ps.stdout) as { replica: string; state: string }[];
      expect(replicas.map((r) => r.replica).sort()).toEqual(['events.1', 'orders.1', 'orders.2', 'web.1']);
      expect(replicas.every((r) => r.state === 'running')).toBe(true);
    },
    240_000,
  );
});
