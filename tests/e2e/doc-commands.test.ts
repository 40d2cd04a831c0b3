import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DocCommand, docCommands, wordsOf } from '../../packages/cli/test/doc-snippets.js';
import { BIN, ROOT, Sandbox } from './helpers.js';

// Issue 20: every `nightshift …` line of the README and the docs runs against a real daemon that holds the
// demo's shop, so no documented command can drift from the CLI. The README tour's `$` lines are run, with their
// output compared, by readme-tour.test.ts; every other line runs here. A documented line shows what a reader
// types: placeholders (PROC, NAME, …) are filled with the shop's names, `[--json]` is given, and of `a|b` the
// first is taken.
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** The words the docs use for a process, a cron job or a file of their example app, in the shop's terms. */
const placeholders: Record<string, string> = {
  PROC: 'orders',
  emails: 'orders', // the README's reference and docs/queues.md speak of an `emails` worker
  'emails.2': 'orders.2',
  'emails=4': 'orders=4',
  NAME: 'cleanup',
  FILE: '.paas/app.yaml',
  '…': 'registry.example.com/shop:v7',
};

interface Outcome {
  readonly code: number | null;
  readonly out: string;
}

/** What a line must do when exit 0 is not what it shows, each with the reason. */
const expected: { readonly match: RegExp; readonly check: (r: Outcome) => void }[] = [
  {
    // Without a terminal and without `--confirm`, destroying is refused and nothing is lost.
    match: /^apps destroy shop$/,
    check: (r) => {
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/--confirm shop/);
    },
  },
  {
    // doctor exits 1 when the machine has a problem (a test machine may lack clock sync): either way it reports.
    match: /^doctor$/,
    check: (r) => {
      expect([0, 1]).toContain(r.code);
      expect(r.out).toMatch(/daemon/i);
    },
  },
];

/** `top` and `-t` keep running until Ctrl-C: they are given a few seconds, then interrupted. */
const follows = (words: string[]) => words[0] === 'top' || words.includes('-t');

function run(words: string[], cwd: string, env: NodeJS.ProcessEnv, input?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const follow = follows(words);
    const child = execFile(
      process.execPath,
      [BIN, ...words],
      { cwd, env, timeout: 90_000, killSignal: 'SIGINT', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : follow ? 0 : null) : 0,
          out: stdout + stderr,
        }),
    );
    child.stdin?.end(input ?? '');
    if (follow) setTimeout(() => child.kill('SIGINT'), 4_000);
  });
}

describe('every command the README and the docs show', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    if (sb) expect(await sb.cleanup()).toEqual([]);
  });

  it.skipIf(!hasRedisServer)(
    'runs against the demo shop and does what the docs say',
    async () => {
      const box = (sb = new Sandbox('docs'));
      const env: NodeJS.ProcessEnv = { ...process.env, ...box.daemonEnv };
      delete env.NIGHTSHIFT_REDIS_ADMIN_URL; // the demo's managed Redis, as a reader gets it
      const demo = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
        env,
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(demo.status, demo.stdout + demo.stderr).toBe(0);

      // "This folder" of the docs: a copy of the shop (the app `shop` the demo deployed), so files that the
      // commands write (k8s/, a key file) stay out of the repository.
      const app = join(box.root, 'shop');
      cpSync(join(ROOT, 'examples', 'shop'), app, {
        recursive: true,
        filter: (src) => !src.includes('node_modules') && !src.includes(`${join('shop', 'data')}`),
      });
      writeFileSync(
        join(app, 'key.pem'),
        '-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n',
      );
      // Two changes to the copy, both for time: `deploy --wait` waits out the guard's window (2 min by default),
      // and `cron cancel` needs a run in progress, which the shop's short jobs are not for long.
      const manifestPath = join(app, '.paas', 'app.yaml');
      const manifest = readFileSync(manifestPath, 'utf8');
      expect(manifest).toMatch(/^cron:\n/m);
      writeFileSync(
        manifestPath,
        `${manifest.replace(/^cron:\n/m, "cron:\n  - { name: export, schedule: '0 0 1 1 *', command: sleep 300 }\n")}` +
          'deploy: { watch: 5s }\n',
      );
      await box.cliOk(['deploy'], { cwd: app });
      // docs/kubernetes.md speaks of a shop deployed to one region, `us-east`.
      const regional = join(box.root, 'regional');
      mkdirSync(join(regional, '.paas'), { recursive: true });
      writeFileSync(
        join(regional, '.paas', 'app.yaml'),
        `${readFileSync(join(app, '.paas', 'app.yaml'), 'utf8')}regions: [us-east]\n`,
      );

      const lines = docCommands().filter((c) => !(c.prompted && c.where.startsWith('README.md')));
      // Stopping the daemon ends every other command's chance: it goes last.
      const last = (c: DocCommand) => (wordsOf(c.line).join(' ') === 'daemon stop' ? 1 : 0);
      lines.sort((a, b) => last(a) - last(b));
      expect(lines.length).toBeGreaterThan(50);

      let initFolders = 0;
      const failures: string[] = [];
      for (const { where, line } of lines) {
        let words = wordsOf(line).map((w) => placeholders[w] ?? w);
        let cwd = where.startsWith('docs/kubernetes.md') ? regional : app;
        if (words.includes('RUN_ID')) {
          const history = await box.cliOk(['cron', 'history', 'cleanup', '--json', '--app', 'shop']);
          const [newest] = JSON.parse(history.stdout) as { id: string | number }[];
          words = words.map((w) => (w === 'RUN_ID' ? String(newest?.id) : w));
        }
        if (words[0] === 'init') {
          // Each `init` example starts from an app folder without a manifest, beside `../other-app`.
          cwd = join(box.root, `init-${++initFolders}`, 'app');
          mkdirSync(join(cwd, '..', 'other-app'), { recursive: true });
          mkdirSync(cwd, { recursive: true });
          writeFileSync(join(cwd, 'Procfile'), 'worker: node worker.js\nclock: node clock.js\n');
          writeFileSync(
            join(cwd, 'ecosystem.config.js'),
            "module.exports = { apps: [{ name: 'mailer', script: 'mailer.js', instances: 2 }] };\n",
          );
          writeFileSync(join(cwd, '..', 'other-app', 'Procfile'), 'worker: node other.js\n');
        }
        if (words[0] === 'cron' && words[1] === 'cancel') {
          await box.cliOk(['cron', 'run', 'export', '--app', 'shop']);
          words = words.map((w) => (w === 'cleanup' ? 'export' : w));
        }
        const input = words[0] === 'secrets' && words[1] === 'set' ? 'docs-value-from-stdin\n' : undefined;
        const result = await run(words, cwd, env, input);
        const rule = expected.find((e) => e.match.test(words.join(' ')));
        try {
          if (rule) rule.check(result);
          else expect(result.code).toBe(0);
          if (words[0] === 'init')
            expect(
              existsSync(join(cwd, words[1] === '../other-app' ? '../other-app' : '', '.paas', 'app.yaml')),
            ).toBe(true);
        } catch {
          failures.push(
            `${where}: nightshift ${words.join(' ')} → exit ${result.code}\n${result.out.slice(-600)}`,
          );
        }
      }
      expect(failures).toEqual([]);
      expect(expected.every((e) => lines.some((l) => e.match.test(wordsOf(l.line).join(' '))))).toBe(true);
    },
    300_000,
  );
});
