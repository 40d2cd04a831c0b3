import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

const MIN = 60_000;

interface RunJson {
  id: number;
  trigger: string;
  slot: string | null;
  coalesced: number;
  status: string;
  exitCode: number | null;
  startedAt: string | null;
  durationMs: number | null;
  release: string | null;
}

/**
 * A `* * * * *` job on the real clock for three minute boundaries. The daemon's clock is shifted so the first
 * boundary comes 3 s after the deploy (the shift is constant, so slot spacing and lateness are real time).
 */
describe('cron on the real clock', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('an every-minute job fires within 1 s of each minute, three times; a longer one under forbid skips a slot', async () => {
    sb = new Sandbox('cronreal');
    sb.writeApp(
      `cron:\n  - name: minutely\n    schedule: "* * * * *"\n    command: sh -c 'echo "run $NIGHTSHIFT_RUN_ID for $NIGHTSHIFT_SCHEDULED_AT"; sleep 0.2'\n` +
        // Runs 70 s: the second minute finds it running (forbid: skipped), the third starts it again.
        `  - name: slow\n    schedule: "* * * * *"\n    command: sleep 70\n`,
    );
    const now = Date.now();
    let boundary = Math.ceil(now / MIN) * MIN;
    if (boundary - now < 1_000) boundary += MIN;
    const env = { NIGHTSHIFT_CLOCK_OFFSET_MS: String(boundary - 3_000 - now) };
    await sb.cliOk(['up'], { env });
    const found = await waitFor<RunJson[] | null>(
      async () => {
        const h = JSON.parse((await sb.cliOk(['cron', 'history', 'minutely', '--json'])).stdout) as RunJson[];
        return h.length >= 3 && h.every((r) => r.status === 'succeeded') ? h : null;
      },
      2 * MIN + 15_000,
      'three finished runs',
      1_000,
    );
    const runs = found;
    expect(runs).toHaveLength(3);
    const slots = runs.map((r) => Date.parse(r.slot!)).reverse();
    expect(slots[1]! - slots[0]!).toBe(MIN);
    expect(slots[2]! - slots[1]!).toBe(MIN);
    for (const r of runs) {
      expect(r).toMatchObject({
        trigger: 'schedule',
        status: 'succeeded',
        exitCode: 0,
        coalesced: 0,
        release: 'v1',
      });
      const late = Date.parse(r.startedAt!) - Date.parse(r.slot!);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(1_000);
      expect(r.durationMs!).toBeGreaterThanOrEqual(150);
      const logs = (await sb.cliOk(['cron', 'logs', String(r.id)])).stdout;
      expect(logs).toContain(`cron:minutely#${r.id}: run ${r.id} for ${r.slot}`);
    }
    const events = JSON.parse((await sb.cliOk(['events', '--json', '-n', '200'])).stdout) as {
      type: string;
      data: { job: string; lateMs: number; slot: string; reason: string };
    }[];
    const fired = events.filter((e) => e.type === 'cron:slot:fired' && e.data.job === 'minutely');
    expect(fired).toHaveLength(3);
    for (const e of fired) expect(e.data.lateMs).toBeLessThan(1_000);

    const slow = JSON.parse((await sb.cliOk(['cron', 'history', 'slow', '--json'])).stdout) as (RunJson & {
      reason: string | null;
    })[];
    expect(slow.map((r) => [r.slot, r.status, r.reason])).toEqual([
      [runs[0]!.slot, 'running', null],
      [runs[1]!.slot, 'skipped', 'overlap'],
      [runs[2]!.slot, 'succeeded', null],
    ]);
    expect(slow[2]!.durationMs!).toBeGreaterThanOrEqual(69_000);
    expect(Date.parse(slow[0]!.startedAt!)).toBeGreaterThan(
      Date.parse(slow[2]!.startedAt!) + slow[2]!.durationMs!,
    );
    const skipped = events.filter((e) => e.type === 'cron:slot:skipped');
    expect(skipped.map((e) => [e.data.job, e.data.slot, e.data.reason])).toEqual([
      ['slow', runs[1]!.slot, 'overlap'],
    ]);
  }, 200_000);
});
