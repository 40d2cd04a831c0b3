import type { Clock } from '../runtime/clock.js';
import { systemTimers, type Timer, type Timers } from '../runtime/timers.js';
import * as store from '../store/index.js';
import type { ReplicaTarget } from '../supervisor/targets.js';
import { cpuPercent, SAMPLE_INTERVAL_MS, TIERS } from './pure/tiers.js';
import type { UsageReader } from './usage.js';

/** A replica's latest reading, for `ps`, `top` and Prometheus. */
export interface LatestUsage {
  readonly at: number;
  /** The monotonic reading of the sample: CPU % is measured over monotonic time, never a clock step. */
  readonly mono: number;
  readonly pgid: number;
  readonly cpuPercent: number | null;
  readonly cpuSeconds: number;
  readonly memoryBytes: number;
  readonly processes: number;
}

export interface SamplerDeps {
  readonly db: store.Db;
  readonly clock: Clock;
  readonly reader: UsageReader;
  readonly targets: () => readonly ReplicaTarget[];
  readonly onError: (err: unknown) => void;
  readonly intervalMs?: number;
  readonly timers?: Timers;
  /** The daemon's CPU time so far, in ms (user + system); a simulation gives its own. */
  readonly cpuTimeMs?: () => number;
}

const processCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * The share of one core the sampler keeps to: a pass that cost more CPU (thousands of replicas, each a few file
 * reads) waits proportionally longer before the next, so a large machine gets coarser samples, not a busy daemon.
 * 0.25 % of a core: the idle target of the whole daemon is 0.5 % (issue 17). The cost is the daemon's own CPU
 * time, not wall time: on a machine busy with other work a pass takes longer without costing more.
 */
export const SAMPLER_DUTY = 0.0025;
/** However long a pass takes, the samples stay this fresh (`ps`, `top` and the autoscaler read the latest). */
export const MAX_SAMPLE_INTERVAL_MS = 60_000;

/** The wait before the next pass: the base interval, stretched to keep the sampler within its duty. */
export function nextInterval(baseMs: number, lastPassMs: number): number {
  return Math.max(baseMs, Math.min(lastPassMs / SAMPLER_DUTY, MAX_SAMPLE_INTERVAL_MS));
}

const keyOf = (t: { app: string; process: string; idx: number }) => `${t.app}/${t.process}/${t.idx}`;

/**
 * Samples every replica's process group on a fixed interval, keeps the latest reading of each in memory and
 * the series in the store (downsampled there, metrics/pure/tiers.ts). One pass is one `/proc` walk and one
 * transaction, whatever the number of replicas.
 */
export class UsageSampler {
  #deps: SamplerDeps;
  #latest = new Map<string, LatestUsage>();
  #timer: Timer | null = null;
  #stopped = true;
  #lastPassMs = 0;

  constructor(deps: SamplerDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#stopped = false;
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = null;
  }

  /** The latest reading of a replica (null before its first sample, or once its group is gone). */
  latest(app: string, process: string, idx: number): LatestUsage | null {
    return this.#latest.get(keyOf({ app, process, idx })) ?? null;
  }

  /** One sampling pass at the clock's now; the timer calls it, a simulation calls it directly. */
  pass(): void {
    const cpuTime = this.#deps.cpuTimeMs ?? processCpuMs;
    const cpuBefore = cpuTime();
    const now = this.#deps.clock.now();
    const mono = this.#deps.clock.monotonic();
    const targets = this.#deps.targets();
    const usage = this.#deps.reader.read(targets.map((t) => t.pgid));
    const next = new Map<string, LatestUsage>();
    const samples: store.UsageSample[] = [];
    for (const t of targets) {
      const u = usage.get(t.pgid);
      if (!u) continue;
      const key = keyOf(t);
      const before = this.#latest.get(key);
      // A new group in the slot (a restart) starts its CPU counter again: no interval to compare.
      const comparable = before && before.pgid === t.pgid ? { ...before, at: before.mono } : undefined;
      const latest: LatestUsage = {
        at: now,
        mono,
        pgid: t.pgid,
        cpuPercent: cpuPercent(comparable, { cpuSeconds: u.cpuSeconds, at: mono }),
        cpuSeconds: u.cpuSeconds,
        memoryBytes: u.memoryBytes,
        processes: u.processes,
      };
      next.set(key, latest);
      samples.push({ app: t.app, process: t.process, idx: t.idx, ...latest });
    }
    this.#latest = next;
    store.recordUsage(this.#deps.db, samples, now, TIERS);
    this.#lastPassMs = cpuTime() - cpuBefore;
  }

  /** The wait before the next pass (the base interval unless the last pass was costly). */
  get intervalMs(): number {
    return nextInterval(this.#deps.intervalMs ?? SAMPLE_INTERVAL_MS, this.#lastPassMs);
  }

  #arm(): void {
    if (this.#stopped) return;
    const timers = this.#deps.timers ?? systemTimers;
    this.#timer = timers.after(this.intervalMs, () => {
      try {
        this.pass();
      } catch (err) {
        this.#deps.onError(err);
      }
      this.#arm();
    });
  }
}
