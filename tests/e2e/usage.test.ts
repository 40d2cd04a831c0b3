import { existsSync } from 'node:fs';
import type { UsageAmounts, UsageReport } from '@nightshift/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, sleep, waitFor } from './helpers.js';

const GIB = 1024 ** 3;

async function usage(sb: Sandbox, ...args: string[]): Promise<UsageReport> {
  const res = await sb.cliOk(['usage', '--json', '--periods', '--app', sb.app, ...args]);
  return JSON.parse(res.stdout) as UsageReport;
}

/** The acceptance's "`--json` totals equal the sum of their periods" (and of their lines). */
function expectTotalsAreSums(r: UsageReport): void {
  for (const field of ['replicaMinutes', 'vcpuMinutes', 'gibMinutes', 'periods'] as const) {
    const sum = (xs: readonly UsageAmounts[]) => xs.reduce((a, x) => a + x[field], 0);
    expect(sum(r.periods!), field).toBeCloseTo(r.totals[field], 6);
    expect(sum(r.lines), field).toBeCloseTo(r.totals[field], 6);
  }
}

describe('usage accounting', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('bills real replicas by the minute: 61 s counts 2, 5 s counts 1 (real time)', async () => {
    sb = new Sandbox('usage');
    sb.writeApp(
      `workers:
  - name: long
    start: sh -c 'sleep 1000 & wait'
    resources: { cpu: 0.25, memory: 256Mi }
    stop_grace: 2s
  - name: short
    start: sh -c 'sleep 1000 & wait'
    stop_grace: 2s
`,
    );
    await sb.cliOk(['up']);
    await sleep(5_000);
    await sb.cliOk(['stop', 'short', '--app', sb.app]);
    await sleep(57_000);
    await sb.cliOk(['stop', 'long', '--app', sb.app]);

    const r = await usage(sb);
    const of = (process: string) => r.periods!.filter((p) => p.process === process);
    const [long] = of('long');
    const [short] = of('short');
    expect(of('long')).toHaveLength(1);
    expect(of('short')).toHaveLength(1);
    const ran = (p: typeof long) => Date.parse(p!.endedAt!) - Date.parse(p!.startedAt);
    expect(ran(long)).toBeGreaterThan(60_000);
    expect(ran(long)).toBeLessThan(120_000);
    expect(ran(short)).toBeLessThan(60_000);
    expect(long).toMatchObject({
      replicaMinutes: 2,
      vcpuMinutes: 0.5,
      gibMinutes: 0.5,
      endReason: 'stopped',
    });
    // No resources: the documented defaults, 1 vCPU and 512 MiB.
    expect(short).toMatchObject({ replicaMinutes: 1, cpu: 1, memoryBytes: GIB / 2, vcpuMinutes: 1 });
    expect(r.totals.replicaMinutes).toBe(3);
    expectTotalsAreSums(r);

    const text = await sb.cliOk(['usage', '--app', sb.app]);
    expect(text.stdout).toMatch(/^PROCESS\s+PERIODS\s+REPLICA-MIN\s+VCPU-MIN\s+GIB-MIN/);
    expect(text.stdout).toMatch(/^TOTAL\s+2\s+3\s+1\.5\s+1/m);
    const bad = await sb.cli(['usage', '--app', sb.app, '--since', '1h', '--until', '2h']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('NS_USAGE_RANGE_INVALID');
  }, 150_000);

  it("keeps a rolling switch's old and new replica of one slot as two periods that overlap", async () => {
    sb = new Sandbox('usageroll');
    const manifest = (v: string) =>
      `env: { V: "${v}" }\nworkers:\n  - name: w\n    start: sh -c 'sleep 1000 & wait'\n    stop_grace: 2s\n    min_ready: 1s\n`;
    sb.writeApp(manifest('1'));
    await sb.cliOk(['up']);
    sb.writeApp(manifest('2'));
    await sb.cliOk(['deploy']);
    const r = await usage(sb);
    const w = r.periods!.filter((p) => p.unit === 'w.1');
    expect(w.map((p) => p.endReason)).toEqual(['stopped', null]);
    // The successor started before the old group was stopped, and the old group's stop ended only its own period.
    expect(Date.parse(w[1]!.startedAt)).toBeLessThan(Date.parse(w[0]!.endedAt!));
    expectTotalsAreSums(r);
  }, 60_000);

  it('ends a period cut by kill -9 of the daemon at its last heartbeat, not when a daemon next starts', async () => {
    sb = new Sandbox('usage9');
    sb.daemonEnv.NIGHTSHIFT_USAGE_HEARTBEAT = '1s';
    sb.daemonEnv.NIGHTSHIFT_USAGE_PRICES = 'vcpu_minute=0.0004,gib_minute=0.0001';
    // The restarted daemon's clock jumps two hours, so a fixed daily slot would be missed and fire once on
    // recovery whenever the test ran in the two hours before it: the slot sits twelve hours from now instead.
    const farHour = (new Date().getUTCHours() + 12) % 24;
    sb.writeApp(
      `workers:
  - name: w
    start: sh -c 'sleep 1000 & wait'
    resources: { cpu: 0.5, memory: 1Gi }
    stop_grace: 2s
cron:
  - name: j
    schedule: "0 ${farHour} * * *"
    command: sh -c 'sleep 2'
`,
    );
    await sb.cliOk(['up']);
    await sb.cliOk(['cron', 'run', 'j', '--wait', '--app', sb.app]);
    await sleep(2_500);
    const pid = sb.daemonPid()!;
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await waitFor(() => !existsSync(`/proc/${pid}`), 5_000, 'daemon gone');
    // The next daemon's clock is two hours on: none of that is billed to the cut period.
    sb.daemonEnv.NIGHTSHIFT_CLOCK_OFFSET_MS = String(2 * 3_600_000);
    sb.startDaemon();
    await waitFor(
      async () => (await sb.ps().catch(() => [])).some((r) => r.process === 'w' && r.state === 'running'),
      15_000,
      'w running again',
    );

    const r = await usage(sb);
    const w = r.periods!.filter((p) => p.process === 'w');
    expect(w.map((p) => p.endReason)).toEqual(['daemon-lost', null]);
    const cutAt = Date.parse(w[0]!.endedAt!);
    expect(killedAt - cutAt).toBeGreaterThanOrEqual(0);
    // One interval, plus the moment the test took to notice its kill.
    expect(killedAt - cutAt).toBeLessThanOrEqual(1_000 + 500);
    expect(w[0]!.replicaMinutes).toBe(1);
    // The cron run counted only while it ran (~2 s).
    const runs = r.periods!.filter((p) => p.kind === 'cron');
    expect(runs.map((p) => [p.process, p.replicaMinutes, p.endReason])).toEqual([['j', 1, 'succeeded']]);
    expect(r.prices).toEqual({ vcpuMinute: 0.0004, gibMinute: 0.0001 });
    expect(r.totals.cost).toBeCloseTo(r.totals.vcpuMinutes * 0.0004 + r.totals.gibMinutes * 0.0001, 9);
    expectTotalsAreSums(r);
  }, 90_000);
});
