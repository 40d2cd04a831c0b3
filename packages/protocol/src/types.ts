/** JSON shapes of the API (DESIGN §7): camelCase, ISO-8601 UTC times, time-ordered arrays newest first. */

import type { ErrorBody } from './errors.js';

/**
 * `crash-loop`: in backoff after 3+ crashes in a row that each ran under 10 s; `failed`: gave up after
 * `restart.max_restarts` crashes in a row (stays stopped until start, restart or a deploy).
 */
export type ReplicaState =
  | 'pending'
  | 'starting'
  | 'running'
  | 'crashed'
  | 'backoff'
  | 'crash-loop'
  | 'failed'
  | 'stopping'
  | 'stopped';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: string;
  /**
   * Why it ended when the daemon knows: `oom` (killed by the kernel at its cgroup's memory limit),
   * `memory_limit` (killed by the watchdog where limits are soft), `unhealthy` (restarted by its probe).
   */
  readonly cause: 'oom' | 'memory_limit' | 'unhealthy' | null;
}

/** A replica's `resources` and who enforces them: the kernel (a cgroup) or the daemon's watchdog (soft). */
export interface ReplicaLimits {
  readonly memoryBytes: number | null;
  readonly cpu: number | null;
  readonly enforcement: 'kernel' | 'soft';
}

export interface PsEntry {
  readonly app: string;
  readonly process: string;
  readonly replica: string;
  readonly state: ReplicaState;
  readonly pid: number | null;
  readonly startedAt: string | null;
  readonly restarts: number;
  readonly lastExit: ExitInfo | null;
  /** When a replica in `backoff` or `crash-loop` starts again; null otherwise. */
  readonly nextRetryAt: string | null;
  readonly release: string | null;
  /** `healthy`, `starting` or `unhealthy (2/3)`; null when the process has no probe or is not up. */
  readonly health: string | null;
  /** null when the process sets no `resources`. */
  readonly limits: ReplicaLimits | null;
  /** CPU of the replica's process group over the last sampling interval, in percent of one core. */
  readonly cpuPercent: number | null;
  /** Resident memory of the replica's process group at the last sample. */
  readonly memoryBytes: number | null;
}

export interface ProcessSummary {
  readonly process: string;
  /** Replicas wanted now (a `scale` count, else the manifest's). */
  readonly desired: number;
  /** The manifest's count; differs from `desired` after `scale`. */
  readonly manifest: number;
  readonly stopped: boolean;
  /** Bounds in force for an autoscaled process (`ps` shows `auto 2/1–6`); absent otherwise. */
  readonly autoscale?: { readonly min: number; readonly max: number };
}

/** One signal of an autoscale period: CPU/memory in percent of the request, queue in waiting jobs. */
export interface AutoscaleSignal {
  readonly signal: string;
  /** Null: it could not be read (or no running replica to measure). */
  readonly value: number | null;
  readonly target: number;
  readonly recommendation: number | null;
}

/** `nightshift autoscale status`: one autoscaled process. */
export interface AutoscaleProcessStatus {
  readonly process: string;
  readonly desired: number;
  /** Replicas running now (starting and backing-off ones are not capacity). */
  readonly running: number;
  readonly min: number;
  readonly max: number;
  /** True while `scale --min/--max` bounds replace the manifest's. */
  readonly boundsOverridden: boolean;
  /** The last period's decision (null before the first). */
  readonly last: {
    readonly at: string;
    readonly from: number;
    readonly to: number;
    readonly recommendation: number;
    readonly windowMax: number;
    readonly bound: string | null;
    readonly signals: readonly AutoscaleSignal[];
  } | null;
  /** A signal that cannot be read now; the count holds meanwhile. */
  readonly failing: { readonly signal: string; readonly error: string; readonly since: string } | null;
}

export interface AutoscaleStatus {
  readonly app: string;
  readonly periodMs: number;
  readonly processes: readonly AutoscaleProcessStatus[];
}

/** `scale PROC --min N --max M`: either bound may be left out. */
export interface AutoscaleBoundsRequest {
  readonly process: string;
  readonly min?: number;
  readonly max?: number;
}

export interface AutoscaleBoundsResult {
  readonly process: string;
  readonly min: number;
  readonly max: number;
  readonly from: number;
  readonly to: number;
}

export interface PsResponse {
  readonly replicas: readonly PsEntry[];
  readonly processes: readonly (ProcessSummary & { readonly app: string })[];
  /** Conditions the operator should see under the table (e.g. Redis refusing writes); absent when none. */
  readonly warnings?: readonly string[];
}

