/**
 * The deploy guard's counting (PURE): what the watched release did during its window, and whether that is
 * enough to roll it back. The shell (apps/guard.ts) feeds observations in, stores the evidence after each one
 * (so a daemon killed mid-window leaves it to the next daemon) and acts on the trip.
 *
 * Trips: one web or worker replica crashing 3 times, or restarted by its health probe twice; with
 * `guard_cron`, one failed or timed-out cron run. A probe restart also ends in a crash (cause `unhealthy`);
 * that crash is the probe's, counted once as a probe restart, not again as a crash.
 */

export const CRASHES_TO_TRIP = 3;
export const PROBE_RESTARTS_TO_TRIP = 2;
/** A failing job is the job's business unless the manifest asks (`deploy.guard_cron`); then one failure is enough. */
export const CRON_FAILURES_TO_TRIP = 1;
/** Lines of output kept with the evidence: the replica's last ones before the trip. */
const LAST_LINES = 20;

export type Observation =
  | {
      readonly kind: 'crash';
      readonly replica: string;
      readonly at: number;
      readonly code: number | null;
      readonly signal: string | null;
      readonly cause: string | null;
      readonly lastLines: readonly string[];
    }
  | {
      readonly kind: 'probe-restart';
      readonly replica: string;
      readonly at: number;
      readonly error: string;
      readonly lastLines: readonly string[];
    }
  | {
      readonly kind: 'cron-failed';
      readonly job: string;
      readonly runId: number;
      readonly at: number;
      readonly status: string;
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly reason: string | null;
    };

/** One replica's record in the window. */
export interface ReplicaEvidence {
  readonly exits: readonly { at: number; code: number | null; signal: string | null; cause: string | null }[];
  readonly probeErrors: readonly { at: number; error: string }[];
  readonly lastLines: readonly string[];
}

/** Everything observed in the window so far; stored as JSON with the release. */
export interface Evidence {
  readonly replicas: Readonly<Record<string, ReplicaEvidence>>;
  readonly cron: readonly { at: number; job: string; runId: number; status: string; detail: string }[];
}

/** Why the guard rolls a release back, with the record that proves it. */
export interface Trip {
  /** `emails.1` or `cron nightly`. */
  readonly subject: string;
  readonly reason: string;
  readonly replica: ReplicaEvidence | null;
}

export const NO_EVIDENCE: Evidence = { replicas: {}, cron: [] };

/** Adds one observation; `guardCron` false ignores cron failures altogether. */
export function observe(evidence: Evidence, obs: Observation, guardCron: boolean): Evidence {
  if (obs.kind === 'cron-failed') {
    if (!guardCron) return evidence;
    const detail =
      obs.signal ?? (obs.exitCode === null ? (obs.reason ?? obs.status) : `exit ${obs.exitCode}`);
    return {
      ...evidence,
      cron: [...evidence.cron, { at: obs.at, job: obs.job, runId: obs.runId, status: obs.status, detail }],
    };
  }
  const before = evidence.replicas[obs.replica] ?? { exits: [], probeErrors: [], lastLines: [] };
  let after: ReplicaEvidence;
  if (obs.kind === 'crash') {
    // The crash that ends a probe restart was counted by the probe restart itself.
    if (obs.cause === 'unhealthy') return evidence;
    after = {
      ...before,
      exits: [...before.exits, { at: obs.at, code: obs.code, signal: obs.signal, cause: obs.cause }],
      lastLines: obs.lastLines.slice(-LAST_LINES),
    };
  } else {
    after = {
      ...before,
      probeErrors: [...before.probeErrors, { at: obs.at, error: obs.error }],
      lastLines: obs.lastLines.slice(-LAST_LINES),
    };
  }
  return { ...evidence, replicas: { ...evidence.replicas, [obs.replica]: after } };
}

/** The first reason in the evidence to roll the release back, or null while it is within bounds. */
export function verdict(evidence: Evidence): Trip | null {
  for (const [replica, r] of Object.entries(evidence.replicas)) {
    if (r.exits.length >= CRASHES_TO_TRIP) {
      const exits = r.exits.map((e) => e.signal ?? `exit ${e.code}`).join(', ');
      return {
        subject: replica,
        reason: `${replica} crashed ${r.exits.length} times (${exits})`,
        replica: r,
      };
    }
    if (r.probeErrors.length >= PROBE_RESTARTS_TO_TRIP) {
      return {
        subject: replica,
        reason: `${replica} was restarted by its health probe ${r.probeErrors.length} times (${r.probeErrors.map((p) => p.error).join('; ')})`,
        replica: r,
      };
    }
  }
  if (evidence.cron.length >= CRON_FAILURES_TO_TRIP) {
    const first = evidence.cron[0]!;
    return {
      subject: `cron ${first.job}`,
      reason: `cron ${first.job} run ${first.runId} ${first.status} (${first.detail}) and deploy.guard_cron is on`,
      replica: null,
    };
  }
  return null;
}

/** Reads stored evidence; anything unreadable counts as nothing observed (never a reason to roll back). */
export function parseEvidence(json: string | null): Evidence {
  if (!json) return NO_EVIDENCE;
  try {
    const value = JSON.parse(json) as Partial<Evidence>;
    return { replicas: value.replicas ?? {}, cron: value.cron ?? [] };
  } catch {
    return NO_EVIDENCE;
  }
}
