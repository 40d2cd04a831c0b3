import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, Sandbox, scanProc } from './helpers.js';

// Issue 20: every command of the README's five-minute tour runs, in order, against the shop that `npm run demo`
// deployed, so the tour cannot drift from the CLI. Table headers shown in the README must match the real ones.
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

interface Step {
  readonly command: string;
  /** The first line of output the README shows under the command, if any. */
  readonly shown: string | undefined;
}

/** The `$ …` lines of the README's tour, each with the first line shown after it. */
function tourSteps(): Step[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf('## A five-minute tour');
  const section = readme.slice(from, readme.indexOf('\n## ', from + 1)).split('\n');
  const steps: Step[] = [];
  section.forEach((line, i) => {
    if (!line.startsWith('$ ')) return;
    const next = section[i + 1];
    steps.push({
      command: line.slice(2),
      shown: next && !next.startsWith('$ ') && !next.startsWith('```') ? next : undefined,
    });
  });
  return steps;
}

/** `nightshift …` as the README's alias runs it: from the repository's folder. */
function nightshift(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env, timeout: opts.timeoutMs ?? 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, out: stdout + stderr }),
    );
    child.stdin?.end(opts.input ?? '');
  });
}

describe("the README's five-minute tour (real Redis, the demo's shop)", () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    const box = sb;
    if (!box) return; // skipped: no redis-server
    await box.cleanup();
    // The shop's processes of this test's daemon (their cwd is a release in its home) are gone with it.
    const left = scanProc((env) => env.NIGHTSHIFT_APP === 'shop').filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(box.home);
      } catch {
        return false;
      }
    });
    expect(left).toEqual([]);
  });

  it.skipIf(!hasRedisServer)(
    'runs every command it shows, and the tables have the columns it shows',
    async () => {
      const box = (sb = new Sandbox('tour'));
      const env: NodeJS.ProcessEnv = { ...process.env, ...box.daemonEnv };
      delete env.NIGHTSHIFT_REDIS_ADMIN_URL;
      const demo = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(demo.status, demo.stdout + demo.stderr).toBe(0);

      const steps = tourSteps();
      expect(steps.length).toBeGreaterThanOrEqual(12);
      for (const { command, shown } of steps) {
        if (command.startsWith('curl ')) {
          const [, item, qty] = /item=(\w+) -d qty=(\d+)/.exec(command) ?? [];
          const res = await fetch('http://127.0.0.1:5400/orders', {
            method: 'POST',
            body: new URLSearchParams({ item: item ?? '', qty: qty ?? '' }),
          });
          expect(res.status, command).toBe(201);
          continue;
        }
        expect(command, 'every other step is a nightshift command').toMatch(/^nightshift /);
        const [cli = '', pipe] = command.split(' | ');
        const args = cli.split(/\s+/).slice(1);
        const follow = args.includes('-t');
        const res = await nightshift(args, env, {
          input: args[0] === 'secrets' && args[1] === 'set' ? 'tour-report-token-value' : undefined,
          timeoutMs: follow ? 3_000 : undefined, // `logs -t` follows until stopped
        });
        if (!follow) expect(res.code, `${command}\n${res.out}`).toBe(0);
        if (pipe) expect(res.out, command).toContain('kind: CronJob');
        // A table's header line is the same as in the README (spacing aside).
        if (shown && /^[A-Z]{2,}\s/.test(shown))
          expect(res.out.replace(/[ \t]+/g, ' '), command).toContain(shown.replace(/\s+/g, ' '));
      }
      // The tour covers what issue 20 asks it to show.
      for (const topic of [
        'ps',
        'logs -t',
        'scale',
        'cron run',
        'secrets set',
        'deploy',
        'rollback',
        'render kubernetes',
        'dashboard',
      ])
        expect(
          steps.some((s) => `${s.command} `.startsWith(`nightshift ${topic} `)),
          topic,
        ).toBe(true);
    },
    120_000,
  );
});