export interface EventEntry {
  readonly id: number;
  readonly time: string;
  readonly type: string;
  readonly app: string;
  readonly process?: string;
  readonly replica?: string;
  readonly message: string;
  readonly data: Record<string, unknown>;
  /** Present when repeats folded into this entry (a crash loop): how many events it stands for. */
  readonly count?: number;
  /** When the last of those repeats happened. */
  readonly lastTime?: string;
}

export interface AppEntry {
  readonly name: string;
  readonly release: string | null;
  readonly createdAt: string;
  readonly processes: number;
  readonly replicas: number;
}

/**
 * What became of a release: `live`, `good` (built and started; may be rolled back to), `rolled back by guard`,
 * `failed guard` (tripped the guard with nothing to go back to, since replaced; still built), `failed build`
 * (build, predeploy or Redis set-up), `failed to start` (its processes could not be spawned), `building`.
 */
export type ReleaseOutcome =
  'live' | 'good' | 'rolled back by guard' | 'failed guard' | 'failed build' | 'failed to start' | 'building';

/**
 * The deploy guard's watch of a release: `watching` until `until`, then `kept` or `rolled-back`; `failed` when
 * it tripped but nothing could be restored (it stays live); `superseded` when another release went live first.
 */
export interface ReleaseGuard {
  readonly state: 'watching' | 'kept' | 'rolled-back' | 'failed' | 'superseded';
  readonly until: string | null;
  /** Why the guard tripped (null otherwise). */
  readonly reason: string | null;
}

export interface ReleaseEntry {
  readonly version: string;
  readonly createdAt: string;
  readonly source: string;
  readonly status: 'building' | 'succeeded' | 'failed';
  readonly live: boolean;
  readonly outcome: ReleaseOutcome;
  /** null when the guard never watched it (`deploy.watch: 0`, releases from before the guard). */
  readonly guard: ReleaseGuard | null;
}

/** The window the deploy guard watches a release just switched to; null when `deploy.watch` is 0. */
export interface GuardWindow {
  readonly watchMs: number;
  readonly until: string;
}

export interface RollbackResponse {
  readonly app: string;
  readonly release: string;
  readonly previous: string;
  readonly guard: GuardWindow | null;
}

export interface DeployRequest {
  /** Absolute path of the app's folder on this machine. */
  readonly dir: string;
  /** Path of the manifest, relative to `dir`. */
  readonly manifest?: string;
  /** A git ref: deploy exactly that commit. */
  readonly ref?: string;
}

export interface DeployResponse {
  readonly app: string;
  readonly release: string;
  readonly buildLogTail: readonly string[];
  /** What the release asks for that this daemon does not provide (printed by the CLI as `warning:` lines). */
  readonly warnings: readonly string[];
  readonly guard: GuardWindow | null;
}

export interface ScaleRequest {
  /** `emails=4`, `emails+2`, `emails-1` entries. */
  readonly changes: readonly {
    readonly process: string;
    readonly op: '=' | '+' | '-';
    readonly count: number;
  }[];
}

export interface DaemonInfo {
  readonly pid: number;
  readonly version: string;
  readonly home: string;
  readonly startedAt: string;
  readonly httpPort: number;
  /**
   * How `resources` are enforced on this machine: by the kernel through cgroups (`v2` or `v1`), or `soft`
   * (a watchdog restarts a replica over its memory limit; CPU is not limited), with the reason.
   */
  readonly limits: {
    readonly enforcement: 'kernel' | 'soft';
    readonly cgroups: 'v2' | 'v1' | null;
    readonly reason: string | null;
  };
}

/** One log line as the API and `logs --json` give it. */
export interface LogEntry {
  /** Resumable cursor (SSE id), increasing per app. */
  readonly id: string;
  readonly time: string;
  /** Who wrote it: a replica `emails.2`, a run `cron:nightly#41`, a build `build:v3`. */
  readonly source: string;
  /** The replica, when a replica wrote it. */
  readonly replica: string | null;
  readonly process: string;
  readonly stream: 'out' | 'err';
  readonly message: string;
  /** The message's fields when it is a JSON object (pino, bunyan, …). */
  readonly fields?: Record<string, unknown>;
  /** Set when the next line of this source continues this one (a line over 64 KiB was split). */
  readonly continued?: true;
}

/**
 * `GET /apps/:app/logs` with `accept: application/x-ndjson`: one message a line, every entry of the answer
 * (any `n`), then `end` with their count, or `error` if the daemon failed midway. An answer without `end` was cut.
 */
export type LogStreamMessage =
  | { readonly type: 'entry'; readonly entry: LogEntry }
  | { readonly type: 'end'; readonly count: number }
  | ({ readonly type: 'error' } & ErrorBody);

/** Statuses of a cron run (DESIGN §5); `queued` waits behind a running run (queue_one, replace). */
export type CronRunStatus =
  'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'interrupted' | 'skipped' | 'cancelled';

