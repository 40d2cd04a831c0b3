/**
 * Size limits of a manifest. Dependency-free (re-exported by `names.ts`, the light entry the daemon imports), so
 * a reader can refuse an oversized file before it reads or parses it.
 */

/**
 * The largest manifest accepted, in bytes (UTF-8). Real manifests are a few KiB; the YAML parser alone costs
 * about 1–3 µs and 150–900 bytes of heap per byte of text, so without a cap a 10 MB file took 12–16 s and 1.1–1.5 GB.
 */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Diagnostics of each severity reported at most; the rest are counted, not listed (see `ParseResult`). */
export const MAX_REPORTED_DIAGNOSTICS = 100;

/** Most workers one app may declare: every one is a process type with its own replicas, logs and state. */
export const MAX_WORKERS = 100;

/** Most cron jobs one app may declare: each schedule is checked against a 5-year horizon at validation. */
export const MAX_CRON_JOBS = 300;

/** UTF-8 length of `text` without encoding it (a lone surrogate counts as the 3-byte replacement character). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The longest value of each duration field, in milliseconds. Node's timers overflow above 2^31-1 ms (24.8 days)
 * and fire at once; these bounds are what makes sense for each field, all far below that.
 */
export const MAX_DURATION_MS = {
  /** SIGTERM to SIGKILL: a worker that needs more than an hour to stop should checkpoint instead. */
  stopGrace: HOUR,
  /** A replica proving itself before a rolling switch goes on. */
  minReady: HOUR,
  /** Waits between restarts after crashes. */
  backoff: HOUR,
  maxBackoff: HOUR,
  /** The deploy guard's window: a release that crashes only after a day is not the deploy's fault. */
  deployWatch: DAY,
  /** Running time after which the backoff starts over. */
  resetAfter: DAY,
  /** Between health probes, and one probe's own time limit. */
  healthInterval: HOUR,
  metricsInterval: HOUR,
  healthTimeout: HOUR,
  /** The autoscaler's scale-down window: the HPA caps its own at one hour (3600 s). */
  scaleDownAfter: HOUR,
  /** Grace after a start before failed probes count: a day covers the slowest warm-up. */
  healthStartPeriod: DAY,
  /** A cron run's time limit: a week covers any batch job; longer work belongs in a worker. */
  cronTimeout: 7 * DAY,
  /** How long an app's log lines are kept: a year; history older than that belongs in a drain. */
  logMaxAge: 365 * DAY,
} as const;

/**
 * The least `logs.retain`: a few segments of at least 128 KiB each (a segment must hold a whole 64 KiB record),
 * so retention never comes down to the file being written alone.
 */
export const MIN_LOG_RETAIN_BYTES = 1024 * 1024;
