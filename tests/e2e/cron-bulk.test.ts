import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

const MIN = 60_000;

interface RunJson {
  id: number;
  trigger: string;
  status: string;
  reason: string | null;
  signal: string | null;
  slot: string | null;
}

interface JobJson {
  name: string;
  suspended: boolean;
  nextSlot: string | null;
}

async function history(sb: Sandbox, job: string): Promise<RunJson[]> {
  return JSON.parse(
    (await sb.cliOk(['cron', 'history', job, '--json', '--app', sb.app])).stdout,
  ) as RunJson[];
}

async function jobs(sb: Sandbox): Promise<JobJson[]> {
  return JSON.parse((await sb.cliOk(['cron', 'ls', '--json', '--app', sb.app])).stdout) as JobJson[];
}

describe('cron cancel and suspend/resume --all (real daemon, real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('cron cancel stops the running run and drops the waiting one: both cancelled, nothing left running', async () => {
    sb = new Sandbox('cancel');
    sb.writeApp(`cron:
  - name: long
    schedule: '0 3 * * *'
    overlap: queue_one
    command: sh -c 'echo working; sleep 300 & wait'
`);
    await sb.cliOk(['up']);
    await sb.cliOk(['cron', 'run', 'long', '--app', sb.app]);
    await waitFor(() => sb.userPids().length >= 2, 10_000, 'the run and its sleep');
    const queued = await sb.cliOk(['cron', 'run', 'long', '--app', sb.app]);
    expect(queued.stdout).toContain('queued behind the active run');

    const t0 = Date.now();
    const res = await sb.cliOk(['cron', 'cancel', 'long', '--app', sb.app]);
    // SIGTERM ends `sleep & wait` at once: no wait for the 10 s SIGKILL grace.
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(res.stdout).toMatch(/^run \d+ of long cancelled: cancelled by `nightshift cron cancel`$/m);
    expect(res.stdout.trim().split('\n')).toHaveLength(2);
    expect(sb.userPids()).toEqual([]);

    const runs = await history(sb, 'long');
    expect(runs.map((r) => [r.trigger, r.status])).toEqual([
      ['manual', 'cancelled'],
      ['manual', 'cancelled'],
    ]);
    expect(runs.every((r) => r.reason === 'cancelled by `nightshift cron cancel`')).toBe(true);
    // The running one was signalled; the queued one never started.
    expect(runs[1]!.signal).toBe('SIGTERM');
    expect(runs[0]!.signal).toBeNull();
    const events = JSON.parse((await sb.cliOk(['events', '--json', '--app', sb.app])).stdout) as {
      type: string;
    }[];
    expect(events.filter((e) => e.type === 'cron:run:cancelled')).toHaveLength(2);
    // And nothing was started in their place.
    expect((await jobs(sb))[0]).toMatchObject({ name: 'long' });
    expect(sb.userPids()).toEqual([]);

    const again = await sb.cli(['cron', 'cancel', 'long', '--app', sb.app]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error NS_CRON_NOT_RUNNING: ');
    const unknown = await sb.cli(['cron', 'cancel', 'lng', '--app', sb.app]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NS_CRON_JOB_NOT_FOUND');
    expect(unknown.stderr).toContain('its cron jobs are: long');
  });

  it('cron suspend --all skips every job’s slots until cron resume --all', async () => {
    sb = new Sandbox('suspall');
    // The daemon's clock stands 4 s before a minute boundary, so the `* * * * *` slots come soon.
    const now = Date.now();
    let boundary = Math.ceil(now / MIN) * MIN;
    if (boundary - now < 1_000) boundary += MIN;
    sb.daemonEnv.NIGHTSHIFT_CLOCK_OFFSET_MS = String(boundary - 4_000 - now);
    sb.writeApp(`cron:
  - name: every-minute
    schedule: '* * * * *'
    command: sh -c 'echo tick'
  - name: also
    schedule: '* * * * *'
    command: sh -c 'echo tock'
  - name: nightly
    schedule: '0 2 * * *'
    command: sh -c 'echo night'
`);
    await sb.cliOk(['up']);
    // Already suspended before --all: left as it is (no second event).
    await sb.cliOk(['cron', 'suspend', 'nightly', '--app', sb.app]);
    const suspended = await sb.cliOk(['cron', 'suspend', '--all', '--app', sb.app]);
    expect(suspended.stdout.trim().split('\n').sort()).toEqual([
      'also suspended',
      'every-minute suspended',
      'nightly suspended',
    ]);
    expect((await jobs(sb)).every((j) => j.suspended)).toBe(true);

    // The boundary passes: both minute jobs record a skipped slot, neither runs.
    for (const job of ['every-minute', 'also']) {
      const runs = await waitFor(
        async () => {
          const h = await history(sb, job);
          return h.length > 0 ? h : null;
        },
        15_000,
        `${job} skipped`,
      );
      expect(runs.map((r) => r.status)).toEqual(['skipped']);
    }
    const events = JSON.parse(
      (await sb.cliOk(['events', '--json', '-n', '200', '--app', sb.app])).stdout,
    ) as {
      type: string;
      data: { job: string };
    }[];
    expect(
      events
        .filter((e) => e.type === 'cron:job:suspended')
        .map((e) => e.data.job)
        .sort(),
    ).toEqual(['also', 'every-minute', 'nightly']);

    const resumed = await sb.cliOk(['cron', 'resume', '--all', '--json', '--app', sb.app]);
    const list = JSON.parse(resumed.stdout) as JobJson[];
    expect(list.map((j) => [j.name, j.suspended])).toEqual([
      ['every-minute', false],
      ['also', false],
      ['nightly', false],
    ]);
    expect(list.every((j) => j.nextSlot !== null)).toBe(true);

    const neither = await sb.cli(['cron', 'suspend', '--app', sb.app]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('error NS_USAGE: cron suspend needs a job name or --all');
    const both = await sb.cli(['cron', 'resume', 'also', '--all', '--app', sb.app]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('cron resume takes a job name or --all, not both');
  });
});
