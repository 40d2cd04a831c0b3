import { describe, expect, it } from 'vitest';
import { decide, type Recommendation } from '../../src/supervisor/pure/autoscale.js';

/**
 * A recorded hour of CPU demand, replayed through the policy and through a reference written from the HPA
 * documentation (kubernetes.io, "Horizontal Pod Autoscaling": algorithm details, stabilisation window,
 * scaling policies) configured as the issue asks: `scaleDown.stabilizationWindowSeconds: 300`, scale-up
 * `Percent 100 / 15 s`, tolerance 0.1, sync period 15 s.
 */
const PERIOD = 15_000;
const WINDOW = 300_000;
const REQUEST = 0.5;
const TARGET = 60;
const MIN = 1;
const MAX = 10;

/** Cores the whole process needs at minute `m`: ramp, spike, drop, then a two-minute square wave. */
function demand(m: number): number {
  if (m < 10) return 0.3 + 0.01 * m;
  if (m < 20) return 0.4 + 0.16 * (m - 10);
  if (m < 23) return 3.2;
  if (m < 30) return 1.8;
  if (m < 40) return 0.2;
  return Math.floor(m / 2) % 2 === 0 ? 0.6 : 1.5;
}

/** The documented algorithm, step by step, with no code shared with the policy. */
function hpaReference(current: number, util: number, t: number, recs: { t: number; r: number }[]): number {
  const ratio = util / TARGET;
  const desired = Math.abs(ratio - 1) <= 0.1 ? current : Math.ceil(current * ratio);
  recs.push({ t, r: desired });
  // Stabilisation: down to the highest recommendation of the window; up at once (window 0).
  const downRec = Math.max(...recs.filter((x) => x.t > t - WINDOW).map((x) => x.r));
  let next = current;
  if (desired > current) next = desired;
  else if (current > downRec) next = downRec;
  // Scaling policies and bounds: at most +100 % per 15 s up, no down limit; then min/max.
  const maxAllowed = Math.min(Math.max(current * 2, 1), MAX);
  return Math.max(MIN, Math.min(next, maxAllowed));
}

describe('a recorded 1-hour load trace', () => {
  const periods = 3_600_000 / PERIOD;

  function replay() {
    let ours = MIN;
    let theirs = MIN;
    const history: Recommendation[] = [];
    const recs: { t: number; r: number }[] = [];
    const rows: { m: number; ours: number; theirs: number }[] = [];
    for (let k = 1; k <= periods; k++) {
      const t = k * PERIOD;
      const m = t / 60_000;
      const perReplica = (n: number) => demand(m) / n;
      const d = decide({
        now: t,
        current: ours,
        min: MIN,
        max: MAX,
        ready: Array.from({ length: ours }, () => ({ cpuPercent: perReplica(ours) * 100, memoryBytes: 0 })),
        cpu: { target: TARGET, request: REQUEST },
        memory: null,
        queue: null,
        history,
        windowMs: WINDOW,
      });
      history.push(d.record);
      ours = d.to;
      theirs = hpaReference(theirs, (perReplica(theirs) / REQUEST) * 100, t, recs);
      rows.push({ m, ours, theirs });
    }
    return rows;
  }

  it('decides as the HPA algorithm does, every period of the hour', () => {
    const rows = replay();
    expect(rows.filter((r) => r.ours !== r.theirs)).toEqual([]);
    // The trace exercises the policy: it reaches the spike's count and comes back down.
    expect(Math.max(...rows.map((r) => r.ours))).toBe(MAX);
    expect(rows.at(-1)!.ours).toBeGreaterThan(MIN);
  });

  it('holds through the square wave and scales down only five minutes after the drop', () => {
    const rows = replay();
    const at = (m: number) => rows.find((r) => Math.abs(r.m - m) < 1e-9)!.ours;
    // Demand drops after minute 29.75, the last period that recommended 6: the count holds for five minutes
    // from that recommendation and falls in the period it leaves the window.
    const before = at(29.75);
    expect(before).toBe(6);
    for (const r of rows.filter((x) => x.m > 29.75 && x.m < 34.75)) expect(r.ours).toBe(before);
    expect(at(34.75)).toBe(MIN);
    // From minute 45 on the wave repeats every 4 minutes, inside the window: the count never moves.
    const steady = rows.filter((r) => r.m >= 45).map((r) => r.ours);
    expect(new Set(steady).size).toBe(1);
  });
});