/** One run of a cron job, or one skipped slot: `cron history --json` prints an array of these, newest first. */
export interface CronRunEntry {
  readonly id: number;
  readonly job: string;
  readonly trigger: 'schedule' | 'manual';
  /** The slot this run stands for (ISO-8601 UTC); null for a manual run. */
  readonly slot: string | null;
  /** Earlier slots this run replaces after a gap (they never run); capped at 1000 ("at least"). */
  readonly coalesced: number;
  readonly status: CronRunStatus;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  /** The release it ran from (`v7`); null when it never started. */
  readonly release: string | null;
  /** Why it was skipped, cancelled, interrupted or timed out, or why it failed to start; else null. */
  readonly reason: string | null;
}

/** One cron job of the live release, as `cron ls --json` prints it. */
export interface CronJobEntry {
  readonly name: string;
  /** As written in the manifest (UTC). */
  readonly schedule: string;
  readonly command: string;
  readonly overlap: 'forbid' | 'queue_one' | 'replace' | 'allow';
  readonly timeoutMs: number | null;
  readonly suspended: boolean;
  /** The next slot (ISO-8601 UTC), null when the schedule has none left. Suspended jobs skip it. */
  readonly nextSlot: string | null;
  /** The next five slots (ISO-8601 UTC), the first being `nextSlot`; fewer when the schedule has fewer left. */
  readonly nextSlots: readonly string[];
  /** The newest run that ran or runs (skipped slots left out). */
  readonly lastRun: CronRunEntry | null;
  /** Runs of this job running now. */
  readonly running: number;
}

/** Body of `POST /apps/:app/cron/jobs/:job/run`. */
export interface CronRunRequest {
  /** Start even if the overlap policy would refuse. */
  readonly force?: boolean;
}

/** What one app's logs hold on this machine (`logs --disk`). */
export interface LogDiskEntry {
  readonly app: string;
  /** Bytes of every file in the app's logs folder: segments, the files being written. */
  readonly bytes: number;
  readonly files: number;
  /** Rotated segments stored compressed. */
  readonly compressedFiles: number;
  /** The newest line of the oldest segment kept (ISO-8601); null before the first rotation. */
  readonly oldestSegmentAt: string | null;
  /** The retention in force: the manifest's `logs.retain`, else the daemon's default. */
  readonly retainBytes: number;
  /** The manifest's `logs.max_age`, else the daemon's default; null: no age limit. */
  readonly maxAgeMs: number | null;
}

/** `GET /logs/disk`: every app's logs, their sum, and the daemon's cap on that sum (null: none). */
export interface LogDiskUsage {
  readonly apps: readonly LogDiskEntry[];
  readonly totalBytes: number;
  readonly totalCapBytes: number | null;
}

/** A log drain and what it delivered (`drains ls`). The URL's password is masked. */
export interface DrainStatus {
  readonly id: number;
  readonly url: string;
  readonly createdAt: string;
  readonly delivered: number;
  readonly undelivered: number;
  /** Lines waiting for delivery: in memory, plus during a catch-up after an outage those left on disk to replay. */
  readonly buffered: number;
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

/** `nightshift redis info`: the shared Redis as one app sees it (no password, ever). */
export interface RedisInfo {
  readonly app: string;
  /** The daemon's own redis-server, or the one of NIGHTSHIFT_REDIS_ADMIN_URL. */
  readonly mode: 'managed' | 'external';
  readonly version: string;
  /** The app's ACL user (`app-<name>`) and key/channel prefix (`<name>:`). */
  readonly user: string;
  readonly prefix: string;
  readonly policy: string;
  readonly usedMemory: number;
  /** 0 = no limit. */
  readonly maxmemory: number;
  /** Writes refused for memory since the server started (`errorstat_OOM`). */
  readonly rejectedWrites: number;
  /** The app's keys, counted with SCAN as admin; sampled (`keysExact: false`) on a very large keyspace. */
  readonly keys: number;
  readonly keysExact: boolean;
  readonly warnings: readonly string[];
}

/** One point of a replica's usage series: averages over its `step` (`GET /apps/:app/metrics`). */
export interface MetricsPoint {
  readonly time: string;
  readonly cpuPercent: number | null;
  readonly memoryBytes: number;
  readonly memoryMaxBytes: number;
  readonly processes: number;
}

/** The usage series of one replica slot. */
export interface MetricsSeries {
  readonly process: string;
  readonly replica: string;
  readonly points: readonly MetricsPoint[];
}

export interface MetricsResponse {
  /** Seconds between points (5, 60 or 600: the resolution kept for that age). */
  readonly step: number;
  readonly since: string;
  readonly series: readonly MetricsSeries[];
}
