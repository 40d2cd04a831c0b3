import type { MetricsResponse, PsEntry } from '@nightshift/protocol';
import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';
import { tierFor } from './pure/tiers.js';
import type { UsageSampler } from './sampler.js';

export interface SeriesQuery {
  readonly process: string | null;
  readonly idx: number | null;
  /** Epoch ms; null for the last hour. */
  readonly since: number | null;
  /** Seconds between points asked for; null lets the age of `since` decide. */
  readonly stepSeconds: number | null;
}

const DEFAULT_WINDOW_MS = 3_600_000;

/** Replica usage as the API shows it: the latest reading beside `ps`, and stored series. */
export class UsageViews {
  #db: store.Db;
  #clock: Clock;
  #sampler: UsageSampler;

  constructor(deps: { db: store.Db; clock: Clock; sampler: UsageSampler }) {
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#sampler = deps.sampler;
  }

  /** `ps` lines with the CPU % and memory of each replica's last sample (null before its first). */
  withUsage(entries: readonly Omit<PsEntry, 'cpuPercent' | 'memoryBytes'>[]): PsEntry[] {
    return entries.map((e) => {
      const idx = Number(e.replica.slice(e.replica.lastIndexOf('.') + 1));
      const u = e.pid === null ? null : this.#sampler.latest(e.app, e.process, idx);
      return {
        ...e,
        cpuPercent: u?.cpuPercent === undefined || u.cpuPercent === null ? null : round1(u.cpuPercent),
        memoryBytes: u?.memoryBytes ?? null,
      };
    });
  }

  series(app: string, q: SeriesQuery): MetricsResponse {
    const now = this.#clock.now();
    const since = q.since ?? now - DEFAULT_WINDOW_MS;
    const tier = tierFor(now - since, q.stepSeconds === null ? null : q.stepSeconds * 1000);
    // A step coarser than the tier's merges its points into buckets of that step.
    const stepMs = Math.max(tier.stepMs, (q.stepSeconds ?? 0) * 1000);
    const points = store.usagePoints(this.#db, {
      app,
      process: q.process,
      idx: q.idx,
      tier: tier.id,
      from: Math.floor(since / tier.stepMs) * tier.stepMs,
    });
    const bySlot = new Map<string, { process: string; idx: number; points: store.UsagePoint[] }>();
    for (const p of points) {
      const key = `${p.process}.${p.idx}`;
      const slot = bySlot.get(key) ?? { process: p.process, idx: p.idx, points: [] };
      slot.points.push(p);
      bySlot.set(key, slot);
    }
    return {
      step: stepMs / 1000,
      since: new Date(since).toISOString(),
      series: [...bySlot.values()].map((s) => ({
        process: s.process,
        replica: `${s.process}.${s.idx}`,
        points: merge(s.points, stepMs).map((p) => ({
          time: new Date(p.t).toISOString(),
          cpuPercent: p.cpuPercent === null ? null : round1(p.cpuPercent),
          memoryBytes: p.memoryBytes,
          memoryMaxBytes: p.memoryMaxBytes,
          processes: p.processes,
        })),
      })),
    };
  }
}

/** Points averaged into buckets of `stepMs` (kept as they are when that is their own step). */
function merge(points: readonly store.UsagePoint[], stepMs: number): store.UsagePoint[] {
  const out: store.UsagePoint[] = [];
  let group: store.UsagePoint[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const cpu = group.filter((p) => p.cpuPercent !== null).map((p) => p.cpuPercent!);
    const last = group[group.length - 1]!;
    out.push({
      ...last,
      t: Math.floor(group[0]!.t / stepMs) * stepMs,
      cpuPercent: cpu.length === 0 ? null : cpu.reduce((a, b) => a + b, 0) / cpu.length,
      memoryBytes: Math.round(group.reduce((a, p) => a + p.memoryBytes, 0) / group.length),
      memoryMaxBytes: Math.max(...group.map((p) => p.memoryMaxBytes)),
    });
    group = [];
  };
  for (const p of points) {
    if (group.length > 0 && Math.floor(group[0]!.t / stepMs) !== Math.floor(p.t / stepMs)) flush();
    group.push(p);
  }
  flush();
  return out;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
