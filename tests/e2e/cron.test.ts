import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, sleep, waitFor } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

interface RunJson {
  id: number;
  job: string;
  trigger: string;
  slot: string | null;
  coalesced: number;
  status: string;
  exitCode: number | null;
  signal: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  release: string | null;
  reason: string | null;
}

/** A clock offset that puts the daemon `leadMs` before the next minute boundary (so a `* * * * *` slot comes soon). */
function offsetBeforeMinute(leadMs: number): number {
  const now = Date.now();
  let boundary = Math.ceil(now / MIN) * MIN;
  if (boundary - now < 1_000) boundary += MIN;
  return boundary - leadMs - now;
}

async function history(sb: Sandbox, job: string): Promise<RunJson[]> {
  return JSON.parse(
    (await sb.cliOk(['cron', 'history', job, '--json', '-n', '100', '--app', sb.app])).stdout,
  ) as RunJson[];
}

async function eventsOf(
  sb: Sandbox,
  type: string,
): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const all = JSON.parse((await sb.cliOk(['events', '--json', '-n', '1000', '--app', sb.app])).stdout) as {
    type: string;
    data: Record<string, unknown>;
  }[];
  return all.filter((e) => e.type === type);
}

/** Starts `nightshift daemon` with these variables and waits until it answers. */
async function restartDaemon(sb: Sandbox, env: Record<string, string>): Promise<void> {
  sb.startDaemon(env);
  await waitFor(async () => (await sb.cli(['apps'])).code === 0, 15_000, 'the daemon to answer');
}

