import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, sleep, waitFor, type PsJson } from './helpers.js';

// A shell one-liner that records each start and exits at once: the loop is the daemon's, not an interpreter's.
const crasher = (restart: string) => `workers:
  - name: crasher
    start: sh -c 'date +%s%3N >> starts.log; exit 3'
    replicas: 1
    restart: { ${restart} }
  - name: steady
    start: sleep 600
    replicas: 1
`;

function starts(sb: Sandbox): number {
  try {
    const text = readFileSync(join(sb.home, 'apps', sb.app, 'releases', 'v1', 'starts.log'), 'utf8');
    return text.trim().split('\n').length;
  } catch {
    return 0;
  }
}

type Ps = PsJson & { nextRetryAt: string | null };

describe('crash-loop status and restart.max_restarts (real daemon, real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('shows a replica that crashed 3 times within seconds as crash-loop, with its next retry and last exit', async () => {
    sb = new Sandbox('loop');
    sb.writeApp(crasher('backoff: 200ms, max_backoff: 3s'));
    await sb.cliOk(['up']);
    const looping = await waitFor(
      async () =>
        ((await sb.ps()) as Ps[]).find((r) => r.replica === 'crasher.1' && r.state === 'crash-loop'),
      20_000,
      'crasher.1 in crash-loop',
    );
    expect(looping.lastExit).toMatchObject({ code: 3, signal: null });
    expect(looping.nextRetryAt).not.toBeNull();
    expect(Date.parse(looping.nextRetryAt!)).toBeGreaterThan(Date.now() - 1_000);
    expect(starts(sb)).toBeGreaterThanOrEqual(3);
    const steady = ((await sb.ps()) as Ps[]).find((r) => r.replica === 'steady.1')!;
    expect(steady.state).toBe('running');

    // The table says so too, `ps` exits 0, and stderr names the looping replica (and only it).
    const text = await sb.cli(['ps', '--app', sb.app]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/crasher\.1\s+crash-loop \(retry in /);
    expect(text.stderr).toContain(`warning: crash loop: ${sb.app}/crasher.1 `);
    expect(text.stderr).not.toContain('steady');
  });

  it('gives up after max_restarts crashes in a row (failed, event) until `start`', async () => {
    sb = new Sandbox('maxr');
    sb.writeApp(crasher('backoff: 100ms, max_backoff: 200ms, max_restarts: 3'));
    await sb.cliOk(['up']);
    const failed = await waitFor(
      async () => ((await sb.ps()) as Ps[]).find((r) => r.replica === 'crasher.1' && r.state === 'failed'),
      20_000,
      'crasher.1 failed',
    );
    expect(failed).toMatchObject({ pid: null, nextRetryAt: null, lastExit: { code: 3 } });
    expect(starts(sb)).toBe(3);
    // Many backoffs later it has still not been started again.
    await sleep(1_500);
    expect(starts(sb)).toBe(3);
    expect(((await sb.ps()) as Ps[]).find((r) => r.replica === 'crasher.1')!.state).toBe('failed');
    const ps = await sb.cli(['ps', '--app', sb.app]);
    expect(ps.code).toBe(0);
    expect(ps.stderr).toContain(`warning: failed: ${sb.app}/crasher.1 reached restart.max_restarts`);

    const events = JSON.parse((await sb.cliOk(['events', '--json', '--app', sb.app])).stdout) as {
      type: string;
      replica?: string;
      data: { crashes: number; code: number | null };
    }[];
    const event = events.find((e) => e.type === 'replica:failed');
    expect(event).toMatchObject({ replica: 'crasher.1', data: { crashes: 3, code: 3 } });

    // `start` gives it a fresh streak: three more starts, then failed again.
    await sb.cliOk(['start', 'crasher', '--app', sb.app]);
    await waitFor(() => (starts(sb) >= 6 ? true : null), 20_000, 'three more starts');
    await waitFor(
      async () => ((await sb.ps()) as Ps[]).find((r) => r.replica === 'crasher.1' && r.state === 'failed'),
      20_000,
      'failed again',
    );
    expect(starts(sb)).toBe(6);

    // `restart` revives it too.
    await sb.cliOk(['restart', 'crasher', '--app', sb.app]);
    await waitFor(() => (starts(sb) >= 9 ? true : null), 20_000, 'three starts after restart');
    await waitFor(
      async () => ((await sb.ps()) as Ps[]).find((r) => r.replica === 'crasher.1' && r.state === 'failed'),
      20_000,
      'failed a third time',
    );
    expect(starts(sb)).toBe(9);
  });
});
