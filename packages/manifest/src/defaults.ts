/**
 * Every default the manifest applies, in one place. Values are in the compiled units of `AppSpec`
 * (milliseconds, bytes, cores); the schema shows them in manifest notation through `formatDuration`.
 * Core code never writes a default inline: it reads the compiled spec.
 */
export const DEFAULTS = {
  replicas: 1,
  redis: false,
  web: { port: 5000 },
  /** `maxRestarts` null: never give up on a crashing replica. */
  restart: { backoffMs: 10_000, maxBackoffMs: 5 * 60_000, resetAfterMs: 10 * 60_000, maxRestarts: null },
  /** The deploy guard watches a new release this long (0: not at all); cron failures count only when asked. */
  deploy: { watchMs: 2 * 60_000, guardCron: false },
  stopGraceMs: 30_000,
  minReadyMs: 2_000,
  health: { intervalMs: 10_000, timeoutMs: 2_000, failures: 3, startPeriodMs: 30_000 },
  /** The least `resources.memory`: below it even a shell cannot start, and the kernel refuses tiny cgroup limits. */
  minMemoryBytes: 4 * 1024 * 1024,
  metrics: { path: '/metrics', intervalMs: 15_000 },
  autoscale: {
    queueKind: 'bullmq',
    /** The HPA's default scale-down stabilisation window. */
    scaleDownAfterMs: 5 * 60_000,
    /** Time between autoscale decisions (the HPA's sync period). */
    periodMs: 15_000,
  },
  cron: {
    overlap: 'forbid',
    history: { keep: 100, days: 30 },
    /** null: a run may take as long as it needs. */
    timeoutMs: null,
  },
} as const;

/** A cron schedule must have at least one slot within this many years of `now`. */
export const CRON_HORIZON_YEARS = 5;
