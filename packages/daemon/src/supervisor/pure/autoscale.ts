/**
 * The autoscale policy: one decision per process and period from the signals the shell read. It follows the
 * Kubernetes HPA algorithm (kubernetes.io, "Horizontal Pod Autoscaling"): per metric
 * `ceil(current × utilisation / target)`, no change within a 0.1 tolerance of the target, the largest
 * recommendation wins, scale-up at once, scale-down only to the highest recommendation of the stabilisation
 * window, at most doubling per step, bounded by min/max. No clock and no I/O: `now` comes in as an argument.
 */

/** The HPA's default tolerance: a ratio this close to 1.0 keeps the current count. */
export const TOLERANCE = 0.1;

export interface ReplicaUsage {
  /** CPU in percent of one core (100 = one core busy). */
  readonly cpuPercent: number | null;
  readonly memoryBytes: number;
}

export interface AutoscaleInput {
  readonly now: number;
  /** Replicas wanted now (the last decision or the manifest's count). */
  readonly current: number;
  readonly min: number;
  readonly max: number;
  /** Readings of the replicas that are running; starting or backing-off replicas are not capacity. */
  readonly ready: readonly ReplicaUsage[];
  /** Target CPU in percent of `cpuRequest` cores; null when not scaling on CPU. */
  readonly cpu: { readonly target: number; readonly request: number } | null;
  readonly memory: { readonly target: number; readonly requestBytes: number } | null;
  /** `waiting` is null when the queue could not be read: then it makes no recommendation. */
  readonly queue: { readonly target: number; readonly waiting: number | null } | null;
  /** Recommendations of earlier periods (any age; those older than the window are ignored). */
  readonly history: readonly Recommendation[];
  readonly windowMs: number;
}

export interface Recommendation {
  readonly at: number;
  readonly replicas: number;
}

export type SignalName = 'cpu' | 'memory' | 'queue';

export interface SignalReading {
  readonly signal: SignalName;
  /** CPU and memory: average utilisation in percent of the request; queue: waiting jobs. Null: unreadable. */
  readonly value: number | null;
  readonly target: number;
  /** Null when the signal had nothing to say (unreadable, or no running replica to measure). */
  readonly recommendation: number | null;
}

/** What limited the count, when something did. */
export type AppliedBound = 'min' | 'max' | 'window' | 'doubling' | null;

export interface AutoscaleDecision {
  readonly from: number;
  readonly to: number;
  readonly signals: readonly SignalReading[];
  /** The largest signal recommendation (or `from` when no signal could recommend). */
  readonly recommendation: number;
  /** The highest recommendation within the stabilisation window, this period's included. */
  readonly windowMax: number;
  readonly bound: AppliedBound;
  /** This period's entry for the window (the shell keeps it). */
  readonly record: Recommendation;
}

/**
 * One resource metric the HPA way: on a scale-up, replicas that are not running count as 0 % (so they damp
 * the step); on a scale-down they are left out (they are no capacity to keep).
 */
function resourceRecommendation(
  current: number,
  usages: readonly number[],
  request: number,
  targetPercent: number,
): { value: number | null; recommendation: number | null } {
  if (usages.length === 0 || request <= 0) return { value: null, recommendation: null };
  const sum = usages.reduce((a, b) => a + b, 0);
  const readyUtil = (sum / (request * usages.length)) * 100;
  let ratio = readyUtil / targetPercent;
  let base = usages.length;
  const unready = Math.max(0, current - usages.length);
  if (ratio > 1 && unready > 0) {
    base = usages.length + unready;
    ratio = ((sum / (request * base)) * 100) / targetPercent;
    // Counting the unready as idle may flip the direction: then the HPA keeps the count.
    if (ratio <= 1) return { value: readyUtil, recommendation: current };
  }
  if (Math.abs(ratio - 1) <= TOLERANCE) return { value: readyUtil, recommendation: current };
  return { value: readyUtil, recommendation: Math.ceil(base * ratio) };
}

/** `ceil(waiting / target)`, with the same tolerance around the current count. */
function queueRecommendation(current: number, waiting: number, target: number): number {
  if (current > 0 && Math.abs(waiting / (target * current) - 1) <= TOLERANCE) return current;
  return Math.ceil(waiting / target);
}

/** Reads every configured signal into a recommendation. */
export function readSignals(input: AutoscaleInput): SignalReading[] {
  const out: SignalReading[] = [];
  const { current, ready } = input;
  if (input.cpu) {
    const usages = ready.flatMap((r) => (r.cpuPercent === null ? [] : [r.cpuPercent / 100]));
    const r = resourceRecommendation(current, usages, input.cpu.request, input.cpu.target);
    out.push({ signal: 'cpu', target: input.cpu.target, ...r });
  }
  if (input.memory) {
    const usages = ready.map((r) => r.memoryBytes);
    const r = resourceRecommendation(current, usages, input.memory.requestBytes, input.memory.target);
    out.push({ signal: 'memory', target: input.memory.target, ...r });
  }
  if (input.queue) {
    const { waiting, target } = input.queue;
    out.push({
      signal: 'queue',
      value: waiting,
      target,
      recommendation: waiting === null ? null : queueRecommendation(current, waiting, target),
    });
  }
  return out;
}

/** The decision of one period. */
export function decide(input: AutoscaleInput): AutoscaleDecision {
  const { current, min, max, now } = input;
  const signals = readSignals(input);
  const recs = signals.flatMap((s) => (s.recommendation === null ? [] : [s.recommendation]));
  // Nothing readable: hold the count (a missing signal never scales anything down).
  const recommendation = recs.length ? Math.max(...recs) : current;
  const record = { at: now, replicas: recommendation };
  const windowMax = Math.max(
    recommendation,
    ...input.history.filter((h) => h.at > now - input.windowMs && h.at <= now).map((h) => h.replicas),
  );

  let to = recommendation;
  let bound: AppliedBound = null;
  if (to < current && windowMax > to) {
    to = Math.min(current, windowMax);
    bound = 'window';
  }
  // At most double per step; from zero, one replica is the first step.
  const most = Math.max(current * 2, 1);
  if (to > most) {
    to = most;
    bound = 'doubling';
  }
  if (to > max) {
    to = max;
    bound = 'max';
  } else if (to < min) {
    to = min;
    bound = 'min';
  }
  return { from: current, to, signals, recommendation, windowMax, bound, record };
}

/** The window's entries still worth keeping at `now`. */
export function pruneHistory(
  history: readonly Recommendation[],
  now: number,
  windowMs: number,
): Recommendation[] {
  return history.filter((h) => h.at > now - windowMs);
}
