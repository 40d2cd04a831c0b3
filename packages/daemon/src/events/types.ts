/**
 * Every lifecycle moment the daemon knows about, by name. The timeline (events table), the log of the daemon
 * and later the metrics subscribe to these instead of logging ad hoc.
 */
export interface EventMap {
  'daemon:started': { pid: number; reaped: number };
  'daemon:stopping': Record<string, never>;
  'deploy:started': { release: string; source: string };
  'deploy:finished': { release: string; previous: string | null };
  /** The release asks for something this daemon does not provide (said at every deploy, never silently ignored). */
  'deploy:warning': { release: string; warning: string };
  'deploy:failed': { release: string; reason: string; logTail: string[] };
  rollback: { release: string; previous: string };
  /** The deploy guard watches the release just switched to until `until` (apps/guard.ts). */
  'deploy:watching': { release: string; watchMs: number; until: string };
  /** The guard's window passed without a trip. */
  'deploy:kept': { release: string; watchMs: number };
  /** The guard tripped: `release` is failed (rolled back by guard) and `restored` is live again. */
  'deploy:rolled-back': { release: string; restored: string; reason: string; evidence: GuardEvidence };
  /** The guard tripped but nothing could be restored (no earlier good release, or its switch failed). */
  'deploy:guard-failed': { release: string; reason: string; restoreError: string; evidence: GuardEvidence };
  'run:started': { argv: string[]; release: string };
  'run:finished': {
    argv: string[];
    release: string;
    exitCode: number | null;
    signal: string | null;
    durationMs: number;
  };
  /** `afterCrash`: a restart inside a crash streak (such starts fold into one timeline entry). */
  'replica:started': { release: string; pid: number; afterCrash: boolean };
  'replica:crashed': {
    /** The group that ended (usage accounting tells a rolling switch's two groups of one slot apart by it). */
    pid?: number | null;
    code: number | null;
    signal: string | null;
    /** `oom`, `memory_limit`, `unhealthy`, or a description of a SIGKILL from elsewhere. */
    cause: string | null;
    /** With `oom` and `memory_limit`: the limit the process ran into. */
    memoryLimitBytes?: number | null;
    ranMs: number;
    /** null: `restart.max_restarts` was reached and the replica is `failed`. */
    restartInMs: number | null;
    /** The release the crashed process ran (`v7`); the deploy guard counts crashes of the release it watches. */
    release?: string | null;
    lastLines: string[];
  };
  'replica:spawn-failed': { error: string; restartInMs: number | null };
  /** `restart.max_restarts` crashes in a row: the replica gave up and stays stopped until start/restart/deploy. */
  'replica:failed': {
    crashes: number;
    code: number | null;
    signal: string | null;
    /** Why the last start failed, when no process could be spawned. */
    error: string | null;
    lastLines: string[];
  };
  /** `failures` probes in a row failed; `error` is the last one's (status code, timeout, connection refused). */
  'replica:unhealthy': {
    error: string;
    failures: number;
    port: number;
    release?: string | null;
    lastLines: string[];
  };
  'replica:stopped': { pid?: number | null; code: number | null; signal: string | null; killed: boolean };
  'replica:reaped': { pid: number };
  'process:scaled': { from: number; to: number };
  /** An autoscale decision that changed the count, with what it was made from (supervisor/pure/autoscale.ts). */
  'process:autoscaled': {
    from: number;
    to: number;
    signals: { signal: string; value: number | null; target: number; recommendation: number | null }[];
    recommendation: number;
    windowMax: number;
    bound: string | null;
    min: number;
    max: number;
  };
  /** A signal could not be read: the count holds. Once per outage, not once per period. */
  'autoscale:signal-failed': { signal: string; error: string };
  /** The signal is readable again after an outage. */
  'autoscale:signal-recovered': { signal: string; failedForMs: number };
  /** `scale --min/--max`: bounds that hold until a deploy changes the manifest's. */
  'autoscale:bounds': { min: number; max: number; manifestMin: number; manifestMax: number };
  /** A deploy changed the manifest's bounds: the `scale --min/--max` override (min, max) ended. */
  'autoscale:bounds-cleared': { min: number; max: number; manifestMin: number; manifestMax: number };
  /** The stored count is over the daemon's per-process limit: the limit is what runs. */
  'process:limited': { wanted: number; limit: number };
  'process:stopped': Record<string, never>;
  'process:started': Record<string, never>;
  'process:restarted': Record<string, never>;
  'app:destroyed': Record<string, never>;
  /** Redis (redis/): the daemon's admin connection is up; `mode` says whose server it is. */
  'redis:connected': {
    mode: 'managed' | 'external';
    version: string;
    policy: string;
    maxmemory: number;
  };
  /** An external Redis may evict keys (queued jobs) under memory pressure; `ps` warns while it lasts. */
  'redis:eviction-policy': { policy: string };
  /** Memory used crossed 80 % of maxmemory (once per crossing). */
  'redis:memory-high': { usedMemory: number; maxmemory: number; ratio: number };
  /** Writes were refused for memory (`OOM command not allowed`) since the last sample. */
  'redis:rejecting': { rejected: number; total: number; usedMemory: number; maxmemory: number };
  /** The managed redis-server exited on its own; the daemon starts it again. */
  'redis:server-exited': { code: number | null; signal: string | null };
  'redis:rotated': Record<string, never>;
  'redis:flushed': { keys: number };
  'drain:added': { id: number; url: string };
  'drain:removed': { id: number };
  'drain:failed': { id: number; url: string };
  'drain:undelivered': { id: number; count: number; total: number };
  /** Names only, never values; `restart` says what happened to the processes (see VarsChangeResponse). */
  'secrets:changed': { names: string[]; action: 'set' | 'removed'; restart: EnvChangeRestart };
  'config:changed': { names: string[]; action: 'set' | 'unset'; restart: EnvChangeRestart };
  /** Fingerprints are derived one way from the keys; they name a key without revealing it. */
  'secrets:key-rotated': { secrets: number; fingerprint: string; previous: string };
  /** At daemon start: a secret of the live release fails to decrypt, so the app is not started. */
  'secrets:unreadable': { code: string; error: string };
  /** Cron (scheduler/): jobs follow the live manifest; a renamed job is a new job, reported as a warning. */
  'cron:job:added': { job: string; schedule: string; nextSlot: string | null };
  'cron:job:changed': { job: string; from: string; to: string; nextSlot: string | null };
  'cron:job:renamed': { job: string; from: string };
  'cron:job:removed': { job: string };
  'cron:job:suspended': { job: string };
  'cron:job:resumed': { job: string; nextSlot: string | null };
  /** A slot claimed: `coalesced` earlier slots fold into it; `lateMs` is claim time − slot (fire lateness). */
  'cron:slot:fired': CronSlotFired;
  /** A slot or a Run now that did not run; every skip is one, never silent. */
  'cron:slot:skipped': {
    job: string;
    runId: number | null;
    trigger: 'schedule' | 'manual';
    slot: string | null;
    reason: 'overlap' | 'suspended' | 'queued';
    coalesced: number;
  };
  'cron:run:started': {
    job: string;
    runId: number;
    trigger: 'schedule' | 'manual';
    slot: string | null;
    pid: number;
    release: string;
    lateMs: number | null;
  };
  'cron:run:finished': CronRunFinished;
  'cron:run:timed-out': { job: string; runId: number; timeoutMs: number };
  'cron:run:cancelled': { job: string; runId: number; reason: string };
  'cron:run:interrupted': { job: string; runId: number; reason: string };
  /** The clock stands before a job's cursor: its slots wait until the clock passes it again (none re-fires). */
  'cron:clock:backwards': { job: string; behindMs: number };
}

