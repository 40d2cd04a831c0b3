import { type Db, prepared, transaction } from './db.js';

/** One reading of one replica's process group. */
export interface UsageSample {
  readonly app: string;
  readonly process: string;
  readonly idx: number;
  /** null for a replica's first reading (no interval to measure CPU over). */
  readonly cpuPercent: number | null;
  readonly cpuSeconds: number;
  readonly memoryBytes: number;
  readonly processes: number;
}

/** A stored point: averages over the samples of its bucket, the last CPU counter and process count. */
export interface UsagePoint {
  readonly process: string;
  readonly idx: number;
  readonly t: number;
  readonly cpuPercent: number | null;
  readonly memoryBytes: number;
  readonly memoryMaxBytes: number;
  readonly cpuSeconds: number;
  readonly processes: number;
}

/**
 * Adds one pass of samples to the point of its bucket in every tier and deletes the points each tier no longer
 * keeps, in one transaction: the table never holds more than the tiers' windows.
 */
export function recordUsage(
  db: Db,
  samples: readonly UsageSample[],
  now: number,
  tiers: readonly { readonly id: number; readonly stepMs: number; readonly keepMs: number }[],
): void {
  const upsert = prepared(
    db,
    `INSERT INTO replica_metrics
       (app, process, idx, tier, t, samples, cpu_samples, cpu_percent_sum, memory_sum, memory_max, cpu_seconds, processes)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (app, process, idx, tier, t) DO UPDATE SET
       samples = samples + 1,
       cpu_samples = cpu_samples + excluded.cpu_samples,
       cpu_percent_sum = cpu_percent_sum + excluded.cpu_percent_sum,
       memory_sum = memory_sum + excluded.memory_sum,
       memory_max = max(memory_max, excluded.memory_max),
       cpu_seconds = excluded.cpu_seconds,
       processes = excluded.processes`,
  );
  const expire = prepared(db, 'DELETE FROM replica_metrics WHERE tier = ? AND t < ?');
  transaction(db, () => {
    for (const tier of tiers) {
      const t = Math.floor(now / tier.stepMs) * tier.stepMs;
      for (const s of samples) {
        upsert.run(
          s.app,
          s.process,
          s.idx,
          tier.id,
          t,
          s.cpuPercent === null ? 0 : 1,
          s.cpuPercent ?? 0,
          s.memoryBytes,
          s.memoryBytes,
          s.cpuSeconds,
          s.processes,
        );
      }
      expire.run(tier.id, now - tier.keepMs);
    }
  });
}

interface RawPoint {
  process: string;
  idx: number;
  t: number;
  samples: number;
  cpu_samples: number;
  cpu_percent_sum: number;
  memory_sum: number;
  memory_max: number;
  cpu_seconds: number;
  processes: number;
}

/** The points of one tier from `from` on, oldest first; `process`/`idx` null for all. */
export function usagePoints(
  db: Db,
  q: { app: string; process: string | null; idx: number | null; tier: number; from: number },
): UsagePoint[] {
  const rows = prepared(
    db,
    `SELECT process, idx, t, samples, cpu_samples, cpu_percent_sum, memory_sum, memory_max, cpu_seconds, processes
     FROM replica_metrics
     WHERE app = ? AND tier = ? AND t >= ? AND (? IS NULL OR process = ?) AND (? IS NULL OR idx = ?)
     ORDER BY process, idx, t`,
  ).all(q.app, q.tier, q.from, q.process, q.process, q.idx, q.idx) as unknown as RawPoint[];
  return rows.map((r) => ({
    process: r.process,
    idx: r.idx,
    t: r.t,
    cpuPercent: r.cpu_samples === 0 ? null : r.cpu_percent_sum / r.cpu_samples,
    memoryBytes: Math.round(r.memory_sum / r.samples),
    memoryMaxBytes: r.memory_max,
    cpuSeconds: r.cpu_seconds,
    processes: r.processes,
  }));
}

/** Rows per tier (for the size bound's test and the daemon's own metrics). */
export function usageRowCounts(db: Db): Map<number, number> {
  const rows = prepared(db, 'SELECT tier, count(*) AS n FROM replica_metrics GROUP BY tier').all() as {
    tier: number;
    n: number;
  }[];
  return new Map(rows.map((r) => [r.tier, r.n]));
}

/** An app's points go with it (destroy). */
export function deleteUsage(db: Db, app: string): void {
  prepared(db, 'DELETE FROM replica_metrics WHERE app = ?').run(app);
}