describe('cron (built CLI and daemon, real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('after a downtime across 3 slots: exactly one run on restart, coalesced ≥ 2; restarted again right after: no run', async () => {
    sb = new Sandbox('crondown');
    sb.writeApp(
      `cron:\n  - name: hourly\n    schedule: "0 * * * *"\n    command: sh -c 'echo late run for $NIGHTSHIFT_SCHEDULED_AT'\n`,
    );
    await sb.cliOk(['up']);
    expect(await history(sb, 'hourly')).toEqual([]);
    await sb.cliOk(['daemon', 'stop']);

    // The daemon is down while its clock moves 3 h 5 min: at least three hourly slots pass.
    const later = { NIGHTSHIFT_CLOCK_OFFSET_MS: String(3 * HOUR + 5 * MIN) };
    await restartDaemon(sb, later);
    const found = await waitFor<RunJson[] | null>(
      async () => {
        const h = await history(sb, 'hourly');
        return h.length > 0 && h[0]!.status === 'succeeded' ? h : null;
      },
      10_000,
      'the late run',
    );
    const runs = found;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', status: 'succeeded', exitCode: 0, release: 'v1' });
    expect(runs[0]!.coalesced).toBeGreaterThanOrEqual(2);
    expect(Date.parse(runs[0]!.slot!) % HOUR).toBe(0);
    const out = (await sb.cliOk(['cron', 'logs', String(runs[0]!.id)])).stdout;
    expect(out).toContain(`late run for ${runs[0]!.slot}`);

    await sb.cliOk(['daemon', 'stop']);
    await restartDaemon(sb, later);
    await sleep(2_500); // well past the first ticks of the new daemon
    expect(await history(sb, 'hourly')).toHaveLength(1);
    expect(await eventsOf(sb, 'cron:slot:fired')).toHaveLength(1);
  });

  it('kill -9 of the daemon during a run: the run is interrupted after restart, its group reaped, the slot not re-fired', async () => {
    sb = new Sandbox('cronkill');
    sb.writeApp(`cron:\n  - name: long\n    schedule: "* * * * *"\n    command: sh -c 'sleep 300 & wait'\n`);
    const env = { NIGHTSHIFT_CLOCK_OFFSET_MS: String(offsetBeforeMinute(2_500)) };
    await sb.cliOk(['up'], { env });
    const found = await waitFor<RunJson[] | null>(
      async () => {
        const h = await history(sb, 'long');
        return h[0]?.status === 'running' && sb.userPids().length === 2 ? h : null;
      },
      10_000,
      'the run to be running',
    );
    const [run] = found;
    const daemonPid = sb.daemonPid()!;
    process.kill(daemonPid, 'SIGKILL');
    await waitFor(
      () =>
        !existsSync(`/proc/${daemonPid}/status`) ||
        readFileSync(`/proc/${daemonPid}/status`, 'utf8').includes('State:\tZ'),
      5_000,
      'the daemon gone',
    );
    expect(sb.userPids()).toHaveLength(2); // the run's group outlived its daemon

    await restartDaemon(sb, env);
    await waitFor(() => sb.userPids().length === 0, 6_000, 'the old run group reaped');
    const runs = await history(sb, 'long');
    expect(runs).toHaveLength(1); // its slot was not fired again, the next one is a minute away
    expect(runs[0]).toMatchObject({ id: run!.id, status: 'interrupted', slot: run!.slot });
    expect((await eventsOf(sb, 'cron:run:interrupted')).map((e) => e.data.runId)).toEqual([run!.id]);
  });

  it('cron run: --wait exits with the run’s exit code; forbid refuses a second run; --force overrides; daemon stop interrupts', async () => {
    sb = new Sandbox('cronrun');
    sb.writeApp(
      `cron:\n  - name: blocker\n    schedule: "0 3 * * *"\n    command: sh -c 'echo "trigger=$NIGHTSHIFT_TRIGGER run=$NIGHTSHIFT_RUN_ID"; sleep 3; exit 7'\n  - name: quick\n    schedule: "@daily"\n    command: sh -c 'echo quick; exit 0'\n`,
    );
    await sb.cliOk(['up']);
    const first = await sb.cliOk(['cron', 'run', 'blocker']);
    expect(first.stdout).toMatch(/^run \d+ of blocker started/);
    const refused = await sb.cli(['cron', 'run', 'blocker']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('NS_CRON_OVERLAP');
    expect(refused.stderr).toContain('--force');

    const t0 = Date.now();
    const forced = await sb.cli(['cron', 'run', 'blocker', '--force', '--wait']);
    expect(forced.code).toBe(7);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2_900);
    expect(forced.stdout).toMatch(/cron:blocker#\d+: trigger=manual run=\d+/);
    expect(forced.stderr).toMatch(/failed \(exit 7\)/);
    expect((await sb.cli(['cron', 'run', 'quick', '--wait'])).code).toBe(0);
    const runs = await history(sb, 'blocker');
    expect(runs.map((r) => [r.trigger, r.status, r.exitCode, r.slot])).toEqual([
      ['manual', 'failed', 7, null],
      ['manual', 'failed', 7, null],
    ]);
    expect(await eventsOf(sb, 'cron:slot:skipped')).toHaveLength(1);

    await sb.cliOk(['cron', 'suspend', 'quick']);
    const jobs = JSON.parse((await sb.cliOk(['cron', 'ls', '--json'])).stdout) as {
      name: string;
      suspended: boolean;
      lastRun: RunJson | null;
    }[];
    expect(jobs.map((j) => [j.name, j.suspended, j.lastRun?.status])).toEqual([
      ['blocker', false, 'failed'],
      ['quick', true, 'succeeded'],
    ]);
    await sb.cliOk(['cron', 'resume', 'quick']);

    await sb.cliOk(['cron', 'run', 'blocker']);
    await waitFor(() => sb.userPids().length >= 1, 5_000, 'the run');
    await sb.cliOk(['daemon', 'stop']);
    expect(sb.userPids()).toEqual([]);
    await restartDaemon(sb, {});
    const after = await history(sb, 'blocker');
    expect(after[0]).toMatchObject({
      status: 'interrupted',
      signal: 'SIGTERM',
      reason: 'the daemon stopped while it ran',
    });
  });
});
