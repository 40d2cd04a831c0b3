import { type Db, prepared } from './db.js';

/** What a runtime period is about when it opens (accounting/recorder.ts). */
export interface PeriodStart {
  readonly app: string;
  readonly kind: 'replica' | 'cron';
  /** The process type or the cron job. */
  readonly process: string;
  /** `emails.2`, or `run 41`. */
  readonly unit: string;
  /** The group leader's pid: tells the two groups of one slot apart during a rolling switch. */
  readonly pid: number | null;
  readonly region: string;
  /** Requested cores and bytes; null when the manifest left them unset. */
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly startedAt: number;
}

export interface StoredPeriod extends PeriodStart {
  readonly id: number;
  readonly endedAt: number | null;
  readonly endReason: string | null;
}

/** Opens a period. */
export function openPeriod(db: Db, p: PeriodStart): void {
  prepared(
    db,
    `INSERT INTO usage_periods (app, kind, process, unit, pid, region, cpu, memory, started_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(p.app, p.kind, p.process, p.unit, p.pid, p.region, p.cpu, p.memory, p.startedAt);
}

/**
 * Ends the unit's open period (the one of group `pid` when given), if it has one; an end before the start ends
 * it at its start.
 */
export function closePeriod(
  db: Db,
  unit: {
    readonly app: string;
    readonly kind: 'replica' | 'cron';
    readonly unit: string;
    readonly pid: number | null;
  },
  at: number,
  reason: string,
): void {
  prepared(
    db,
    `UPDATE usage_periods SET ended_at = MAX(started_at, ?), end_reason = ?
     WHERE app = ? AND kind = ? AND unit = ? AND ended_at IS NULL AND (? IS NULL OR pid = ?)`,
  ).run(at, reason, unit.app, unit.kind, unit.unit, unit.pid, unit.pid);
}

/** Ends every open period of the app (destroyed: its processes are gone). */
export function closeAppPeriods(db: Db, app: string, at: number, reason: string): void {
  prepared(
    db,
    `UPDATE usage_periods SET ended_at = MAX(started_at, ?), end_reason = ? WHERE app = ? AND ended_at IS NULL`,
  ).run(at, reason, app);
}

/** Ends every open period at `at` (never before its start); returns how many. */
export function closeOpenPeriods(db: Db, at: number, reason: string): number {
  const result = prepared(
    db,
    `UPDATE usage_periods SET ended_at = MAX(started_at, ?), end_reason = ? WHERE ended_at IS NULL`,
  ).run(at, reason);
  return Number(result.changes);
}

/**
 * Deletes the periods that ended before `before` (retention); running ones stay whatever their age. Returns how
 * many went.
 */
export function pruneUsagePeriods(db: Db, before: number): number {
  const result = prepared(db, 'DELETE FROM usage_periods WHERE ended_at < ?').run(before);
  return Number(result.changes);
}

export function writeHeartbeat(db: Db, at: number): void {
  prepared(
    db,
    'INSERT INTO usage_heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
  ).run(at);
}

/** The last heartbeat of any daemon on this database; null before the first. */
export function lastHeartbeat(db: Db): number | null {
  const row = prepared(db, 'SELECT at FROM usage_heartbeat WHERE id = 1').get() as { at: number } | undefined;
  return row?.at ?? null;
}

/** The app's periods that overlap `[since, until)`, oldest first. */
export function periodsBetween(db: Db, app: string, since: number, until: number): StoredPeriod[] {
  const rows = prepared(
    db,
    `SELECT id, app, kind, process, unit, pid, region, cpu, memory, started_at, ended_at, end_reason
     FROM usage_periods
     WHERE app = ? AND started_at < ? AND (ended_at IS NULL OR ended_at >= ?)
     ORDER BY started_at, id`,
  ).all(app, until, since) as unknown as PeriodRow[];
  return rows.map((r) => ({
    id: r.id,
    app: r.app,
    kind: r.kind,
    process: r.process,
    unit: r.unit,
    pid: r.pid,
    region: r.region,
    cpu: r.cpu,
    memory: r.memory,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
  }));
}

interface PeriodRow {
  id: number;
  app: string;
  kind: 'replica' | 'cron';
  process: string;
  unit: string;
  pid: number | null;
  region: string;
  cpu: number | null;
  memory: number | null;
  started_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

/** Periods folded per line key and requested resources (accounting/pure/report.ts `BilledGroup`). */
export interface UsageGroupRow {
  readonly key: string;
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly periods: number;
  readonly minutes: number;
}

/**
 * Rows are folded in the order of `usage_periods_sums` (process, resources, region), so SQLite sums them as it
 * reads the index instead of sorting a year of rows: by process the keys are a prefix of it; by region they are
 * all four (the report merges the lines). The day has an index of its own (`dailyGroups`).
 */
const GROUPING = {
  process: { key: 'process', by: 'process, cpu, memory' },
  region: { key: 'region', by: 'process, cpu, memory, region' },
} as const;

/** The clipping and rounding of accounting/pure/minutes.ts, in SQL, over `s` (start), `f` (clipped start), `e`. */
const BILLED_MINUTES =
  // Times bind as REAL: CAST truncates, the ceiling here since the part is never negative.
  'MAX(1, CAST((MIN(e, :until) - f + 59999) / 60000 AS INTEGER))';

export function usageGroups(
  db: Db,
  app: string,
  w: { readonly since: number; readonly until: number; readonly now: number },
  by: keyof typeof GROUPING | 'day',
): UsageGroupRow[] {
  if (by === 'day') return dailyGroups(db, app, w);
  return prepared(
    db,
    // A period is inside when it ends after `since` or starts at or after it (one of no length, at its moment);
    // its part inside is max(start, since) … min(end, until), which is never negative for one that is inside.
    `SELECT ${GROUPING[by].key} AS key, cpu, memory, count(*) AS periods, sum(${BILLED_MINUTES}) AS minutes
     FROM (
       SELECT process, region, cpu, memory, started_at AS s, MAX(started_at, :since) AS f,
              COALESCE(ended_at, MAX(:now, started_at)) AS e
       FROM usage_periods INDEXED BY usage_periods_sums
       WHERE app = :app AND started_at < :until
     )
     WHERE e > :since OR s >= :since
     GROUP BY ${GROUPING[by].by}`,
  ).all({ app, since: w.since, until: w.until, now: w.now }) as unknown as UsageGroupRow[];
}

const DAY_MS = 86_400_000;

/**
 * Per UTC day of the clipped start. SQLite groups by the day the period *started* (the expression of
 * `usage_periods_day`, so rows are summed in index order: grouping by the clipped start's day would sort a year of
 * rows, 3× the time). Only the few periods that started before `since` land on an earlier day; the clipped start
 * of each is `since`, so their groups move to its day here. Only day, cpu and memory are keys: the process and
 * region weigh nothing in a day's line, and two fewer keys per row is a quarter less time.
 */
function dailyGroups(
  db: Db,
  app: string,
  w: { readonly since: number; readonly until: number; readonly now: number },
): UsageGroupRow[] {
  const rows = prepared(
    db,
    `SELECT started_at / 86400000 AS day, cpu, memory, count(*) AS periods, sum(${BILLED_MINUTES}) AS minutes
     FROM (
       SELECT started_at, cpu, memory, started_at AS s, MAX(started_at, :since) AS f,
              COALESCE(ended_at, MAX(:now, started_at)) AS e
       FROM usage_periods INDEXED BY usage_periods_day
       WHERE app = :app AND started_at < :until
     )
     WHERE e > :since OR s >= :since
     GROUP BY started_at / 86400000, cpu, memory`,
  ).all({ app, since: w.since, until: w.until, now: w.now }) as unknown as DayRow[];
  const sinceDay = Math.floor(w.since / DAY_MS);
  const groups = new Map<string, { -readonly [K in keyof UsageGroupRow]: UsageGroupRow[K] }>();
  const names = new Map<number, string>();
  for (const r of rows) {
    const day = Math.max(r.day, sinceDay);
    let key = names.get(day);
    if (key === undefined) names.set(day, (key = new Date(day * DAY_MS).toISOString().slice(0, 10)));
    const id = `${key} ${r.cpu} ${r.memory}`;
    const group = groups.get(id);
    if (group) {
      group.periods += r.periods;
      group.minutes += r.minutes;
    } else groups.set(id, { key, cpu: r.cpu, memory: r.memory, periods: r.periods, minutes: r.minutes });
  }
  return [...groups.values()];
}

interface DayRow {
  readonly day: number;
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly periods: number;
  readonly minutes: number;
}