/** What the deploy guard saw of the replica (or cron job) that tripped it. */
export interface GuardEvidence {
  /** `emails.1`, or `cron nightly` with `deploy.guard_cron`. */
  subject: string;
  exits: { at: string; code: number | null; signal: string | null; cause: string | null }[];
  probeErrors: { at: string; error: string }[];
  lastLines: string[];
  cron: { at: string; job: string; runId: number; status: string; detail: string }[];
}

export interface CronSlotFired {
  job: string;
  runId: number;
  slot: string;
  coalesced: number;
  /** True when `coalesced` reached the counting cap (the real number is at least that). */
  coalescedCapped: boolean;
  lateMs: number;
  /** started now; queued behind a running run; merged into the queued run; replacing the running run. */
  outcome: 'started' | 'queued' | 'merged' | 'replacing';
}

export interface CronRunFinished {
  job: string;
  runId: number;
  trigger: 'schedule' | 'manual';
  status: 'succeeded' | 'failed' | 'timed_out' | 'interrupted' | 'cancelled';
  reason: string | null;
  exitCode: number | null;
  signal: string | null;
  durationMs: number | null;
}

/** What a config or secret change did to the app's processes. */
export type EnvChangeRestart = 'rolling' | 'staged' | 'not-running' | 'not-injected';

export type EventType = keyof EventMap;

/** One emitted event: who it concerns, a human sentence, and typed data. */
export interface DaemonEvent<T extends EventType = EventType> {
  readonly type: T;
  readonly app: string;
  readonly process?: string;
  readonly replica?: string;
  readonly message: string;
  readonly data: EventMap[T];
}
