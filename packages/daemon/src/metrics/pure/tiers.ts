/**
 * How long replica samples are kept, and at which resolution (issue 15): a point every 5 s for the last hour,
 * one a minute for a day, one every 10 minutes for 30 days. Every sample updates the point of its bucket in
 * each tier, so a coarse point is ready the moment its fine points expire and no separate roll-up job exists.
 */
export interface Tier {
  readonly id: number;
  readonly stepMs: number;
  readonly keepMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const TIERS: readonly Tier[] = [
  { id: 0, stepMs: 5_000, keepMs: HOUR },
  { id: 1, stepMs: MINUTE, keepMs: DAY },
  { id: 2, stepMs: 10 * MINUTE, keepMs: 30 * DAY },
];

export const SAMPLE_INTERVAL_MS = 5_000;
const SINCE_SLACK_MS = MINUTE;

/** The most points one replica can hold across every tier (each tier's window in steps, plus the open bucket). */
export const POINTS_PER_REPLICA = TIERS.reduce((n, t) => n + t.keepMs / t.stepMs + 1, 0);

export function bucketStart(time: number, stepMs: number): number {
  return Math.floor(time / stepMs) * stepMs;
}

/**
 * The tier a query reads: the finest one that still holds points as old as `sinceMs`, or the one whose step is
 * the asked step (when coarser than that).
 */
export function tierFor(sinceMs: number, stepMs: number | null): Tier {
  // `--since 1h` computed on the CLI's clock reaches a little over an hour back by the time it is read here.
  const covering = TIERS.find((t) => t.keepMs + SINCE_SLACK_MS >= sinceMs) ?? TIERS[TIERS.length - 1]!;
  if (stepMs === null) return covering;
  const byStep = [...TIERS].reverse().find((t) => t.stepMs <= stepMs) ?? TIERS[0]!;
  return byStep.id > covering.id ? byStep : covering;
}

/** CPU use between two readings of a group's CPU seconds, in percent of one core; null when not comparable. */
export function cpuPercent(
  before: { readonly cpuSeconds: number; readonly at: number } | undefined,
  after: { readonly cpuSeconds: number; readonly at: number },
): number | null {
  if (!before) return null;
  const wallSeconds = (after.at - before.at) / 1000;
  const used = after.cpuSeconds - before.cpuSeconds;
  // A process that left the group (or a restart) lowers the sum: that interval says nothing.
  if (wallSeconds <= 0 || used < 0) return null;
  return (used / wallSeconds) * 100;
}
